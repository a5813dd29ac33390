//! The call watch on this machine's real process list: a program that takes the place of a
//! call app (a copy of `sleep` named `zoom`) starts, and the offer to check arrives at a real
//! notification daemon; "Nu controleren" opens the window; the program ends, and the reminder
//! to clear the chat arrives, citing both guides.

use crate::desktop::Desktop;

#[test]
fn a_call_app_starting_offers_a_check_and_its_closing_reminds_to_clear_the_chat() {
    // This machine's own process list.
    let desktop = Desktop::in_tray(None, None);
    // The watch's first look learns what already runs; a call app must start after it.
    std::thread::sleep(klaar_app::calls::LOOK_EVERY * 2);
    let dir = tempfile::tempdir().unwrap();
    let zoom = dir.path().join("zoom");
    std::fs::copy("/bin/sleep", &zoom).unwrap();
    let mut call = std::process::Command::new(&zoom)
        .arg("600")
        .spawn()
        .unwrap();

    // "Nu controleren", as a click on the notification: the window opens for a check.
    desktop.click_notification();
    desktop.wait_for_window();
    let history = desktop.notification_history("Er lijkt een gesprek te beginnen");
    assert!(
        history.contains("Er lijkt een gesprek te beginnen"),
        "{history}"
    );
    assert!(history.contains("Zoom is gestart."), "{history}");

    // The call app closes: clear the chat.
    let _ = call.kill();
    let _ = call.wait();
    let history = desktop.notification_history("Gesprek afgelopen? Wis de chat");
    assert!(
        history.contains("Gesprek afgelopen? Wis de chat"),
        "{history}"
    );
    assert!(
        history.contains("Wis de chatgeschiedenis van dit gesprek in Zoom."),
        "{history}"
    );
    assert!(
        history.contains("'Wis naderhand je chatgeschiedenis'")
            && history.contains("'Wis dan in ieder geval na elk gesprek de chathistorie'"),
        "{history}"
    );
    // One offer for the call, one reminder after it.
    let history: serde_json::Value = serde_json::from_str(&history).unwrap();
    let summaries: Vec<&str> = history["data"][0]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["summary"]["data"].as_str())
        .collect();
    assert_eq!(
        summaries
            .iter()
            .filter(|s| s.contains("gesprek te beginnen"))
            .count(),
        1,
        "{summaries:?}"
    );
}
