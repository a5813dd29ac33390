//! The screen lock read from the real settings stores: GLib's GSettings with the keyfile
//! backend (the same library and schemas a GNOME session uses; only the storage is a file), and
//! KDE's `kscreenlockerrc`; then a capture replayed without them.
//!
//! Pitfalls from public reports: GLib falls back to an in-memory store that answers the
//! defaults when its dconf module is missing (nixpkgs#4415), which would read as "locks after
//! 5 minutes" on any machine; KDE writes nothing until a setting is changed, so a missing file
//! means the defaults.

use crate::util::{check_json_with, item, klaar, run};
use serde_json::Value;
use std::path::Path;

fn session(config: &Path, desktop: &str) -> std::process::Command {
    let mut cmd = klaar(None);
    cmd.env("XDG_CONFIG_HOME", config)
        .env("XDG_CURRENT_DESKTOP", desktop)
        .env("GSETTINGS_BACKEND", "keyfile");
    cmd
}

fn screen_lock(cmd: std::process::Command) -> Value {
    let report = check_json_with(cmd, &["--only", "screen_lock"]).0;
    item(&report, "screen_lock").clone()
}

fn gnome_keyfile(config: &Path, text: &str) {
    let dir = config.join("glib-2.0/settings");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("keyfile"), text).unwrap();
}

#[test]
fn gnome_settings_as_the_person_set_them() {
    let config = tempfile::tempdir().unwrap();
    // Nothing changed: GNOME's defaults lock after 5 minutes.
    let item = screen_lock(session(config.path(), "ubuntu:GNOME"));
    assert_eq!(item["status"], "pass", "{item:#}");
    assert_eq!(item["facts"]["lock_after_s"], 300);

    gnome_keyfile(
        config.path(),
        "[org/gnome/desktop/session]\nidle-delay=uint32 1800\n\
         [org/gnome/desktop/screensaver]\nlock-delay=uint32 30\n",
    );
    let item = screen_lock(session(config.path(), "GNOME"));
    assert_eq!(item["status"], "warn", "{item:#}");
    assert_eq!(item["facts"]["lock_after_s"], 1830);
    assert!(item["detail"].as_str().unwrap().contains("31 minutes"));

    gnome_keyfile(
        config.path(),
        "[org/gnome/desktop/screensaver]\nlock-enabled=false\n",
    );
    let item = screen_lock(session(config.path(), "GNOME"));
    assert_eq!(item["status"], "warn", "{item:#}");
    assert_eq!(item["facts"]["enabled"], false);

    // "Never" blank: no idle, so no lock either.
    gnome_keyfile(
        config.path(),
        "[org/gnome/desktop/session]\nidle-delay=uint32 0\n",
    );
    let item = screen_lock(session(config.path(), "GNOME"));
    assert_eq!(item["facts"]["enabled"], false, "{item:#}");
}

#[test]
fn glibs_stand_in_store_is_not_taken_for_the_persons_settings() {
    let config = tempfile::tempdir().unwrap();
    let mut cmd = session(config.path(), "GNOME");
    cmd.env("GSETTINGS_BACKEND", "memory");
    let item = screen_lock(cmd);
    assert_eq!(item["status"], "unknown", "{item:#}");
}

#[test]
fn kde_settings_and_their_defaults() {
    let config = tempfile::tempdir().unwrap();
    let item = screen_lock(session(config.path(), "KDE"));
    assert_eq!(item["status"], "pass", "no file: KDE's defaults, {item:#}");
    assert_eq!(item["facts"]["lock_after_s"], 300);
    assert_eq!(item["facts"]["desktop"], "kde");

    std::fs::write(
        config.path().join("kscreenlockerrc"),
        "[Daemon]\nTimeout=30\n",
    )
    .unwrap();
    let item = screen_lock(session(config.path(), "KDE"));
    assert_eq!(item["status"], "warn", "{item:#}");
    assert_eq!(item["facts"]["lock_after_s"], 1800);

    std::fs::write(
        config.path().join("kscreenlockerrc"),
        "[Daemon]\nAutolock=false\n",
    )
    .unwrap();
    let item = screen_lock(session(config.path(), "KDE"));
    assert_eq!(item["facts"]["enabled"], false, "{item:#}");
}

/// XFCE runs, but Klaar does not know where it keeps the setting: "cannot check this on this
/// computer yet", not "the service is not there".
#[test]
fn another_desktop_is_one_klaar_cannot_read_yet() {
    let config = tempfile::tempdir().unwrap();
    let item = screen_lock(session(config.path(), "XFCE"));
    assert_eq!(item["status"], "unknown", "{item:#}");
    assert_eq!(item["reason"]["kind"], "unsupported", "{item:#}");
    assert!(
        item["detail"]
            .as_str()
            .unwrap()
            .contains("on this computer yet"),
        "{item:#}"
    );
}

#[test]
fn a_capture_keeps_the_settings_that_decided() {
    let config = tempfile::tempdir().unwrap();
    gnome_keyfile(
        config.path(),
        "[org/gnome/desktop/session]\nidle-delay=uint32 3600\n",
    );
    let live = screen_lock(session(config.path(), "GNOME"));
    let captured = config.path().join("capture");
    let out = run(session(config.path(), "GNOME")
        .args(["debug", "capture"])
        .arg(&captured));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let replayed = screen_lock(klaar(Some(&captured)));
    assert_eq!(live["status"], "warn");
    assert_eq!(live["facts"], replayed["facts"]);
    assert_eq!(live["detail"], replayed["detail"]);
}
