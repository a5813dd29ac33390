//! The listing `klaar agenda` prints (and the window will show): the events of a window of time
//! from several calendars, sorted by start, each with its online meeting, that service's AVG
//! rating and when Klaar reminds. The shape is `docs/agenda.schema.json`.

use crate::calendar::{Calendar, Occurrence, When};
use crate::online::{self, Service};
use chrono::{DateTime, Duration, Utc};
use klaar_checklist::{AppDef, Avg};
use serde::Serialize;

/// Minutes before an online meeting that Klaar reminds, unless the person chose otherwise.
pub const DEFAULT_REMIND_MINUTES: i64 = 5;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agenda {
    pub schema: u32,
    pub events: Vec<AgendaEvent>,
    pub problems: Vec<AgendaProblem>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgendaEvent {
    pub uid: String,
    pub summary: String,
    pub start: When,
    pub end: When,
    pub all_day: bool,
    pub online: Option<Online>,
    /// The seed table's rating of the service ("yes", "no", "conditional", "unknown"); `None`
    /// when the event is no online meeting.
    pub avg: Option<Avg>,
    /// When Klaar reminds (RFC 3339); `None` for events that get no reminder: not online,
    /// all-day, or cancelled.
    pub remind_at: Option<String>,
}

/// The meeting's service (a key of `assets/apps.toml` or `assets/meetings.toml`) and its link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Online {
    pub service: String,
    pub url: String,
}

/// The online meeting whose service the connection item measures: of `events` (in start
/// order), the first with a link that is not over at `now` and has a time (not all day).
pub fn meeting_link(
    events: &[AgendaEvent],
    now: DateTime<Utc>,
) -> Option<klaar_checklist::target::MeetingLink> {
    events.iter().find_map(|e| {
        let online = e.online.as_ref()?;
        let (When::Time(start), When::Time(end)) = (e.start, e.end) else {
            return None;
        };
        if end.with_timezone(&Utc) <= now {
            return None;
        }
        let host = url::Url::parse(&online.url).ok()?.host_str()?.to_string();
        Some(klaar_checklist::target::MeetingLink {
            host,
            service: online.service.clone(),
            minutes_until: (start.with_timezone(&Utc) - now).num_minutes(),
        })
    })
}

/// A calendar that could not be read, in words for the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgendaProblem {
    pub calendar: String,
    pub message: String,
}

/// What the listing needs besides the calendars.
pub struct Options<'a> {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// The user's zone: floating times and all-day events are placed in it.
    pub zone: chrono_tz::Tz,
    /// Every event, not only online meetings.
    pub all: bool,
    pub remind_minutes: i64,
    pub apps: &'a [AppDef],
    pub services: &'a [Service],
}

/// The events of `calendars` in the window, sorted by start. Cancelled occurrences are left
/// out. A calendar that fails to expand adds to `problems` (through `explain`) and the others
/// still list.
pub fn list(
    calendars: &[Calendar],
    options: &Options,
    mut problems: Vec<AgendaProblem>,
    explain: impl Fn(&crate::CalendarProblem) -> String,
) -> Agenda {
    let mut events: Vec<(DateTime<Utc>, AgendaEvent)> = Vec::new();
    for calendar in calendars {
        match calendar.occurrences(options.from, options.to, options.zone) {
            Ok(found) => events.extend(
                found
                    .into_iter()
                    .filter(|o| !o.cancelled)
                    .filter_map(|o| event(o, options)),
            ),
            Err(problem) => problems.push(AgendaProblem {
                calendar: problem.calendar.clone(),
                message: explain(&problem),
            }),
        }
    }
    events.sort_by(|a, b| (a.0, &a.1.summary).cmp(&(b.0, &b.1.summary)));
    Agenda {
        schema: 1,
        events: events.into_iter().map(|(_, e)| e).collect(),
        problems,
    }
}

fn event(o: Occurrence, options: &Options) -> Option<(DateTime<Utc>, AgendaEvent)> {
    let online = online::recognise(options.services, &o.fields)
        .map(|(service, url)| Online { service, url });
    if online.is_none() && !options.all {
        return None;
    }
    let avg = online.as_ref().map(|m| {
        options
            .apps
            .iter()
            .find(|a| a.key == m.service)
            .map(|a| a.avg)
            .unwrap_or(Avg::Unknown)
    });
    let remind_at = (online.is_some() && !o.all_day).then(|| {
        (o.start_at - Duration::minutes(options.remind_minutes))
            .with_timezone(&options.zone)
            .fixed_offset()
            .to_rfc3339()
    });
    Some((
        o.start_at,
        AgendaEvent {
            uid: o.uid,
            summary: o.summary,
            start: o.start,
            end: o.end,
            all_day: o.all_day,
            online,
            avg,
            remind_at,
        },
    ))
}
