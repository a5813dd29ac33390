//! "Phone on silent, tidy your background" as a desktop notification, or in the window when the
//! desktop has no notification service (a notification sent into the void would look delivered).

use crate::models::Snapshot;
use crate::publish::publish;
use crate::state::{AppState, ReminderOutcome};
use std::sync::Mutex;
use std::time::Duration;
use tauri::async_runtime::JoinHandle;
use tauri::{AppHandle, Manager, Runtime};

/// "Remind me in 5 minutes" from the tray.
pub const LATER: Duration = Duration::from_secs(5 * 60);

/// How long to wait for the notification service to answer before showing the reminder in the
/// window instead.
const SERVICE_DEADLINE: Duration = Duration::from_secs(2);

/// The pending "remind me later"; a new one replaces it.
#[derive(Default)]
pub struct Pending(Mutex<Option<JoinHandle<()>>>);

pub async fn remind_now<R: Runtime>(app: AppHandle<R>) -> Snapshot {
    let state = app.state::<AppState>();
    let lang = state.lang();
    let title = state.engine.locale(lang).get("reminder.title");
    let body = state.reminder_lines(lang).join("\n");
    let outcome = tokio::time::timeout(
        SERVICE_DEADLINE,
        tauri::async_runtime::spawn_blocking(move || deliver(&title, &body)),
    )
    .await
    .ok()
    .and_then(|joined| joined.ok())
    .unwrap_or(ReminderOutcome::NoNotificationService);
    state.set_reminder(outcome);
    if outcome != ReminderOutcome::Delivered {
        // The reminder must reach the user: show it in the window.
        let _ = crate::window::show(&app);
    }
    publish(&app)
}

/// Reminds after `delay`; a reminder already waiting is replaced. The window says when ("Ik
/// herinner je om 10:25") and can cancel it.
pub fn remind_later<R: Runtime>(app: &AppHandle<R>, delay: Duration) -> Snapshot {
    let pending = app.state::<Pending>();
    let mut slot = pending.0.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(previous) = slot.take() {
        previous.abort();
    }
    let due = crate::clock::hh_mm_after(delay);
    app.state::<AppState>().set_reminder_due(Some(due));
    let handle = app.clone();
    *slot = Some(tauri::async_runtime::spawn(async move {
        tokio::time::sleep(delay).await;
        handle.state::<AppState>().set_reminder_due(None);
        remind_now(handle).await;
    }));
    drop(slot);
    publish(app)
}

/// Cancels the waiting "remind me later", if any.
pub fn cancel<R: Runtime>(app: &AppHandle<R>) -> Snapshot {
    if let Some(waiting) = app
        .state::<Pending>()
        .0
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()
    {
        waiting.abort();
    }
    app.state::<AppState>().set_reminder_due(None);
    publish(app)
}

/// Says once, as a desktop notification, that closing the window keeps Klaar in the tray.
pub fn tell_stays_in_tray(title: String, body: String) {
    std::thread::spawn(move || deliver(&title, &body));
}

fn deliver(title: &str, body: &str) -> ReminderOutcome {
    if notify_rust::get_server_information().is_err() {
        return ReminderOutcome::NoNotificationService;
    }
    let sent = notify_rust::Notification::new()
        .appname("Klaar")
        .summary(title)
        .body(body)
        .icon("appointment-soon")
        .show();
    match sent {
        Ok(_) => ReminderOutcome::Delivered,
        Err(_) => ReminderOutcome::NotificationFailed,
    }
}
