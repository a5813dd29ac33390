//! "Remind me" reaches the user: as a notification through a real notification daemon (dunst) on
//! the session bus, or in the window when the desktop has no notification service.

use crate::desktop::{Desktop, Options};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reminder_arrives_at_the_notification_daemon_in_the_users_language() {
    let desktop = Desktop::start(Options {
        lang: "en_US.UTF-8",
        notifications: true,
        ..Options::default()
    })
    .await;
    desktop.click("[data-testid=remind-now]").await;
    desktop
        .wait_attr("[data-testid=reminder]", "data-delivered", |d| d == "true")
        .await;
    let note = desktop
        .wait_text("[data-testid=reminder-note]", |t| !t.is_empty())
        .await;
    assert_eq!(note, "The reminder was sent as a desktop notification.");

    // Ask dunst itself: close what it shows, then read its history.
    let start = Instant::now();
    let history = loop {
        let _ = desktop.command("dunstctl").arg("close-all").status();
        let out = desktop
            .command("dunstctl")
            .arg("history")
            .output()
            .expect("dunstctl (cargo xtask test installs dunst)");
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        if text.contains("Put your phone on silent.") || start.elapsed() > crate::desktop::PATIENCE
        {
            break text;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(history.contains("Put your phone on silent."), "{history}");
    assert!(
        history.contains("Tidy your background — move private things such as photos out of view."),
        "{history}"
    );
    assert!(history.contains("Your call starts soon"), "{history}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_notification_service_the_window_shows_the_reminder_and_says_why() {
    let desktop = Desktop::start(Options {
        notifications: false,
        ..Options::default()
    })
    .await;
    desktop
        .wait_attr("[data-testid=verdict]", "data-verdict", |v| {
            v == "not_ready"
        })
        .await;
    let checklist_top = || async {
        desktop
            .web()
            .execute(
                "return document.querySelector('[data-testid=checklist]').getBoundingClientRect().top + window.scrollY;",
                vec![],
            )
            .await
            .unwrap()
            .as_f64()
            .unwrap()
    };
    let before = checklist_top().await;
    desktop.click("[data-testid=remind-now]").await;
    desktop
        .wait_attr("[data-testid=reminder]", "data-delivered", |d| d == "false")
        .await;
    let panel = desktop
        .wait_text("[data-testid=reminder]", |t| !t.is_empty())
        .await;
    assert!(panel.contains("Zet je telefoon op stil."), "{panel}");
    assert!(
        panel.contains("Ruim je achtergrond op — zet privéspullen zoals foto's buiten beeld."),
        "{panel}"
    );
    assert!(
        panel.contains("Je bureaublad heeft geen meldingendienst."),
        "{panel}"
    );
    assert_eq!(
        checklist_top().await,
        before,
        "the reminder does not push the page down"
    );
    desktop.click("[data-testid=dismiss-reminder]").await;
    desktop
        .wait_attr("[data-testid=reminder]", "hidden", |h| h == "true")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remind_me_later_confirms_the_time_and_can_be_cancelled() {
    let desktop = Desktop::start(Options::default()).await;
    desktop.click("[data-testid=remind-later]").await;
    let due = desktop
        .wait_text("[data-testid=reminder-due]", |t| {
            t.contains("Ik herinner je om")
        })
        .await;
    let time = due
        .trim_start_matches("Ik herinner je om ")
        .split('.')
        .next()
        .unwrap()
        .to_string();
    let (h, m) = time.split_once(':').expect("a clock time such as 10:25");
    assert!(h.len() == 2 && m.len() == 2, "{due}");
    desktop.click("[data-testid=cancel-reminder]").await;
    desktop
        .wait_attr("[data-testid=reminder-due]", "hidden", |h| h == "true")
        .await;
}

/// Settings naming a calendar with one Zoom meeting that starts in 5 minutes and 20 seconds:
/// its reminder is due in 20 s. The folder holds the calendar.
fn a_meeting_soon() -> (tempfile::TempDir, &'static str) {
    let dir = tempfile::tempdir().unwrap();
    let ics = dir.path().join("agenda.ics");
    let start = chrono::Utc::now() + chrono::Duration::seconds(5 * 60 + 20);
    let stamp = |t: chrono::DateTime<chrono::Utc>| t.format("%Y%m%dT%H%M%SZ").to_string();
    std::fs::write(
        &ics,
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:ouder-1\r\nSUMMARY:Oudergesprek\r\n\
             DTSTART:{}\r\nDTEND:{}\r\nLOCATION:https://school.zoom.us/j/123456789\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            stamp(start),
            stamp(start + chrono::Duration::minutes(30))
        ),
    )
    .unwrap();
    let settings: &'static str =
        Box::leak(format!("[calendars]\nfiles = [\"{}\"]\n", ics.display()).into_boxed_str());
    (dir, settings)
}

#[test]
fn check_now_in_a_meeting_reminder_opens_the_window() {
    // Klaar started at login, in the tray: no window until the reminder's button is used.
    let (_calendar, settings) = a_meeting_soon();
    let desktop = Desktop::in_tray(Options::default().root, Some(settings));
    assert!(desktop.klaar_windows().is_empty(), "no window yet");
    // The notification's default action ("Nu controleren"), as a click on it.
    desktop.click_notification();
    desktop.wait_for_window();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meeting_in_the_calendar_is_reminded_by_name_with_a_warning_for_its_app() {
    let (_calendar, settings) = a_meeting_soon();
    let desktop = Desktop::start(Options {
        notifications: true,
        settings: Some(settings),
        ..Options::default()
    })
    .await;
    // The window names the next meeting.
    let next = desktop
        .wait_text("[data-testid=next-meeting]", |t| t.contains("Oudergesprek"))
        .await;
    assert!(
        next.contains("Volgende online vergadering: Oudergesprek om")
            && next.contains("Zoom, niet AVG-proof"),
        "{next}"
    );
    // The reminder reaches the notification daemon on time, by name, with the warning.
    let start_wait = Instant::now();
    let history = loop {
        let out = desktop
            .command("dunstctl")
            .arg("history")
            .output()
            .expect("dunstctl");
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        if text.contains("Oudergesprek") || start_wait.elapsed() > Duration::from_secs(60) {
            break text;
        }
        let _ = desktop.command("dunstctl").arg("close-all").status();
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    assert!(
        history.contains("Je gesprek 'Oudergesprek' begint om"),
        "{history}"
    );
    assert!(history.contains("Zoom is niet AVG-proof"), "{history}");
    assert!(history.contains("Zet je telefoon op stil."), "{history}");
}
