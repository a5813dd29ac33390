//! The tray icon under a real tray host (trayer): it shows the verdict, and its menu works.

use crate::desktop::{fixture, Desktop, Options, WELL_LIT_CAMERA};
use std::time::{Duration, Instant};

/// Pixels of the icon's own colours (see assets/icons): grey ring, amber triangle.
fn count(pixels: &[[u8; 3]], colour: [u8; 3]) -> usize {
    pixels
        .iter()
        .filter(|p| p.iter().zip(colour).all(|(a, b)| a.abs_diff(b) < 40))
        .count()
}
const GREY: [u8; 3] = [0x75, 0x75, 0x75];
const AMBER: [u8; 3] = [0xe0, 0xa0, 0x00];

fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < crate::desktop::PATIENCE,
            "gave up: {what}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Waits until the tray host drew Klaar's icon (before a check: the grey ring); a click before
/// that opens no menu.
fn wait_for_icon(desktop: &Desktop) {
    eventually("not checked yet: a grey ring", || {
        count(&desktop.tray_pixels(), GREY) > 20
    });
}

fn tray_desktop() -> Desktop {
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(Desktop::start(Options {
            lang: "en_GB.UTF-8",
            root: Some(fixture("laptop-charging")),
            webdriver: false,
            tray_host: true,
            args: &["--hidden"],
            env: WELL_LIT_CAMERA,
            sound_server: true,
            ..Options::default()
        }))
}

#[test]
fn check_before_call_from_the_tray_opens_the_window_and_the_icon_shows_the_verdict() {
    let desktop = tray_desktop();
    // The tray host shows the icon's window a moment before the icon is drawn in it.
    wait_for_icon(&desktop);
    let before = desktop.tray_pixels();
    assert_eq!(count(&before, AMBER), 0);
    assert!(
        desktop.klaar_windows().is_empty(),
        "started with --hidden: tray only"
    );

    desktop.choose_from_tray_menu(1); // "Check before call"
    desktop.wait_for_window();
    // laptop-charging: no VPN, so "almost ready": the amber triangle.
    eventually("the icon shows 'attention'", || {
        count(&desktop.tray_pixels(), AMBER) > 20
    });
    assert!(
        count(&desktop.tray_pixels(), GREY) < count(&before, GREY) / 4,
        "the grey ring is gone"
    );
}

#[test]
fn start_at_login_is_off_until_chosen_in_the_tray_menu() {
    let desktop = tray_desktop();
    let autostart = desktop.home().join(".config/autostart");
    let entries = || -> Vec<String> {
        std::fs::read_dir(&autostart)
            .map(|d| {
                d.flatten()
                    .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert!(entries().is_empty(), "off by default");
    wait_for_icon(&desktop);
    desktop.choose_from_tray_menu(4); // "Start at login"
    eventually("an autostart entry appears", || !entries().is_empty());
    let entry = entries().remove(0);
    assert!(entry.contains("klaar-app"), "{entry}");
    assert!(entry.contains("--hidden"), "starts in the tray: {entry}");
    desktop.choose_from_tray_menu(4);
    eventually("the autostart entry goes away", || entries().is_empty());
}
