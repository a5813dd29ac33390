//! The installed package, as a person gets it. `cargo xtask test` bundles this build into a
//! `.deb` with the Tauri bundler (the same code as `cargo xtask dist`), installs it with apt-get
//! (which must find every dependency it names), runs these tests, and removes it again.
//! Run alone they fail: there is nothing installed to test.

use crate::desktop::{fixture, Desktop, Options};
use std::process::Command;

const IGNORED: &str = "needs the installed package: run by cargo xtask test";

fn installed(path: &str) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e} (is the package installed? {IGNORED})"))
}

#[test]
#[ignore = "needs the installed package: run by cargo xtask test"]
fn the_package_holds_the_command_the_app_its_menu_entry_and_the_licence() {
    let listed = Command::new("dpkg").args(["-L", "klaar"]).output().unwrap();
    let listed = String::from_utf8_lossy(&listed.stdout);
    for file in [
        "/usr/bin/klaar",
        "/usr/bin/klaar-app",
        "/usr/share/applications/Klaar.desktop",
        "/usr/share/doc/klaar/copyright",
    ] {
        assert!(
            listed.lines().any(|l| l == file),
            "{file} not in:\n{listed}"
        );
    }
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with("/usr/share/icons/hicolor/")
                && l.ends_with("/apps/klaar-app.png")),
        "an icon for the menu:\n{listed}"
    );
    let entry = installed("/usr/share/applications/Klaar.desktop");
    for line in [
        "Name=Klaar",
        "Comment[nl]=Controleer camera, microfoon, verbinding en privacy voordat je gaat beeldbellen",
        "Comment[en]=Check your camera, microphone, connection and privacy before a video call",
        "Exec=klaar-app",
        "Icon=klaar-app",
        "Categories=Utility;Office;",
    ] {
        assert!(entry.lines().any(|l| l == line), "{line:?} not in:\n{entry}");
    }
    assert!(
        !entry.contains("crate"),
        "no words from Cargo.toml: {entry}"
    );
    assert!(installed("/usr/share/doc/klaar/copyright")
        .starts_with("EUROPEAN UNION PUBLIC LICENCE v. 1.2"));

    // What the binaries need, so apt installs it on a fresh machine: sound (ALSA; PulseAudio
    // is spoken over its socket, no library), the window (WebKitGTK, GTK), the system's TLS for
    // calendars, and the tray library opened at run time.
    let depends = Command::new("dpkg-query")
        .args(["-W", "-f", "${Depends}", "klaar"])
        .output()
        .unwrap();
    let depends = String::from_utf8_lossy(&depends.stdout);
    for package in [
        "libasound2",
        "libssl3",
        "libwebkit2gtk-4.1-0",
        "libgtk-3-0",
        "libayatana-appindicator3-1",
    ] {
        assert!(
            depends.contains(package),
            "{package} not in Depends: {depends}"
        );
    }
    // Start at login stays off until chosen: the package starts nothing by itself.
    let autostart = std::path::Path::new("/etc/xdg/autostart");
    let entries: Vec<_> = std::fs::read_dir(autostart)
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(
        !entries
            .iter()
            .any(|n| n.to_string_lossy().to_lowercase().contains("klaar")),
        "{entries:?}"
    );
}

#[test]
#[ignore = "needs the installed package: run by cargo xtask test"]
fn the_installed_command_checks_this_machine_and_answers_in_json() {
    let out = Command::new("/usr/bin/klaar")
        .args(["check", "--json", "--lang", "en"])
        .env("KLAAR_ROOT", fixture("laptop-charging"))
        .env("KLAAR_POLICY", "/nonexistent/policy.toml")
        .output()
        .unwrap_or_else(|e| panic!("/usr/bin/klaar: {e} ({IGNORED})"));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(report["schema"], 1);
    let power = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "power")
        .unwrap();
    assert_eq!(
        power["status"], "pass",
        "laptop-charging is on mains: {power:#}"
    );
    assert!(matches!(out.status.code(), Some(0 | 1)), "{:?}", out.status);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the installed package: run by cargo xtask test"]
async fn the_installed_app_opens_its_window() {
    let desktop = Desktop::start(Options {
        start_app: false,
        webdriver: false,
        ..Options::default()
    })
    .await;
    let mut app = desktop
        .command("/usr/bin/klaar-app")
        .env("KLAAR_ROOT", fixture("laptop-charging"))
        .spawn()
        .unwrap_or_else(|e| panic!("/usr/bin/klaar-app: {e} ({IGNORED})"));
    let window = desktop.wait_for_window();
    assert!(window > 0);
    let _ = app.kill();
    let _ = app.wait();
}
