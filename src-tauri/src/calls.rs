//! The call watch: every [`LOOK_EVERY`] Klaar looks which call apps run and whether another
//! program holds the camera or records from the microphone (`klaar_probes::media_use`), and
//! lets `klaar_meetings::calls` decide. A call starting without a recent check gets an offer
//! (Check now / Dismiss); a call ending gets the reminder to clear the chat history, citing both
//! guides.

use crate::reminders::{notify, Buttons};
use crate::state::AppState;
use chrono::Utc;
use klaar_checklist::{AppDef, Role};
use klaar_meetings::calls::{CallWatch, Say, Seen};
use klaar_probes::media_use::Signals;
use klaar_probes::Root;
use std::time::Duration;
use tauri::{AppHandle, Manager, Runtime};

/// How often the watch looks (issue 10: at most once a second). A look reads each process's
/// name (new processes in full) and asks the sound server; the open files of every process only
/// when a camera node was opened or closed (`klaar_probes::media_use`).
pub const LOOK_EVERY: Duration = Duration::from_secs(2);

/// A look that takes longer is not waited for; the next one tries again.
pub const LOOK_DEADLINE: Duration = Duration::from_secs(5);

/// Starts the watch for as long as Klaar runs.
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    let calls: Vec<AppDef> = app
        .state::<AppState>()
        .engine()
        .catalogue()
        .apps
        .iter()
        .filter(|a| a.roles.contains(&Role::Call))
        .cloned()
        .collect();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let calls = std::sync::Arc::new(calls);
        let signals = std::sync::Arc::new(std::sync::Mutex::new(Signals::new()));
        let mut watch = CallWatch::default();
        loop {
            let (apps, signals) = (calls.clone(), signals.clone());
            let look = tauri::async_runtime::spawn_blocking(move || {
                // A look that still runs (a process table that reads slowly) is not queued behind.
                let mut signals = signals.try_lock().ok()?;
                Some(look(&mut signals, &Root::from_env(), &apps))
            });
            let Ok(Ok(Some(seen))) = tokio::time::timeout(LOOK_DEADLINE, look).await else {
                tokio::time::sleep(LOOK_EVERY).await;
                continue;
            };
            let state = app.state::<AppState>();
            let said = watch.observe(&seen, Utc::now(), state.last_check(), &state.meetings());
            for say in said {
                tell(&app, say).await;
            }
            tokio::time::sleep(LOOK_EVERY).await;
        }
    });
}

/// What the computer shows now, as the call rules see it.
pub fn look(signals: &mut Signals, root: &Root, calls: &[AppDef]) -> Seen {
    let seen = signals.look(root);
    Seen {
        call_apps: klaar_checklist::apps::recognise(&seen.processes, calls)
            .into_iter()
            .map(|a| a.key.clone())
            .collect(),
        camera: seen.camera.is_some(),
        microphone: seen.microphone,
    }
}

async fn tell<R: Runtime>(app: &AppHandle<R>, say: Say) {
    let state = app.state::<AppState>();
    let engine = state.engine();
    let locale = engine.locale(state.lang());
    let name = |key: &Option<String>| {
        key.as_deref()
            .map(|k| state.engine().catalogue().app_name(k))
    };
    match say {
        Say::OfferCheck {
            app: started,
            meeting,
        } => {
            let title = match &meeting {
                Some(m) => locale.fill(
                    "calls.offer_title_meeting",
                    &[("summary", m.summary.clone())],
                ),
                None => locale.get("calls.offer_title"),
            };
            let mut lines = Vec::new();
            if let Some(name) = name(&started) {
                lines.push(locale.fill("calls.offer_app", &[("app", name)]));
            }
            lines.push(locale.get("calls.offer_body"));
            let handle = app.clone();
            let buttons = Buttons {
                actions: vec![
                    ("default".into(), locale.get("meeting.check_now")),
                    ("dismiss".into(), locale.get("meeting.dismiss")),
                ],
                without_buttons: locale.get("meeting.no_buttons"),
                pressed: Box::new(move |key: String| {
                    if key == "default" {
                        let _ = crate::window::show(&handle);
                        let _ = crate::checking::start(&handle, &[]);
                    }
                }),
                // The tray's "Controleer voor je gesprek" is there anyway.
                unshown: Box::new(|| {}),
            };
            notify(title, lines, Some(buttons)).await;
        }
        Say::ClearChat {
            app: used, meeting, ..
        } => {
            // The call is over: "do not disturb" for its meeting ends now, so this shows.
            if let Some(meeting) = &meeting {
                state.set_call_over(meeting.key());
            }
            if let Some(quiet) = app.try_state::<crate::quiet::Quiet>() {
                quiet.hold(false, "");
            }
            let first = match name(&used) {
                Some(name) => locale.fill("calls.clear_body_app", &[("app", name)]),
                None => locale.get("calls.clear_body"),
            };
            let lines = vec![
                first,
                locale.get("calls.clear_consent"),
                locale.get("calls.clear_sources"),
            ];
            notify(locale.get("calls.clear_title"), lines, None).await;
        }
    }
}
