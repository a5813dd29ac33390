//! Reminders from the person's calendars (`[calendars] files` and `addresses` in
//! `settings.toml`): a few minutes before each online meeting, a notification names the meeting,
//! asks for the phone on silent and a tidy background, and warns when the meeting's app is not
//! AVG-proof. The window shows the next online meeting, and for each calendar when it was last
//! fetched or why it could not be read.
//!
//! The calendars are read again every minute (a file the calendar program rewrites is picked up);
//! addresses are fetched every [`klaar_calendars::REFRESH_EVERY`] and on waking from sleep
//! (`crate::wake`), else their last good copy is read. The decisions are
//! `klaar_meetings::schedule`'s, against the wall clock.

use crate::publish::publish;
use crate::state::{AppState, CalendarStatus};
use chrono::{DateTime, Duration, Utc};
use klaar_checklist::{Avg, Lang};
use klaar_meetings::agenda::{self, AgendaEvent, DEFAULT_REMIND_MINUTES};
use klaar_meetings::schedule::{Meeting, Reminders};
use std::path::PathBuf;
use tauri::{AppHandle, Manager, Runtime};

/// How often the calendars are read again.
pub const REREAD: Duration = Duration::minutes(1);

/// How long "snooze" waits.
pub const SNOOZE: Duration = Duration::minutes(2);

/// What has been reminded, shared with the reminders' buttons (snooze); and a nudge that wakes
/// the watch when a button changed the plan.
#[derive(Default)]
pub struct Watch {
    reminders: std::sync::Mutex<Reminders>,
    nudge: tokio::sync::Notify,
    /// Set on waking from sleep: fetch every address now.
    woke: std::sync::atomic::AtomicBool,
}

impl Watch {
    /// The laptop woke up: fetch the addresses again and look at the reminders now.
    pub fn woke(&self) {
        self.woke.store(true, std::sync::atomic::Ordering::SeqCst);
        self.nudge.notify_one();
    }
}

/// Starts watching the calendars in the settings; calendars added or removed later (in the
/// window) are read at the next round, which [`reread`] brings forward.
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    app.manage(Watch::default());
    crate::wake::listen(app);
    // Once: the apps' ratings, the meeting-link patterns and the https client.
    let apps = std::sync::Arc::new(app.state::<AppState>().engine().catalogue().apps.clone());
    let services = std::sync::Arc::new(klaar_meetings::online::builtin());
    // The https client (and the system's certificates it loads) only once an address is added.
    let mut places: Option<Option<klaar_calendars::Places>> = None;
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            let now = Utc::now();
            // A calendar added from the command line meanwhile is read too.
            app.state::<AppState>().reload_settings_if_changed();
            let state = app.state::<AppState>();
            let settings = state.effective_settings(&state.settings());
            let quiet_wanted = settings.do_not_disturb;
            let (files, labels, minutes) = (
                settings.calendars,
                settings.addresses,
                settings
                    .remind_minutes
                    .map(i64::from)
                    .unwrap_or(DEFAULT_REMIND_MINUTES),
            );
            let woke = app
                .state::<Watch>()
                .woke
                .swap(false, std::sync::atomic::Ordering::SeqCst);
            if !labels.is_empty() && places.is_none() {
                places = Some(klaar_calendars::Places::usual());
            }
            // All addresses at once: one slow server does not hold up the others' reminders.
            let mut fetching = tokio::task::JoinSet::new();
            for (index, label) in labels.iter().cloned().enumerate() {
                let places = places.clone().flatten();
                fetching.spawn(async move {
                    let loaded = match places {
                        Some(places) => {
                            let due = woke || places.due(&label, now);
                            places.load(&label, due, now).await
                        }
                        None => klaar_calendars::Loaded::missing(&label),
                    };
                    (index, loaded)
                });
            }
            let mut loaded: Vec<(usize, klaar_calendars::Loaded)> = fetching.join_all().await;
            // In the settings' order.
            loaded.sort_by_key(|(index, _)| *index);
            let loaded: Vec<klaar_calendars::Loaded> = loaded.into_iter().map(|(_, l)| l).collect();
            let (apps, services) = (apps.clone(), services.clone());
            let (events, statuses) = tauri::async_runtime::spawn_blocking(move || {
                if files.is_empty() && loaded.is_empty() {
                    return Default::default();
                }
                let read = upcoming(&files, loaded, now, minutes, &apps, &services);
                // Parsing and expanding allocated and freed a few MB: give it back.
                crate::memory::trim_heap();
                read
            })
            .await
            .unwrap_or_default();
            app.state::<AppState>().set_calendars(statuses);
            let meetings: Vec<(Meeting, AgendaEvent)> = events
                .into_iter()
                .filter_map(|e| Some((meeting(&e)?, e)))
                .collect();
            let plain: Vec<Meeting> = meetings.iter().map(|(m, _)| m.clone()).collect();
            app.state::<AppState>().set_meetings(plain.clone());
            let events: Vec<AgendaEvent> = meetings.iter().map(|(_, e)| e.clone()).collect();
            app.state::<AppState>().set_meeting_events(events);
            // "Do not disturb" while a meeting goes on, if the person chose it.
            let in_meeting = plain.iter().any(|m| {
                m.start <= now && now < m.end && !app.state::<AppState>().call_over(&m.key())
            });
            if let Some(quiet) = app.try_state::<crate::quiet::Quiet>() {
                let state = app.state::<AppState>();
                let reason = state.engine().locale(state.lang()).get("ui.dnd_reason");
                quiet.hold(quiet_wanted && in_meeting, &reason);
            }
            let due = lock(&app).due(&plain, now);
            for due in due {
                if let Some((_, event)) = meetings.iter().find(|(m, _)| m.key() == due.key()) {
                    remind(&app, event, due.clone()).await;
                }
            }
            let state = app.state::<AppState>();
            let lang = state.lang();
            state.set_next_meeting(meetings.iter().find(|(m, _)| m.start > now).map(|(m, e)| {
                crate::state::NextMeeting {
                    text: describe(&state, lang, e),
                    summary: m.summary.clone(),
                    start: m.start,
                }
            }));
            publish(&app);
            // The tray menu says how long until it starts: once a minute is often enough.
            crate::tray::refresh_menu(&app);
            let mut wake = lock(&app)
                .next(&plain, now)
                .unwrap_or(now + REREAD)
                .min(now + REREAD);
            if quiet_wanted {
                // "Do not disturb" begins and ends with the meeting, not up to a minute later.
                let edge = plain
                    .iter()
                    .flat_map(|m| [m.start, m.end])
                    .filter(|t| *t > now)
                    .min();
                wake = edge.map_or(wake, |edge| wake.min(edge));
            }
            let watch = app.state::<Watch>();
            tokio::select! {
                _ = crate::reminders::until_wall_clock(wake, Utc::now, tokio::time::sleep) => {}
                _ = watch.nudge.notified() => {}
            }
        }
    });
}

/// Reads the calendars again now (one was added or removed, or the minutes changed).
pub fn reread<R: Runtime>(app: &AppHandle<R>) {
    if let Some(watch) = app.try_state::<Watch>() {
        watch.nudge.notify_one();
    }
}

fn lock<R: Runtime>(app: &AppHandle<R>) -> std::sync::MutexGuard<'_, Reminders> {
    app.state::<Watch>()
        .inner()
        .reminders
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// The online meetings from an hour ago to a day ahead, and how reading each calendar went:
/// the files read now, the addresses as `loaded` (fetched, or their last good copy).
fn upcoming(
    files: &[PathBuf],
    loaded: Vec<klaar_calendars::Loaded>,
    now: DateTime<Utc>,
    minutes: i64,
    apps: &[klaar_checklist::AppDef],
    services: &[klaar_meetings::online::Service],
) -> (Vec<AgendaEvent>, Vec<CalendarStatus>) {
    let mut statuses = Vec::new();
    let mut calendars = Vec::new();
    let read_files = files
        .iter()
        .map(|path| (false, klaar_calendars::Loaded::file(path)));
    for (address, calendar) in read_files.chain(loaded.into_iter().map(|l| (true, l))) {
        let mut problem = calendar.problem;
        if let Some(text) = &calendar.text {
            match klaar_meetings::calendar::parse(&calendar.name, text) {
                Ok(c) => calendars.push(c),
                Err(p) => problem = problem.or(Some(klaar_calendars::Problem::Calendar(p))),
            }
        }
        statuses.push(CalendarStatus {
            name: calendar.name,
            address,
            refreshed: calendar.refreshed,
            has_text: calendar.text.is_some(),
            problem,
        });
    }
    let zone = klaar_calendars::user_zone();
    let events = agenda::list(
        &calendars,
        &agenda::Options {
            from: now - Duration::hours(1),
            to: now + Duration::days(1),
            zone,
            all: false,
            remind_minutes: minutes,
            apps,
            services,
        },
        Vec::new(),
        |_| String::new(),
    )
    .events;
    (events, statuses)
}

fn meeting(e: &AgendaEvent) -> Option<Meeting> {
    let instant = |w: klaar_meetings::When| match w {
        klaar_meetings::When::Time(t) => Some(t.with_timezone(&Utc)),
        klaar_meetings::When::Date(_) => None,
    };
    Some(Meeting {
        uid: e.uid.clone(),
        summary: e.summary.clone(),
        start: instant(e.start)?,
        end: instant(e.end)?,
        remind_at: DateTime::parse_from_rfc3339(e.remind_at.as_deref()?)
            .ok()?
            .with_timezone(&Utc),
    })
}

/// "Je gesprek 'Teamoverleg' begint om 10:00", the usual lines, and a warning for an app that
/// is not AVG-proof.
async fn remind<R: Runtime>(app: &AppHandle<R>, event: &AgendaEvent, meeting: Meeting) {
    let state = app.state::<AppState>();
    let engine = state.engine();
    let locale = engine.locale(state.lang());
    let handle = app.clone();
    let tray = app.clone();
    let (summary, end) = (meeting.summary.clone(), meeting.end);
    let buttons = crate::reminders::Buttons {
        actions: vec![
            ("default".into(), locale.get("meeting.check_now")),
            ("snooze".into(), locale.get("meeting.snooze")),
            ("dismiss".into(), locale.get("meeting.dismiss")),
        ],
        without_buttons: locale.get("meeting.no_buttons"),
        pressed: Box::new(move |key: String| match key.as_str() {
            // A click on the notification or "Check now": the window and a check.
            "default" => {
                let _ = crate::window::show(&handle);
                let _ = crate::checking::start(&handle, &[]);
            }
            "snooze" => {
                lock(&handle).snooze(&meeting, Utc::now() + SNOOZE);
                handle.state::<Watch>().nudge.notify_one();
            }
            _ => {}
        }),
        // No buttons: the tray menu's first entry becomes "Nu controleren voor '…'".
        unshown: Box::new(move || {
            tray.state::<AppState>().set_check_for(Some((summary, end)));
            crate::tray::refresh_menu(&tray);
        }),
    };
    let title = locale.fill(
        "meeting.title",
        &[("summary", event.summary.clone()), ("time", clock(event))],
    );
    let mut more = Vec::new();
    if event.avg == Some(Avg::No) {
        more.push(locale.fill("meeting.not_avg", &[("app", app_name(&state, event))]));
    }
    crate::reminders::remind_with_actions(app.clone(), title, more, Some(buttons)).await;
}

/// "Volgende online vergadering: Teamoverleg om 10:00 (Microsoft Teams, AVG-proof)".
fn describe(state: &AppState, lang: Lang, e: &AgendaEvent) -> String {
    let engine = state.engine();
    let locale = engine.locale(lang);
    let rating = e
        .avg
        .map(|a| locale.get(a.locale_key()))
        .unwrap_or_default();
    locale.fill(
        "meeting.next",
        &[
            ("summary", e.summary.clone()),
            ("time", clock(e)),
            ("app", app_name(state, e)),
            ("avg", rating),
        ],
    )
}

fn clock(e: &AgendaEvent) -> String {
    match e.start {
        klaar_meetings::When::Time(t) => t.format("%H:%M").to_string(),
        klaar_meetings::When::Date(d) => d.format("%Y-%m-%d").to_string(),
    }
}

fn app_name(state: &AppState, e: &AgendaEvent) -> String {
    let key = e
        .online
        .as_ref()
        .map(|o| o.service.as_str())
        .unwrap_or_default();
    state.engine().catalogue().app_name(key)
}
