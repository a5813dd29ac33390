//! Wi-Fi security and the captive portal against a NetworkManager (or iwd) that the test serves
//! on a private D-Bus daemon, which `klaar` reaches as its system bus; then the same machine
//! captured with `klaar debug capture` and replayed without any bus.
//!
//! The situations come from public reports of tools that read the same properties: WPS bits
//! taken for security on an open network (DankMaterialShell#3218), RSN taken for WPA3 without
//! SAE (WiFiAnalyzer#318), a VPN as the primary connection hiding the Wi-Fi under it, and
//! stock Debian's NetworkManager, which never checks connectivity.

use crate::fakes::{home_wifi, serve_iwd, Nm};
use crate::util::{check_json, check_json_with, fixture, item, klaar, private_bus, run, Daemon};
use serde_json::{json, Value};
use std::path::Path;

/// A private bus with the fake NetworkManager on it.
fn serve_nm(dir: &Path, nm: Nm) -> (Daemon, String, zbus::blocking::Connection) {
    let (daemon, address) = private_bus(dir);
    let served = crate::fakes::serve_nm(&address, nm);
    (daemon, address, served)
}

fn on_bus(address: &str) -> std::process::Command {
    let mut cmd = klaar(None);
    cmd.env("DBUS_SYSTEM_BUS_ADDRESS", address);
    cmd
}

fn check(address: &str) -> Value {
    check_json_with(on_bus(address), &["--only", "wifi_security,captive_portal"]).0
}

#[test]
fn networks_as_networkmanager_reports_them() {
    let cases = [
        (home_wifi(), "pass", json!("wpa2")),
        (
            // A café: open, WPS advertised, a sign-in page.
            Nm {
                ap: (0x2 | 0x4, 0, 0),
                connectivity: 2,
                ..home_wifi()
            },
            "fail",
            json!("open"),
        ),
        (
            Nm {
                ap: (0x1, 0, 0),
                ..home_wifi()
            },
            "fail",
            json!("wep"),
        ),
        (
            Nm {
                ap: (0x1, 0, 0x588),
                ..home_wifi()
            },
            "pass",
            json!("wpa3"),
        ),
        (
            Nm {
                ap: (0x1, 0, 0x888),
                ..home_wifi()
            },
            "warn",
            json!("owe"),
        ),
        (
            // The VPN carries the default route; the Wi-Fi under it is what is judged.
            Nm {
                primary_type: "vpn",
                ap: (0, 0, 0),
                ..home_wifi()
            },
            "fail",
            json!("open"),
        ),
    ];
    for (nm, status, security) in cases {
        let dir = tempfile::tempdir().unwrap();
        let portal = nm.connectivity == 2;
        let (daemon, address, _served) = serve_nm(dir.path(), nm);
        let report = check(&address);
        let wifi = item(&report, "wifi_security");
        assert_eq!(wifi["status"], status, "{wifi:#}");
        assert_eq!(wifi["facts"]["security"], security, "{wifi:#}");
        assert_eq!(wifi["facts"]["ssid_hidden"], false);
        assert!(
            !report.to_string().contains("Thuisnetwerk"),
            "the network's name never shows"
        );
        let captive = item(&report, "captive_portal");
        assert_eq!(captive["facts"]["portal"], portal, "{captive:#}");
        assert_eq!(captive["status"], if portal { "fail" } else { "pass" });
        drop(daemon);
    }
}

#[test]
fn stock_debian_does_not_check_for_a_sign_in_page_and_klaar_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let nm = Nm {
        connectivity: 0,
        check_enabled: false,
        ssid: Vec::new(),
        ..home_wifi()
    };
    let (daemon, address, _served) = serve_nm(dir.path(), nm);
    let report = check(&address);
    let captive = item(&report, "captive_portal");
    assert_eq!(captive["status"], "info", "{captive:#}");
    assert_eq!(captive["facts"]["portal"], Value::Null);
    assert!(captive["detail"]
        .as_str()
        .unwrap()
        .contains("does not check"));
    assert_eq!(item(&report, "wifi_security")["facts"]["ssid_hidden"], true);
    drop(daemon);
}

#[test]
fn a_capture_replays_the_same_answers_without_the_bus() {
    let dir = tempfile::tempdir().unwrap();
    let nm = Nm {
        ap: (0x1, 0x144, 0),
        connectivity: 2,
        ..home_wifi()
    };
    let (daemon, address, _served) = serve_nm(dir.path(), nm);
    let live = check(&address);
    let captured = dir.path().join("capture");
    let out = run(on_bus(&address).args(["debug", "capture"]).arg(&captured));
    assert_eq!(out.code, 0, "{}", out.stderr);
    drop(daemon);
    let answers = std::fs::read_to_string(captured.join("klaar/answers.json")).unwrap();
    assert!(
        !answers.contains("Thuisnetwerk"),
        "no network name in a capture"
    );
    // The bus is gone: the replay answers from the capture alone.
    let replayed = check_json_with(
        klaar(Some(&captured)),
        &["--only", "wifi_security,captive_portal"],
    )
    .0;
    for id in ["wifi_security", "captive_portal"] {
        let (a, b) = (item(&live, id), item(&replayed, id));
        assert_eq!(a["status"], b["status"], "{id}");
        assert_eq!(a["facts"], b["facts"], "{id}");
        assert_eq!(a["detail"], b["detail"], "{id}");
    }
    assert_eq!(
        item(&replayed, "wifi_security")["facts"]["security"],
        "wpa1"
    );
}

#[test]
fn without_networkmanager_iwd_answers_and_without_either_klaar_says_it_cannot_tell() {
    let dir = tempfile::tempdir().unwrap();
    let (daemon, address) = private_bus(dir.path());
    // Nothing on the bus: neither service. Only the kernel's routes are left, and they tell
    // only that no Wi-Fi is in use; this machine's own link decides which answer is right.
    let report = check_json_with(
        on_bus(&address),
        &["--only", "wifi_security,captive_portal,network"],
    )
    .0;
    let wifi = item(&report, "wifi_security");
    let link = item(&report, "network")["facts"]["kind"].clone();
    if ["wired", "mobile", "none"].contains(&link.as_str().unwrap_or("")) {
        assert_eq!(wifi["facts"]["source"], "kernel", "{wifi:#}");
        assert_eq!(wifi["facts"]["link"], link, "{wifi:#}");
        // On a cable or a phone there is no Wi-Fi to judge; with no link at all, nothing.
        let expected = if link == "none" { "info" } else { "pass" };
        assert_eq!(wifi["status"], expected, "{wifi:#}");
    } else {
        assert_eq!(wifi["status"], "unknown", "{wifi:#}");
        assert!(wifi["details"].to_string().contains("NetworkManager, iwd"));
    }
    // Nobody checks for a sign-in page without NetworkManager: said, not judged.
    let captive = item(&report, "captive_portal");
    assert_eq!(captive["status"], "info", "{captive:#}");
    assert_eq!(captive["facts"]["portal"], Value::Null);

    let _iwd = serve_iwd(&address);
    let report = check(&address);
    let wifi = item(&report, "wifi_security");
    assert_eq!(wifi["facts"]["security"], "wpa2", "{wifi:#}");
    assert_eq!(wifi["facts"]["source"], "iwd");
    assert_eq!(wifi["status"], "pass");
    drop(daemon);
}

/// A machine with neither NetworkManager nor iwd (systemd-networkd, ifupdown), or a capture
/// from before Klaar asked them: on a cable there is no Wi-Fi to judge, which is a pass; on
/// Wi-Fi nobody can tell its security, which Klaar says, naming the services it looked for.
#[test]
fn without_a_wifi_service_the_routes_tell_only_whether_wifi_is_in_use() {
    let wired = check_json(
        Some(&fixture("debian12-vm-virtio")),
        &["--only", "wifi_security"],
    )
    .0;
    let wifi = item(&wired, "wifi_security");
    assert_eq!(wifi["status"], "pass", "{wifi:#}");
    assert_eq!(wifi["facts"]["source"], "kernel");
    assert_eq!(wifi["facts"]["security"], Value::Null);

    let mut cmd = klaar(Some(&fixture("wifi-weak-signal")));
    cmd.args(["check", "--lang", "nl", "--only", "wifi_security"]);
    let out = run(&mut cmd);
    assert!(
        out.stdout.contains("[? onbekend] Beveiligde wifi"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("Apparaat of dienst: NetworkManager, iwd"),
        "{}",
        out.stdout
    );
    for english in ["unexpected", "answer", "not there"] {
        assert!(
            !out.stdout.contains(english),
            "{english:?} in:\n{}",
            out.stdout
        );
    }
}
