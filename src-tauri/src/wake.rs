//! Waking from sleep: logind's `PrepareForSleep(false)` on the system bus (systemd-logind and
//! elogind send it to everyone after a resume). Klaar then fetches the calendar addresses again
//! and looks at the reminders at once, instead of waiting for the next minute's round.
//!
//! Without a system bus or logind (a container, a test) nothing is listened to: the minute's
//! round and the wall-clock reminders still hold (see `crate::reminders::until_wall_clock`).

use crate::meetings::Watch;
use tauri::{AppHandle, Manager, Runtime};

/// Listens on a thread of its own for as long as Klaar runs.
pub fn listen<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    let _ = std::thread::Builder::new()
        .name("klaar-wake".into())
        .spawn(move || {
            let _ = watch(|| {
                if let Some(watch) = app.try_state::<Watch>() {
                    watch.woke();
                }
            });
        });
}

/// Calls `woke` after each resume; returns when the bus goes away or cannot be reached.
///
/// # Errors
/// zbus's error when the system bus cannot be reached or the signal not subscribed to.
pub fn watch(woke: impl Fn()) -> zbus::Result<()> {
    let connection = zbus::blocking::Connection::system()?;
    let login = zbus::blocking::proxy::Builder::<zbus::blocking::Proxy>::new(&connection)
        .destination("org.freedesktop.login1")?
        .path("/org/freedesktop/login1")?
        .interface("org.freedesktop.login1.Manager")?
        .cache_properties(zbus::proxy::CacheProperties::No)
        .build()?;
    for message in login.receive_signal("PrepareForSleep")? {
        // `true` just before sleeping, `false` after waking.
        if let Ok(false) = message.body().deserialize::<bool>() {
            woke();
        }
    }
    Ok(())
}
