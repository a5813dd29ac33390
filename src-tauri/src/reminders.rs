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
    let title = state.engine().locale(lang).get("reminder.title");
    remind_with(app, title, Vec::new()).await
}

/// Sends a reminder titled `title` with the usual lines (phone on silent, tidy background) and
/// `more` after them; without a notification service the window shows it.
pub async fn remind_with<R: Runtime>(
    app: AppHandle<R>,
    title: String,
    more: Vec<String>,
) -> Snapshot {
    remind_with_actions(app, title, more, None).await
}

/// What a person can do from a meeting reminder: its buttons.
pub struct Buttons {
    /// (key, label), in order; "default" is also a click on the notification itself.
    pub actions: Vec<(String, String)>,
    /// Said in the body when the notification service shows no buttons.
    pub without_buttons: String,
    /// Called with the key of the button pressed ("__closed" when closed without one).
    pub pressed: Box<dyn FnOnce(String) + Send>,
    /// Called when the buttons could not be shown: the service shows none, or there is no
    /// notification service at all.
    pub unshown: Box<dyn FnOnce() + Send>,
}

/// [`remind_with`], with buttons where the notification service shows them.
pub async fn remind_with_actions<R: Runtime>(
    app: AppHandle<R>,
    title: String,
    more: Vec<String>,
    buttons: Option<Buttons>,
) -> Snapshot {
    let state = app.state::<AppState>();
    let lang = state.lang();
    let mut lines = state.reminder_lines(lang);
    lines.extend(more);
    let outcome = notify(title, lines, buttons).await;
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
    let at = chrono::Utc::now() + chrono::Duration::from_std(delay).unwrap_or_default();
    *slot = Some(tauri::async_runtime::spawn(async move {
        until_wall_clock(at, chrono::Utc::now, |d| tokio::time::sleep(d)).await;
        handle.state::<AppState>().set_reminder_due(None);
        remind_now(handle).await;
    }));
    drop(slot);
    publish(app)
}

/// The longest Klaar sleeps before it looks at the wall clock again.
pub const LOOK_AGAIN: Duration = Duration::from_secs(15);

/// Waits until the wall clock reads `at`. Timers run on the monotonic clock, which stops while
/// the laptop sleeps (a 5-minute timer across an hour of sleep would fire 65 minutes late), so
/// this sleeps in short steps and reads the wall clock after each one: after a wake it returns
/// within [`LOOK_AGAIN`].
pub async fn until_wall_clock<F: std::future::Future<Output = ()>>(
    at: chrono::DateTime<chrono::Utc>,
    now: impl Fn() -> chrono::DateTime<chrono::Utc>,
    sleep: impl Fn(Duration) -> F,
) {
    loop {
        let left = (at - now()).to_std().unwrap_or_default();
        if left.is_zero() {
            return;
        }
        sleep(left.min(LOOK_AGAIN)).await;
    }
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
/// A notification of its own lines (not the reminder's), with buttons where the service shows
/// them; how it went. Waits at most [`SERVICE_DEADLINE`].
pub async fn notify(
    title: String,
    lines: Vec<String>,
    buttons: Option<Buttons>,
) -> ReminderOutcome {
    let body = lines.join("\n");
    tokio::time::timeout(
        SERVICE_DEADLINE,
        tauri::async_runtime::spawn_blocking(move || deliver_with(&title, &body, buttons)),
    )
    .await
    .ok()
    .and_then(|joined| joined.ok())
    .unwrap_or(ReminderOutcome::NoNotificationService)
}

pub fn tell_stays_in_tray(title: String, body: String) {
    std::thread::spawn(move || deliver(&title, &body));
}

fn deliver(title: &str, body: &str) -> ReminderOutcome {
    deliver_with(title, body, None)
}

fn deliver_with(title: &str, body: &str, buttons: Option<Buttons>) -> ReminderOutcome {
    if notify_rust::get_server_information().is_err() {
        if let Some(buttons) = buttons {
            (buttons.unshown)();
        }
        return ReminderOutcome::NoNotificationService;
    }
    let mut notification = notify_rust::Notification::new();
    notification
        .appname("Klaar")
        .summary(title)
        .icon("appointment-soon");
    let has_buttons =
        notify_rust::get_capabilities().is_ok_and(|caps| caps.iter().any(|c| c == "actions"));
    let mut body = body.to_string();
    let mut pressed = None;
    if let Some(buttons) = buttons {
        if has_buttons {
            for (key, label) in &buttons.actions {
                notification.action(key, label);
            }
        } else {
            body = format!("{body}\n{}", buttons.without_buttons);
            (buttons.unshown)();
        }
        pressed = Some(buttons.pressed);
    }
    let sent = notification.body(&body).show();
    match sent {
        Ok(shown) => {
            // The handle holds the bus connection. GNOME removes a sender's notifications when
            // its bus name goes away, so it is kept until the notification is closed.
            std::thread::spawn(move || {
                shown.wait_for_action(|key| {
                    if let Some(pressed) = pressed {
                        pressed(key.to_string());
                    }
                })
            });
            ReminderOutcome::Delivered
        }
        Err(_) => ReminderOutcome::NotificationFailed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};
    use std::sync::Mutex;

    /// A clock the test moves: each sleep advances it by the time slept, and the first sleep
    /// also by an hour, as a laptop that went to sleep.
    #[test]
    fn a_reminder_after_a_sleep_comes_on_waking_not_an_hour_late() {
        let start: DateTime<Utc> = "2026-12-01T09:00:00Z".parse().unwrap();
        let clock = Mutex::new(start);
        let slept = Mutex::new(Vec::new());
        let at = start + chrono::Duration::minutes(5);
        tauri::async_runtime::block_on(until_wall_clock(
            at,
            || *clock.lock().unwrap(),
            |d| {
                let mut now = clock.lock().unwrap();
                let mut steps = slept.lock().unwrap();
                let suspended = if steps.is_empty() {
                    chrono::Duration::hours(1)
                } else {
                    chrono::Duration::zero()
                };
                *now += chrono::Duration::from_std(d).unwrap() + suspended;
                steps.push(d);
                std::future::ready(())
            },
        ));
        // One short step, the laptop slept through the rest: returned at once on waking.
        assert_eq!(*slept.lock().unwrap(), [LOOK_AGAIN]);
        // Without a sleep: steps of at most LOOK_AGAIN until the time, and not past it.
        let clock = Mutex::new(start);
        let total = Mutex::new(Duration::ZERO);
        tauri::async_runtime::block_on(until_wall_clock(
            at,
            || *clock.lock().unwrap(),
            |d| {
                assert!(d <= LOOK_AGAIN);
                *clock.lock().unwrap() += chrono::Duration::from_std(d).unwrap();
                *total.lock().unwrap() += d;
                std::future::ready(())
            },
        ));
        assert_eq!(*total.lock().unwrap(), Duration::from_secs(300));
    }
}
