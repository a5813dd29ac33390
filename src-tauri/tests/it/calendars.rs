//! A calendar from a secret address in the window: fetched over https from a loopback server
//! (certificate trusted the way OpenSSL is told, `SSL_CERT_FILE`), shown with the time it was
//! fetched; on waking from sleep (logind's signal, from a service the test runs on a private
//! system bus) it is fetched again, and when that fails the last good copy stays in use and
//! the window says why.

use crate::desktop::{Desktop, Options};
use klaar_calendars::test_server::{self, ok, status};
use std::time::Duration;

const PATH: &str =
    "/calendar/ical/juf%40school.nl/private-0123456789abcdef0123456789ab3f9a/basic.ics";

fn teams_meeting_in_two_hours() -> String {
    let start = chrono::Utc::now() + chrono::Duration::hours(2);
    let stamp = |t: chrono::DateTime<chrono::Utc>| t.format("%Y%m%dT%H%M%SZ").to_string();
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-TIMEZONE:Europe/Amsterdam\r\nBEGIN:VEVENT\r\nUID:team-1\r\n\
         SUMMARY:Teamoverleg\r\nDTSTART:{}\r\nDTEND:{}\r\n\
         X-MICROSOFT-SKYPETEAMSMEETINGURL:https://teams.microsoft.com/l/meetup-join/19%3ameeting_x/0\r\n\
         END:VEVENT\r\nEND:VCALENDAR\r\n",
        stamp(start),
        stamp(start + chrono::Duration::hours(1))
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_is_fetched_and_on_waking_a_failed_refresh_keeps_the_last_copy() {
    let server = test_server::start();
    server.answer(PATH, ok(&teams_meeting_in_two_hours()));
    let dir = tempfile::tempdir().unwrap();
    // The address as `klaar agenda --add` keeps it where no keyring runs.
    let data = dir.path().join("data");
    let kept = data.join("klaar/calendar-addresses.json");
    std::fs::create_dir_all(kept.parent().unwrap()).unwrap();
    let label = "localhost …3f9a";
    std::fs::write(
        &kept,
        serde_json::json!({ label: server.url(PATH) }).to_string(),
    )
    .unwrap();
    // logind, as far as Klaar listens to it, on a bus of the test's own.
    let (mut bus, bus_address) = test_server::private_bus(dir.path());
    let login = zbus::blocking::connection::Builder::address(bus_address.as_str())
        .unwrap()
        .name("org.freedesktop.login1")
        .unwrap()
        .build()
        .unwrap();
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let env: &'static [(&'static str, &'static str)] = Box::leak(Box::new([
        (
            "SSL_CERT_FILE",
            leak(server.trust_file(dir.path()).display().to_string()),
        ),
        ("XDG_DATA_HOME", leak(data.display().to_string())),
        ("DBUS_SYSTEM_BUS_ADDRESS", leak(bus_address.clone())),
    ]));
    let settings = leak(format!("[calendars]\naddresses = [\"{label}\"]\n"));
    let desktop = Desktop::start(Options {
        notifications: false,
        settings: Some(settings),
        env,
        ..Options::default()
    })
    .await;
    desktop
        .wait_text("[data-testid=next-meeting]", |t| t.contains("Teamoverleg"))
        .await;
    let line = desktop
        .wait_text("[data-testid=calendars]", |t| t.contains("Bijgewerkt om"))
        .await;
    assert!(
        line.starts_with("Agenda localhost …3f9a: Bijgewerkt om"),
        "{line}"
    );
    assert!(!line.contains("0123456789"), "the secret shown: {line}");
    assert_eq!(server.requests.lock().unwrap().len(), 1);

    // The address is reset while the laptop sleeps; on waking Klaar fetches at once.
    server.answer(PATH, status(401));
    let sleep = |start: bool| {
        login
            .emit_signal(
                None::<()>,
                "/org/freedesktop/login1",
                "org.freedesktop.login1.Manager",
                "PrepareForSleep",
                &(start,),
            )
            .unwrap();
    };
    // Klaar subscribes when its calendar watch starts: waking is signalled until it fetched.
    let mut woke = false;
    for _ in 0..100 {
        sleep(true);
        sleep(false);
        tokio::time::sleep(Duration::from_millis(200)).await;
        if server.requests.lock().unwrap().len() >= 2 {
            woke = true;
            break;
        }
    }
    assert!(woke, "no fetch after waking");
    let line = desktop
        .wait_text("[data-testid=calendars]", |t| t.contains("weigert"))
        .await;
    assert!(
        line.starts_with("Let op, agenda localhost …3f9a: De agenda weigert dit adres (fout 401).")
            && line.contains("Klaar gebruikt de versie van"),
        "{line}"
    );
    // The last good copy still gives the next meeting.
    let next = desktop
        .wait_text("[data-testid=next-meeting]", |t| !t.is_empty())
        .await;
    assert!(next.contains("Teamoverleg"), "{next}");
    let _ = bus.kill();
    let _ = bus.wait();
}
