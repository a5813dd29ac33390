//! One iCalendar file: parsed and expanded into the occurrences inside a window of time.
//!
//! `calcard` does the work: recurrence rules and RDATE, EXDATE compared as instants, moved and
//! cancelled occurrences (RECURRENCE-ID), time zones by IANA name, by Windows name ("W. Europe
//! Standard Time") or through the VTIMEZONE's location, floating times in the user's zone, all-day
//! events and DURATION. Chosen over `icalendar` + `rrule` because those resolve neither Windows
//! zone names nor moved occurrences, and `rrule` mishandles series around DST changes
//! (ARCHITECTURE.md says more).

use calcard::common::timezone::Tz as CalTz;
use calcard::common::PartialDateTime;
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarProperty, ICalendarStatus,
    ICalendarValue,
};
use calcard::{Entry, Parser};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// Occurrences Klaar expands at most per calendar, a guard against rules that never end or
/// repeat every second: far more than any real calendar holds in the years before a window.
pub const MAX_OCCURRENCES: usize = 500_000;

/// A parsed calendar and the name to report problems under (a file name, a URL's host).
#[derive(Debug, Clone)]
pub struct Calendar {
    pub name: String,
    ical: ICalendar,
}

/// Why a calendar cannot be used, for the person: see `kind`; `line` (1-based) where the text
/// shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarProblem {
    pub calendar: String,
    pub line: Option<usize>,
    pub kind: ProblemKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// No `BEGIN:VCALENDAR`: a web page or another file (Microsoft sometimes answers a calendar
    /// address with an HTML page).
    NotACalendar,
    /// `BEGIN:VCALENDAR` without its end: the file was cut off.
    Truncated,
    /// A line the parser cannot read.
    BadLine,
    /// More occurrences than [`MAX_OCCURRENCES`] before the end of the window.
    TooManyOccurrences,
}

/// When something starts or ends: a day for all-day events, else an instant in the user's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Date(NaiveDate),
    Time(DateTime<FixedOffset>),
}

impl When {
    /// RFC 3339 with the offset for a time, `YYYY-MM-DD` for a day.
    pub fn to_text(self) -> String {
        match self {
            When::Date(d) => d.format("%Y-%m-%d").to_string(),
            When::Time(t) => t.to_rfc3339(),
        }
    }
}

impl Serialize for When {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_text())
    }
}

/// One occurrence of an event.
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    pub uid: String,
    pub summary: String,
    pub start: When,
    pub end: When,
    /// The instants, for sorting and windows (an all-day event from midnight in the user's zone).
    pub start_at: DateTime<Utc>,
    pub end_at: DateTime<Utc>,
    pub all_day: bool,
    /// `STATUS:CANCELLED` on the series or on this occurrence.
    pub cancelled: bool,
    /// Texts that may hold a meeting link, best source first: (property name, text).
    pub fields: Vec<(String, String)>,
}

/// Where a meeting link may be, best first (RFC 7986 CONFERENCE; Google's and Microsoft's own
/// properties; then the general ones).
pub const LINK_FIELDS: &[&str] = &[
    "CONFERENCE",
    "X-GOOGLE-CONFERENCE",
    "X-MICROSOFT-SKYPETEAMSMEETINGURL",
    "X-MICROSOFT-ONLINEMEETINGCONFLINK",
    "URL",
    "LOCATION",
    "DESCRIPTION",
    "X-ALT-DESC",
];

/// Parses `text` (a UTF-8 BOM before `BEGIN` is fine).
///
/// Errors: [`ProblemKind::NotACalendar`], [`ProblemKind::Truncated`], [`ProblemKind::BadLine`]
/// with the line.
pub fn parse(name: &str, text: &str) -> Result<Calendar, CalendarProblem> {
    let problem = |line, kind| CalendarProblem {
        calendar: name.to_string(),
        line,
        kind,
    };
    let text = text.trim_start_matches('\u{feff}');
    let upper = text.to_ascii_uppercase();
    if !upper.contains("BEGIN:VCALENDAR") {
        return Err(problem(None, ProblemKind::NotACalendar));
    }
    if !upper.contains("END:VCALENDAR") {
        return Err(problem(None, ProblemKind::Truncated));
    }
    match Parser::new(text).entry() {
        Entry::ICalendar(ical) => Ok(Calendar {
            name: name.to_string(),
            ical,
        }),
        Entry::InvalidLine(line) => {
            let at = text
                .lines()
                .position(|l| !line.is_empty() && l.contains(line.trim()))
                .map(|i| i + 1);
            Err(problem(at, ProblemKind::BadLine))
        }
        Entry::UnterminatedComponent(_) | Entry::Eof => Err(problem(None, ProblemKind::Truncated)),
        _ => Err(problem(None, ProblemKind::NotACalendar)),
    }
}

impl Calendar {
    /// The occurrences of events that overlap `from..to`, in start order, with floating times
    /// and all-day events placed in `zone` (the user's). Series without an end are expanded up
    /// to `to` only.
    ///
    /// Errors: [`ProblemKind::TooManyOccurrences`].
    pub fn occurrences(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        zone: chrono_tz::Tz,
    ) -> Result<Vec<Occurrence>, CalendarProblem> {
        let mut ical = self.ical.clone();
        prepare_series(&mut ical, from, to);
        let expanded = ical.expand_dates(CalTz::from(zone), MAX_OCCURRENCES + 1);
        if expanded.events.len() > MAX_OCCURRENCES {
            return Err(CalendarProblem {
                calendar: self.name.clone(),
                line: None,
                kind: ProblemKind::TooManyOccurrences,
            });
        }
        // A moved occurrence often repeats only what changed: the rest comes from its series.
        let series = |uid: &str| {
            ical.components.iter().find(|c| {
                c.property(&ICalendarProperty::Rrule).is_some()
                    && text(c, &ICalendarProperty::Uid).as_deref() == Some(uid)
            })
        };
        // Per component, once: all-day, and whether it has an end (RFC 5545 §3.6.1).
        let shape: Vec<(bool, bool)> = ical
            .components
            .iter()
            .map(|c| {
                let has_end = c.property(&ICalendarProperty::Dtend).is_some()
                    || c.property(&ICalendarProperty::Duration).is_some();
                (is_all_day(c), has_end)
            })
            .collect();
        let mut found: Vec<Occurrence> = expanded
            .events
            .iter()
            .filter_map(|event| {
                let comp = ical.components.get(event.comp_id as usize)?;
                if comp.component_type != ICalendarComponentType::VEvent {
                    return None;
                }
                let (all_day, has_end) = shape[event.comp_id as usize];
                let start = event.start;
                let end = match event.end {
                    calcard::icalendar::dates::TimeOrDelta::Time(t) => t,
                    calcard::icalendar::dates::TimeOrDelta::Delta(d) => start + d,
                };
                // RFC 5545 §3.6.1: without DTEND or DURATION a timed event takes no time and an
                // all-day event one day.
                let (start_at, end_at, start_when, end_when) = if all_day {
                    let first = start.date_naive();
                    let last = if has_end {
                        end.date_naive().max(first + Duration::days(1))
                    } else {
                        first + Duration::days(1)
                    };
                    let midnight = |d: NaiveDate| {
                        zone.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
                            .earliest()
                            .map(|t| t.with_timezone(&Utc))
                    };
                    (
                        midnight(first)?,
                        midnight(last)?,
                        When::Date(first),
                        When::Date(last),
                    )
                } else {
                    let start_utc = start.with_timezone(&Utc);
                    let end_utc = if has_end {
                        end.with_timezone(&Utc).max(start_utc)
                    } else {
                        start_utc
                    };
                    let local =
                        |t: DateTime<Utc>| When::Time(t.with_timezone(&zone).fixed_offset());
                    (start_utc, end_utc, local(start_utc), local(end_utc))
                };
                let overlaps = if end_at > start_at {
                    start_at < to && end_at > from
                } else {
                    start_at >= from && start_at < to
                };
                // Most occurrences of an old series lie before the window: leave them early.
                if !overlaps {
                    return None;
                }
                let uid = text(comp, &ICalendarProperty::Uid).unwrap_or_default();
                let master = comp
                    .property(&ICalendarProperty::RecurrenceId)
                    .and_then(|_| series(&uid));
                let mut fields = link_fields(comp);
                if fields.is_empty() {
                    fields = master.map(link_fields).unwrap_or_default();
                }
                let summary = text(comp, &ICalendarProperty::Summary)
                    .or_else(|| master.and_then(|m| text(m, &ICalendarProperty::Summary)))
                    .unwrap_or_default();
                Some(Occurrence {
                    uid,
                    summary,
                    start: start_when,
                    end: end_when,
                    start_at,
                    end_at,
                    all_day,
                    cancelled: is_cancelled(comp),
                    fields,
                })
            })
            .collect();
        found.sort_by(|a, b| (a.start_at, &a.summary).cmp(&(b.start_at, &b.summary)));
        Ok(found)
    }
}

/// Prepares the series for calcard, which walks a rule in the start's wall time:
/// - a series that never ends gets an end just after `to` (calcard counts occurrences, not
///   time);
/// - an UNTIL in UTC (as Outlook and Google write it, and RFC 5545 demands with a zoned start)
///   is turned into the start's wall time. Compared as written, "09:00Z" would end a series at
///   10:00 Amsterdam time before its last occurrence;
/// - a daily or weekly series without COUNT that began long before the window starts whole
///   periods later (same weekday, same wall time), so years of past occurrences are not walked
///   one by one ([`skip_ahead`]).
fn prepare_series(ical: &mut ICalendar, from: DateTime<Utc>, to: DateTime<Utc>) {
    let resolver = ical.build_tz_resolver().with_default(CalTz::UTC);
    let zones: Vec<Option<CalTz>> = ical
        .components
        .iter()
        .map(|comp| {
            comp.property(&ICalendarProperty::Dtstart)
                .and_then(|e| e.tz_id())
                .and_then(|id| resolver.resolve(id))
        })
        .collect();
    drop(resolver);
    for (comp, zone) in ical.components.iter_mut().zip(zones) {
        let start = comp
            .property(&ICalendarProperty::Dtstart)
            .and_then(|e| e.values.first())
            .and_then(|v| v.as_partial_date_time())
            .cloned();
        let date_only = start.as_ref().is_some_and(|p| p.hour.is_none());
        // UNTIL takes the start's form: UTC for a start in UTC, wall time otherwise.
        let start_in_utc = zone.is_none() && start.as_ref().is_some_and(|p| p.tz_hour.is_some());
        let wall = |instant: DateTime<Utc>| -> PartialDateTime {
            let local = match zone {
                Some(z) => instant.with_timezone(&z).naive_local(),
                None => instant.naive_utc(),
            };
            let mut p = PartialDateTime::from_naive_timestamp(local.and_utc().timestamp());
            if start_in_utc {
                p.tz_hour = Some(0);
                p.tz_minute = Some(0);
            }
            if date_only {
                (p.hour, p.minute, p.second) = (None, None, None);
                (p.tz_hour, p.tz_minute) = (None, None);
            }
            p
        };
        skip_ahead(comp, from);
        for entry in comp.properties_mut(&ICalendarProperty::Rrule) {
            for value in &mut entry.values {
                let ICalendarValue::RecurrenceRule(rule) = value else {
                    continue;
                };
                match &rule.until {
                    None if rule.count.is_none() => {
                        rule.until = Some(wall(to + Duration::days(2)));
                    }
                    Some(until) if until.tz_hour.is_some() && zone.is_some() && !date_only => {
                        let instant = until
                            .to_date_time()
                            .and_then(|d| d.offset.map(|o| (d.date_time, o)))
                            .and_then(|(naive, offset)| offset.from_local_datetime(&naive).single())
                            .map(|t| t.with_timezone(&Utc));
                        if let Some(instant) = instant {
                            rule.until = Some(wall(instant));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

/// Moves the start (and DTEND with it) of a daily or weekly series without COUNT forward by whole
/// periods (INTERVAL days or weeks), to at least two periods before `from`. The occurrences from
/// there on are the same; EXDATE and moved occurrences are matched by their own dates.
fn skip_ahead(comp: &mut ICalendarComponent, from: DateTime<Utc>) {
    use calcard::icalendar::ICalendarFrequency;
    let Some(rule) = comp
        .property(&ICalendarProperty::Rrule)
        .and_then(|e| e.values.first())
        .and_then(|v| match v {
            ICalendarValue::RecurrenceRule(r) => Some(r.clone()),
            _ => None,
        })
    else {
        return;
    };
    if rule.count.is_some() || comp.properties(&ICalendarProperty::Rrule).count() > 1 {
        return;
    }
    let days = match rule.freq {
        ICalendarFrequency::Daily => 1,
        ICalendarFrequency::Weekly => 7,
        _ => return,
    } * i64::from(rule.interval.unwrap_or(1).max(1));
    let start_date = |c: &ICalendarComponent| {
        c.property(&ICalendarProperty::Dtstart)
            .and_then(|e| e.values.first())
            .and_then(|v| v.as_partial_date_time())
            .and_then(|p| p.to_date_time())
            .map(|d| d.date_time.date())
    };
    let Some(start) = start_date(comp) else {
        return;
    };
    // Wall dates: a day either way of `from` in UTC is absorbed by the two periods' margin.
    let lead = (from.date_naive() - start).num_days() - 2 * days;
    let periods = lead.div_euclid(days);
    if periods <= 0 {
        return;
    }
    let shift = Duration::days(periods * days);
    for property in [ICalendarProperty::Dtstart, ICalendarProperty::Dtend] {
        for entry in comp.properties_mut(&property) {
            for value in &mut entry.values {
                if let ICalendarValue::PartialDateTime(p) = value {
                    let moved = p
                        .to_date_time()
                        .map(|d| d.date_time.date())
                        .and_then(|d| d.checked_add_signed(shift));
                    if let Some(d) = moved {
                        use chrono::Datelike;
                        p.year = Some(d.year() as u16);
                        p.month = Some(d.month() as u8);
                        p.day = Some(d.day() as u8);
                    }
                }
            }
        }
    }
}

fn text(comp: &ICalendarComponent, property: &ICalendarProperty) -> Option<String> {
    comp.property(property)
        .and_then(|e| e.values.first())
        .and_then(|v| v.as_text())
        .map(str::to_string)
}

/// `DTSTART;VALUE=DATE`, or Outlook's `X-MICROSOFT-CDO-ALLDAYEVENT:TRUE`.
fn is_all_day(comp: &ICalendarComponent) -> bool {
    let date = comp
        .property(&ICalendarProperty::Dtstart)
        .and_then(|e| e.values.first())
        .and_then(|v| v.as_partial_date_time())
        .is_some_and(|p| p.hour.is_none());
    let outlook = comp.entries.iter().any(|e| {
        e.name
            .as_str()
            .eq_ignore_ascii_case("X-MICROSOFT-CDO-ALLDAYEVENT")
            && e.values
                .first()
                .and_then(|v| v.as_text())
                .is_some_and(|t| t.eq_ignore_ascii_case("TRUE"))
    });
    date || outlook
}

fn is_cancelled(comp: &ICalendarComponent) -> bool {
    comp.property(&ICalendarProperty::Status)
        .and_then(|e| e.values.first())
        .is_some_and(|v| matches!(v, ICalendarValue::Status(ICalendarStatus::Cancelled)))
}

/// The texts of [`LINK_FIELDS`] this event has, in that order.
fn link_fields(comp: &ICalendarComponent) -> Vec<(String, String)> {
    LINK_FIELDS
        .iter()
        .flat_map(|field| {
            comp.entries
                .iter()
                .filter(move |e| e.name.as_str().eq_ignore_ascii_case(field))
                .flat_map(|e| e.values.iter().filter_map(|v| v.as_text()))
                .map(move |t| (field.to_string(), t.to_string()))
        })
        .collect()
}
