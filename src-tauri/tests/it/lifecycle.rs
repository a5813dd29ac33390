//! Closing the window keeps Klaar in the tray and lets the web page go; starting Klaar again
//! brings the window back instead of a second Klaar.

use crate::desktop::{app_binary, Desktop, Options};
use std::time::{Duration, Instant};

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < crate::desktop::PATIENCE,
            "gave up waiting until {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn closing_the_window_keeps_klaar_in_the_tray_and_a_second_start_reopens_it() {
    let desktop = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(Desktop::start(Options {
            webdriver: false,
            tray_host: true,
            ..Options::default()
        }));
    let window = desktop.wait_for_window();
    desktop.tray_icon();
    wait_until("the open window has a web process", || {
        desktop
            .app_pids()
            .iter()
            .any(|(_, name)| name.starts_with("WebKitWebProces"))
    });

    // A close request in the first moment after start, while WebKit still loads the page, can go
    // unanswered (seen here); a person would click again, and so does this test.
    wait_until("the window is gone", || {
        desktop.close_window(window);
        std::thread::sleep(Duration::from_millis(500));
        desktop.klaar_windows().is_empty()
    });
    wait_until("the web page and WebKit's helpers are released", || {
        !desktop
            .app_pids()
            .iter()
            .any(|(_, name)| name.starts_with("WebKit"))
    });
    let left = desktop.app_pids();
    assert!(
        left.iter().any(|(_, name)| name == "klaar-app"),
        "Klaar still runs in the tray: {left:?}"
    );
    // The first close says, once, that Klaar stays in the tray (dunst's history).
    let mut history = String::new();
    wait_until("the desktop says Klaar stays in the tray", || {
        let _ = desktop.command("dunstctl").arg("close-all").status();
        history = desktop
            .command("dunstctl")
            .arg("history")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).to_string())
            .unwrap_or_default();
        history.contains("Klaar blijft in het systeemvak")
    });
    let settings = std::fs::read_to_string(desktop.home().join(".config/klaar/settings.toml"))
        .expect("the hint is remembered");
    assert!(settings.contains("tray_hint_shown = true"), "{settings}");

    let second = desktop
        .command(app_binary())
        .output()
        .expect("start Klaar a second time");
    assert!(second.status.success(), "{second:?}");
    let after = desktop.app_pids();
    assert_eq!(
        after.iter().filter(|(_, name)| name == "klaar-app").count(),
        1,
        "still one Klaar: {after:?}"
    );
    let window = desktop.wait_for_window();
    // The new page draws: the green check button is on screen.
    wait_until("the reopened window shows Klaar's page", || {
        let rgb = desktop
            .command("import")
            .args(["-window", &window.to_string(), "-depth", "8", "rgb:-"])
            .output()
            .map(|o| o.stdout)
            .unwrap_or_default();
        rgb.chunks_exact(3)
            .filter(|p| p[0] == 0x1f && p[1] == 0x6f && p[2] == 0x4a)
            .count()
            > 500
    });
}

#[test]
fn without_a_tray_the_window_says_so_and_closing_it_quits_klaar() {
    let desktop = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(Desktop::start(Options {
            webdriver: false,
            tray_host: false,
            // Started hidden, as at login: with nowhere to show an icon, the window shows.
            args: &[klaar_app::HIDDEN_ARG],
            ..Options::default()
        }));
    let window = desktop.wait_for_window();
    wait_until("the window is closed and Klaar has quit", || {
        desktop.close_window(window);
        std::thread::sleep(Duration::from_millis(500));
        !desktop
            .app_pids()
            .iter()
            .any(|(_, name)| name == "klaar-app")
    });
}
