//! Bad input and misbehaving sources: a clear message, never a panic, the rest of the report intact.

use crate::util::{check_json, copy_fixture, details, fixture, item, klaar, run};
use std::process::Command;

/// The battery of the laptop-on-battery fixture, as the class link resolves it.
const BAT0: &str = "sys/devices/LNXSYSTM:00/LNXSYBUS:00/PNP0C0A:00/power_supply/BAT0";

#[test]
fn garbage_in_sysfs_names_the_file() {
    let root = copy_fixture("laptop-on-battery");
    let energy_now = root.path().join(BAT0).join("energy_now");
    std::fs::write(&energy_now, "\u{1}\u{2}garbage\n").unwrap();
    let (report, _) = check_json(Some(root.path()), &[]);
    let power = item(&report, "power");
    assert_eq!(power["status"], "unknown");
    assert!(
        power["detail"]
            .as_str()
            .unwrap()
            .contains("unexpected answer")
            && details(power).contains("BAT0/energy_now"),
        "{power:#}"
    );
    assert_eq!(power["reason"]["kind"], "garbage");
    // The other items are unaffected.
    assert_eq!(item(&report, "network")["status"], "warn");
}

#[test]
fn a_battery_that_vanishes_mid_check_is_no_crash() {
    let root = copy_fixture("laptop-on-battery");
    // The class link stays, its target is gone: what a hot-unplug looks like between two reads.
    std::fs::remove_dir_all(
        root.path()
            .join("sys/devices/LNXSYSTM:00/LNXSYBUS:00/PNP0C0A:00"),
    )
    .unwrap();
    let (report, _) = check_json(Some(root.path()), &["--only", "power"]);
    let power = item(&report, "power");
    assert_eq!(power["status"], "pass", "{power:#}");
}

const NOT_SOUND: &str = "power,network,vpn,call_apps,screen_share,cloud_sync,camera,camera_light";

#[test]
fn a_missing_root_is_one_clear_error() {
    let gone = std::path::Path::new("/nonexistent/klaar-root");
    for args in [
        &["check", "--lang", "en"][..],
        &["debug", "capture", "--lang", "en", "/tmp/x"][..],
    ] {
        let out = run(klaar(Some(gone)).args(args));
        assert_eq!(out.code, 2, "{args:?}");
        assert!(out.stdout.is_empty(), "{}", out.stdout);
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
        assert!(
            out.stderr.contains(
                "KLAAR_ROOT points at /nonexistent/klaar-root, but there is no folder there"
            ),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn a_root_without_sys_or_proc_says_what_is_missing() {
    // The microphone is asked of the sound server, not read from the root: left out here.
    let empty = tempfile::tempdir().unwrap();
    let (report, code) = check_json(Some(empty.path()), &["--only", NOT_SOUND]);
    assert_eq!(code, 0);
    let root = empty.path().display().to_string();
    for id in ["power", "network", "call_apps"] {
        let detail = details(item(&report, id));
        assert!(detail.contains(&format!("File: {root}/")), "{id}: {detail}");
    }
    assert_eq!(report["verdict"], "attention");
}

#[test]
fn usage_errors_and_help_speak_the_users_language() {
    let laptop = fixture("laptop-charging");
    for (only, lang, says) in [
        ("", "en", "--only has an empty name"),
        ("power,,vpn", "nl", "Bij --only staat een lege naam"),
    ] {
        let out = run(klaar(Some(&laptop)).args(["check", "--lang", lang, "--only", only]));
        assert_eq!(out.code, 2, "{only:?}");
        assert!(out.stderr.contains(says), "{}", out.stderr);
    }
    let out = run(klaar(None)
        .env("LANG", "nl_NL.UTF-8")
        .args(["check", "--bogus"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("'--bogus' kent Klaar niet als optie"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("Zie 'klaar --help'"), "{}", out.stderr);
    let out = run(klaar(None)
        .env("LANG", "nl_NL.UTF-8")
        .args(["check", "--deadline-ms", "soms"]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("De wachttijd 'soms'"), "{}", out.stderr);
    let out = run(klaar(None)
        .env("LANG", "nl_NL.UTF-8")
        .args(["check", "--help"]));
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains("Gebruik: klaar check"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("Toon alle punten volledig"),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("Print"),
        "English in Dutch help: {}",
        out.stdout
    );
    let out = run(klaar(None).env("LANG", "en_GB.UTF-8").arg("--help"));
    assert!(
        out.stdout.contains("Usage: klaar <command>"),
        "{}",
        out.stdout
    );
    // Nothing at all: the help, as a usage error.
    let out = run(&mut klaar(None));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("klaar debug") || out.stderr.contains("debug"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_hanging_probe_is_cut_off_at_its_deadline_and_the_others_report() {
    let root = copy_fixture("laptop-on-battery");
    let capacity = root.path().join(BAT0).join("capacity");
    std::fs::remove_file(&capacity).unwrap();
    // A FIFO with no writer blocks every reader: a driver that never answers.
    let c = std::ffi::CString::new(capacity.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let (report, _) = check_json(Some(root.path()), &["--deadline-ms", "300"]);
    let power = item(&report, "power");
    assert_eq!(power["status"], "unknown");
    assert_eq!(
        power["reason"],
        serde_json::json!({"kind": "timed_out", "deadline_ms": 300})
    );
    assert!(
        power["detail"]
            .as_str()
            .unwrap()
            .contains("did not answer in time")
            && details(power).contains("Waited: 0.3 seconds"),
        "{power:#}"
    );
    assert_eq!(item(&report, "network")["status"], "warn");
    assert_eq!(item(&report, "call_apps")["status"], "fail");
}

#[test]
fn an_unknown_item_is_a_usage_error_that_names_it() {
    let out = run(klaar(Some(&fixture("laptop-charging"))).args([
        "check",
        "--lang",
        "en",
        "--only",
        "power,telepathy",
    ]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("Unknown item 'telepathy'"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("power, network, vpn"), "{}", out.stderr);
    let out = run(klaar(None).args(["check", "--lang", "de"]));
    assert_eq!(out.code, 2);
}

#[test]
fn capture_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let out = run(klaar(None).args(["debug", "capture"]).arg(dir.path()));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("not empty"), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn capture_replays_like_the_machine_it_came_from_without_identifiers() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("capture");
    // Capture a fixture (a stand-in for a user's laptop) and replay the capture.
    let out = run(klaar(Some(&fixture("laptop-on-battery")))
        .args(["debug", "capture", "--lang", "en"])
        .arg(&target));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("2 power supplies, 2 network interfaces, 4 processes"),
        "{}",
        out.stdout
    );
    let (original, _) = check_json(Some(&fixture("laptop-on-battery")), &[]);
    let (replayed, _) = check_json(Some(&target), &[]);
    for id in ["power", "network", "vpn", "call_apps", "screen_share"] {
        assert_eq!(
            item(&original, id)["facts"],
            item(&replayed, id)["facts"],
            "{id}"
        );
    }
    // And the live machine: what it says about itself must survive the round trip.
    let live_capture = dir.path().join("live");
    assert_eq!(
        run(klaar(None).args(["debug", "capture"]).arg(&live_capture)).code,
        0
    );
    let (live, _) = check_json(None, &["--only", "power,network"]);
    let (replayed, _) = check_json(Some(&live_capture), &["--only", "power,network"]);
    assert_eq!(
        item(&live, "power")["facts"],
        item(&replayed, "power")["facts"]
    );
    assert_eq!(
        item(&live, "network")["facts"]["kind"],
        item(&replayed, "network")["facts"]["kind"]
    );
    let text = String::from_utf8(
        Command::new("grep")
            .args(["-rIl", "SERIAL"])
            .arg(&target)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(text.is_empty(), "serial numbers captured: {text}");
    assert!(std::fs::read_dir(target.join("sys/class/net"))
        .unwrap()
        .all(|e| !e.unwrap().path().join("address").exists()));
}

#[test]
fn a_reader_that_stops_early_is_no_crash() {
    // `klaar check --json | head -c 5`: the reader is gone before Klaar writes its report (here
    // before it writes anything, so the write must meet the closed pipe).
    for args in [&["check", "--json"][..], &["check"][..]] {
        let mut child = klaar(Some(&fixture("laptop-charging")))
            .args(args)
            .args(["--only", "power,network,vpn,call_apps"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
        assert!(matches!(out.status.code(), Some(0 | 1)), "{:?}", out.status);
    }
}

#[test]
fn a_broken_routing_file_in_a_capture_names_the_file_and_line() {
    let root = copy_fixture("wireguard-idle-interface");
    let file = root.path().join("klaar/routing.json");
    std::fs::write(
        &file,
        "{\n  \"rules\": [\n    { \"priority\": \"first\" }\n  ]\n}\n",
    )
    .unwrap();
    let (report, _) = check_json(Some(root.path()), &["--only", "power,network,vpn"]);
    for id in ["network", "vpn"] {
        let it = item(&report, id);
        assert_eq!(it["status"], "unknown", "{it:#}");
        assert_eq!(it["reason"]["kind"], "garbage", "{it:#}");
        let detail = details(it);
        assert!(detail.contains("routing.json"), "{detail}");
        assert!(detail.contains("line 3"), "{detail}");
    }
    // The file is left as it was, and the other items still report.
    assert!(std::fs::read_to_string(&file).unwrap().contains("first"));
    assert_eq!(item(&report, "power")["status"], "pass");
}

#[test]
fn dutch_figures_have_a_decimal_comma() {
    let root = copy_fixture("laptop-on-battery");
    let capacity = root.path().join(BAT0).join("capacity");
    std::fs::remove_file(&capacity).unwrap();
    let c = std::ffi::CString::new(capacity.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let out =
        run(klaar(Some(root.path())).args(["check", "--only", "power", "--deadline-ms", "300"]));
    assert!(
        out.stdout.contains("Wachttijd: 0,3 seconden"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("0.3"), "{}", out.stdout);
}
