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

/// The app's environment for trusting `server`'s certificate the way OpenSSL is told
/// (`SSL_CERT_FILE`, a file in `dir`).
pub fn trusting(
    server: &test_server::Server,
    dir: &std::path::Path,
) -> &'static [(&'static str, &'static str)] {
    let cert = server.trust_file(dir).display().to_string();
    Box::leak(Box::new([(
        "SSL_CERT_FILE",
        &*Box::leak(cert.into_boxed_str()),
    )]))
}

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
        line.starts_with("Let op: agenda localhost …3f9a: De agenda weigert dit adres (fout 401).")
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_calendar_address_is_added_in_the_window_listed_and_removed() {
    let server = test_server::start();
    server.answer(PATH, ok(&teams_meeting_in_two_hours()));
    let dir = tempfile::tempdir().unwrap();
    let env = trusting(&server, dir.path());
    // No keyring on this session bus: the address goes to the private file.
    let desktop = Desktop::start(Options {
        notifications: false,
        env,
        ..Options::default()
    })
    .await;
    desktop.open_fold("[data-testid=settings]").await;
    let none = desktop
        .wait_text("[data-testid=no-calendars]", |t| !t.is_empty())
        .await;
    assert!(none.contains("nog geen agenda"), "{none}");
    // This session names no desktop: "do not disturb" is not offered, and the window says why.
    let why = desktop
        .wait_text("[data-testid=dnd-unavailable]", |t| !t.is_empty())
        .await;
    assert!(why.contains("GNOME en KDE Plasma"), "{why}");
    desktop
        .wait_attr("[data-testid=do-not-disturb]", "disabled", |d| d == "true")
        .await;
    let field = desktop
        .web()
        .find(fantoccini::Locator::Css("[data-testid=calendar-address]"))
        .await
        .unwrap();

    // An unencrypted address is refused and nothing is added.
    field
        .send_keys("http://example.org/agenda.ics")
        .await
        .unwrap();
    desktop.click("[data-testid=add-calendar]").await;
    let notice = desktop
        .wait_text("[data-testid=calendar-notice]", |t| !t.is_empty())
        .await;
    assert!(notice.contains("niet beveiligd"), "{notice}");
    desktop
        .wait_attr("[data-testid=calendar-notice]", "data-problem", |p| {
            p == "true"
        })
        .await;
    field.clear().await.unwrap();

    // The secret address, pasted as Outlook and Google offer it (webcal://).
    let webcal = server.url(PATH).replace("https://", "webcal://");
    field.send_keys(&webcal).await.unwrap();
    desktop.click("[data-testid=add-calendar]").await;
    let notice = desktop
        .wait_text("[data-testid=calendar-notice]", |t| {
            t.contains("toegevoegd")
        })
        .await;
    assert!(
        notice.contains("Agenda localhost …3f9a toegevoegd")
            && notice.contains("alleen jij kunt lezen"),
        "{notice}"
    );
    let listed = desktop
        .wait_text("[data-testid=calendar-list]", |t| !t.is_empty())
        .await;
    assert!(listed.contains("localhost …3f9a"), "{listed}");
    assert!(!listed.contains("0123456789"), "the secret shown: {listed}");
    // The calendar watch reads it at once: the next meeting and when it was fetched.
    desktop
        .wait_text("[data-testid=next-meeting]", |t| t.contains("Teamoverleg"))
        .await;
    desktop
        .wait_text("[data-testid=calendars]", |t| t.contains("Bijgewerkt om"))
        .await;
    let settings_file = desktop.home().join(".config/klaar/settings.toml");
    let settings = std::fs::read_to_string(&settings_file).unwrap();
    assert!(
        settings.contains("addresses = [\"localhost …3f9a\"]"),
        "{settings}"
    );
    assert!(!settings.contains("0123456789"), "{settings}");

    // Ten minutes before, instead of five.
    desktop
        .web()
        .find(fantoccini::Locator::Css("[data-testid=remind-minutes]"))
        .await
        .unwrap()
        .select_by_value("10")
        .await
        .unwrap();
    let start = std::time::Instant::now();
    while !std::fs::read_to_string(&settings_file)
        .unwrap()
        .contains("minutes = 10")
    {
        if start.elapsed() > crate::desktop::PATIENCE {
            let seen = desktop
                .web()
                .execute(
                    "return [document.querySelector('[data-testid=remind-minutes]').value, document.querySelector('[data-testid=error]').textContent];",
                    vec![],
                )
                .await
                .unwrap();
            panic!(
                "minutes not kept: {seen:?} {}",
                std::fs::read_to_string(&settings_file).unwrap()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Removed: gone from the list, the settings and the private file.
    desktop.click("[data-testid=remove-calendar]").await;
    desktop
        .wait_text("[data-testid=no-calendars]", |t| {
            t.contains("nog geen agenda")
        })
        .await;
    let settings = std::fs::read_to_string(&settings_file).unwrap();
    assert!(!settings.contains("localhost"), "{settings}");
    let kept = desktop
        .home()
        .join(".local/share/klaar/calendar-addresses.json");
    assert!(!std::fs::read_to_string(kept).unwrap().contains("localhost"));
}
