//! The window's calendar settings: add a calendar (a secret address pasted, or a file's place),
//! remove one, and choose how many minutes before a meeting Klaar reminds. Adding checks the
//! calendar first (`klaar_calendars::adding`, as `klaar agenda --add` does); the outcome is said
//! under the field in the person's words.

use crate::models::{CalendarEntry, CalendarSettings, Notice, Snapshot};
use crate::publish::publish;
use crate::state::AppState;
use klaar_calendars::adding::{self, Added};
use klaar_calendars::Places;
use tauri::{AppHandle, Manager, Runtime};

/// Adds `given` and says how it went; the calendar watch reads it at once.
pub async fn add<R: Runtime>(app: &AppHandle<R>, given: String) -> Snapshot {
    let state = app.state::<AppState>();
    let engine = state.engine();
    let locale = engine.locale(state.lang());
    let notice = match Places::usual() {
        None => Notice {
            text: locale.get("agenda.address_file"),
            problem: true,
        },
        Some(places) => match adding::add(&given, &places, chrono::Utc::now()).await {
            Err((name, problem)) => Notice {
                text: format!("{name}: {}", klaar_calendars::explain(&problem, locale)),
                problem: true,
            },
            Ok(added) => {
                let saved = state.change_settings(|s| match &added {
                    Added::File(path) if !s.calendars.contains(path) => {
                        s.calendars.push(path.clone())
                    }
                    Added::Address { label, .. } if !s.addresses.contains(label) => {
                        s.addresses.push(label.clone())
                    }
                    _ => {}
                });
                if !saved {
                    // It works until Klaar quits, and the person is told so.
                    state.set_calendar_notice(Some(Notice {
                        text: locale.get("ui.settings_unwritable"),
                        problem: true,
                    }));
                    crate::meetings::reread(app);
                    return publish(app);
                }
                Notice {
                    text: adding::say_added(&added, locale, |path| {
                        locale.fill(
                            "ui.calendar_file_added",
                            &[("calendar", path.display().to_string())],
                        )
                    }),
                    problem: false,
                }
            }
        },
    };
    state.set_calendar_notice(Some(notice));
    crate::meetings::reread(app);
    publish(app)
}

/// Removes the calendar shown as `name` (a file's path or an address's label), with its secret
/// and cached copy.
pub async fn remove<R: Runtime>(app: &AppHandle<R>, name: String) -> Snapshot {
    let state = app.state::<AppState>();
    let engine = state.engine();
    let locale = engine.locale(state.lang());
    // The secret first: a keyring that refuses keeps the calendar listed, so it can be
    // removed again, instead of leaving the address behind unseen.
    if state.settings().addresses.contains(&name) {
        if let Some(places) = Places::usual() {
            if let Err(problem) = adding::forget(&name, &places).await {
                state.set_calendar_notice(Some(Notice {
                    text: format!("{name}: {}", klaar_calendars::explain(&problem, locale)),
                    problem: true,
                }));
                return publish(app);
            }
        }
    }
    let saved = state.change_settings(|s| {
        s.addresses.retain(|a| *a != name);
        s.calendars.retain(|p| p.display().to_string() != name);
    });
    state.set_calendar_notice((!saved).then(|| Notice {
        text: locale.get("ui.settings_unwritable"),
        problem: true,
    }));
    crate::meetings::reread(app);
    publish(app)
}

/// Sets the reminder minutes (one of `klaar_settings::REMIND_CHOICES`; others are ignored).
pub fn set_remind_minutes<R: Runtime>(app: &AppHandle<R>, minutes: u32) -> Snapshot {
    if crate::settings::REMIND_CHOICES.contains(&minutes) {
        let _ = app
            .state::<AppState>()
            .change_settings(|s| s.remind_minutes = Some(minutes));
        crate::meetings::reread(app);
    }
    publish(app)
}

/// Switches "do not disturb during meetings" on or off, where the desktop offers it.
pub fn set_do_not_disturb<R: Runtime>(app: &AppHandle<R>, on: bool) -> Snapshot {
    let offered = app
        .try_state::<crate::quiet::Quiet>()
        .is_some_and(|q| !matches!(q.kind(), crate::quiet::Kind::Unavailable(_)));
    if offered || !on {
        let _ = app
            .state::<AppState>()
            .change_settings(|s| s.do_not_disturb = on);
        crate::meetings::reread(app);
    }
    publish(app)
}

/// What the settings view shows; `quiet`: the desktop's "do not disturb", if Klaar can use it.
pub fn view(
    settings: &crate::settings::Settings,
    notice: Option<Notice>,
    quiet: Option<crate::quiet::Kind>,
    locale: &klaar_checklist::Locale,
) -> CalendarSettings {
    CalendarSettings {
        calendars: settings
            .calendars
            .iter()
            .map(|p| CalendarEntry {
                name: p.display().to_string(),
                address: false,
            })
            .chain(settings.addresses.iter().map(|label| CalendarEntry {
                name: label.clone(),
                address: true,
            }))
            .collect(),
        remind_minutes: settings
            .remind_minutes
            .unwrap_or(klaar_meetings::agenda::DEFAULT_REMIND_MINUTES as u32),
        notice,
        do_not_disturb: settings.do_not_disturb,
        do_not_disturb_unavailable: match quiet {
            Some(crate::quiet::Kind::Unavailable(reason)) => Some(locale.get(reason)),
            None => Some(locale.get("ui.dnd_other_desktop")),
            Some(_) => None,
        },
    }
}
