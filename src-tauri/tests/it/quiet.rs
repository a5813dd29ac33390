//! "Do not disturb" during a meeting, chosen in the settings: on GNOME through GSettings (the
//! keyfile backend, so the test reads what Klaar wrote), switched back on after Klaar crashed;
//! on KDE Plasma through its notification server's Inhibit, served here by the test.

use crate::desktop::{app_binary, Desktop, Options};
use std::path::Path;
use std::time::{Duration, Instant};

/// Settings with "do not disturb" chosen and a calendar whose Teams meeting goes on now, for
/// half an hour.
fn settings_in_a_meeting(dir: &Path) -> String {
    settings_in_a_meeting_until(dir, chrono::Utc::now() + chrono::Duration::minutes(30))
}

/// The same, with the meeting ending at `end`.
fn settings_in_a_meeting_until(dir: &Path, end: chrono::DateTime<chrono::Utc>) -> String {
    let now = chrono::Utc::now();
    let stamp = |t: chrono::DateTime<chrono::Utc>| t.format("%Y%m%dT%H%M%SZ").to_string();
    let ics = dir.join("agenda.ics");
    std::fs::write(
        &ics,
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:team-1\r\nSUMMARY:Teamoverleg\r\n\
             DTSTART:{}\r\nDTEND:{}\r\nLOCATION:https://teams.microsoft.com/l/meetup-join/19%3ax/0\r\n\
             END:VEVENT\r\nEND:VCALENDAR\r\n",
            stamp(now - chrono::Duration::minutes(5)),
            stamp(end)
        ),
    )
    .unwrap();
    format!(
        "[reminders]\ndo_not_disturb = true\n\n[calendars]\nfiles = [\"{}\"]\n",
        ics.display()
    )
}

/// A desktop session without Klaar (the test starts it) and without notification service.
fn empty_desktop(settings: Option<&'static str>) -> Desktop {
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(Desktop::start(Options {
            webdriver: false,
            start_app: false,
            notifications: false,
            settings,
            ..Options::default()
        }))
}

/// Klaar started on `desktop` as the desktop named `current` (`XDG_CURRENT_DESKTOP`) starts it.
fn start_klaar(desktop: &Desktop, current: &str) -> std::process::Child {
    desktop
        .command(app_binary())
        .env("XDG_CURRENT_DESKTOP", current)
        .env("GSETTINGS_BACKEND", "keyfile")
        .env("LANG", "nl_NL.UTF-8")
        .env("KLAAR_ROOT", crate::desktop::fixture("laptop-on-battery"))
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

fn wait_until(what: &str, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(
            start.elapsed() < crate::desktop::PATIENCE,
            "gave up waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn gnome_banners_go_off_during_a_meeting_and_come_back_after_a_crash() {
    let desktop = empty_desktop(None);
    let calendar = tempfile::tempdir().unwrap();
    let settings = desktop.home().join(".config/klaar/settings.toml");
    std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
    std::fs::write(&settings, settings_in_a_meeting(calendar.path())).unwrap();
    let keyfile = desktop.home().join(".config/glib-2.0/settings/keyfile");
    let marker = desktop.home().join(".local/state/klaar/banners-off");
    let start = || start_klaar(&desktop, "ubuntu:GNOME");
    let banners = || std::fs::read_to_string(&keyfile).unwrap_or_default();

    // Banners the person switched off themselves are theirs: Klaar leaves them as they are.
    std::fs::create_dir_all(keyfile.parent().unwrap()).unwrap();
    std::fs::write(
        &keyfile,
        "[org/gnome/desktop/notifications]\nshow-banners=false\n",
    )
    .unwrap();
    let mut klaar = start();
    std::thread::sleep(Duration::from_secs(3));
    assert!(!marker.exists(), "Klaar did not switch them off");
    klaar.kill().unwrap();
    klaar.wait().unwrap();
    assert!(banners().contains("show-banners=false"));

    // A meeting that ends in 20 seconds: banners off, and back on at its end.
    std::fs::write(
        &keyfile,
        "[org/gnome/desktop/notifications]\nshow-banners=true\n",
    )
    .unwrap();
    std::fs::write(
        &settings,
        settings_in_a_meeting_until(
            calendar.path(),
            chrono::Utc::now() + chrono::Duration::seconds(20),
        ),
    )
    .unwrap();
    let mut klaar = start();
    wait_until("banners off", || banners().contains("show-banners=false"));
    wait_until("banners back on after the meeting", || {
        banners().contains("show-banners=true")
    });
    assert!(!marker.exists());
    klaar.kill().unwrap();
    klaar.wait().unwrap();

    // A meeting of half an hour, and Klaar crashes in it.
    std::fs::write(&settings, settings_in_a_meeting(calendar.path())).unwrap();
    let mut klaar = start();
    wait_until("banners off", || banners().contains("show-banners=false"));
    assert!(marker.exists(), "Klaar notes that it switched them off");

    // Klaar crashes during the meeting; the meeting is then taken out of the calendar.
    klaar.kill().unwrap();
    klaar.wait().unwrap();
    assert!(banners().contains("show-banners=false"));
    std::fs::write(&settings, "[reminders]\ndo_not_disturb = true\n").unwrap();
    let mut klaar = start();
    wait_until("banners back on", || {
        banners().contains("show-banners=true")
    });
    wait_until("the note gone", || !marker.exists());
    klaar.kill().unwrap();
    klaar.wait().unwrap();
}

/// Plasma's notification server, as far as Klaar uses it: Inhibit and UnInhibit.
struct Plasma {
    calls: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Plasma {
    fn inhibit(
        &self,
        desktop_entry: String,
        reason: String,
        _hints: std::collections::HashMap<String, zbus::zvariant::OwnedValue>,
    ) -> u32 {
        self.calls
            .lock()
            .unwrap()
            .push(format!("Inhibit {desktop_entry} {reason}"));
        7
    }

    fn un_inhibit(&self, cookie: u32) {
        self.calls
            .lock()
            .unwrap()
            .push(format!("UnInhibit {cookie}"));
    }
}

#[test]
fn on_plasma_notifications_are_inhibited_during_a_meeting() {
    let calendar = tempfile::tempdir().unwrap();
    let settings: &'static str = Box::leak(
        settings_in_a_meeting_until(
            calendar.path(),
            chrono::Utc::now() + chrono::Duration::seconds(20),
        )
        .into_boxed_str(),
    );
    let desktop = empty_desktop(Some(settings));
    let calls = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let _plasma = zbus::blocking::connection::Builder::address(desktop.bus.as_str())
        .unwrap()
        .name("org.freedesktop.Notifications")
        .unwrap()
        .serve_at(
            "/org/freedesktop/Notifications",
            Plasma {
                calls: calls.clone(),
            },
        )
        .unwrap()
        .build()
        .unwrap();
    let mut klaar = start_klaar(&desktop, "KDE");
    wait_until("Inhibit", || !calls.lock().unwrap().is_empty());
    assert_eq!(
        calls.lock().unwrap().as_slice(),
        ["Inhibit klaar Online vergadering"]
    );
    // The meeting ends (20 seconds after the start): notifications are let through again.
    wait_until("UnInhibit", || calls.lock().unwrap().len() == 2);
    assert_eq!(calls.lock().unwrap()[1], "UnInhibit 7");
    klaar.kill().unwrap();
    klaar.wait().unwrap();
}
