//! Captured machines replayed through `KLAAR_ROOT`: one line per case.

use crate::util::{check_json, check_json_seeing, fixture, item};
use serde_json::{json, Value};

/// `klaar check` on the fixture `name`: item `id` has `status` and these facts.
pub fn check(name: &str, id: &str, status: &str, facts: Value) {
    let (report, _) = check_json(Some(&fixture(name)), &[]);
    let item = item(&report, id);
    assert_eq!(item["status"], status, "{name}/{id}: {item:#}");
    for (key, value) in facts.as_object().unwrap() {
        assert_eq!(&item["facts"][key], value, "{name}/{id}.{key}: {item:#}");
    }
}

#[test]
fn power() {
    check(
        "laptop-on-battery",
        "power",
        "warn",
        json!({"on_battery": true, "battery_percent": 50, "minutes_left": 150}),
    );
    check(
        "laptop-charging",
        "power",
        "pass",
        json!({"on_battery": false, "battery_percent": 65, "minutes_left": null}),
    );
    check(
        "desktop-mouse-battery",
        "power",
        "pass",
        json!({"on_battery": false, "battery_percent": null}),
    );
    check(
        "wifi-openvpn-full",
        "power",
        "fail",
        json!({"on_battery": true, "battery_percent": 18, "minutes_left": 45}),
    );
    check(
        "wifi-weak-signal",
        "power",
        "pass",
        json!({"on_battery": false, "battery_percent": 100}),
    );
}

#[test]
fn network() {
    check(
        "laptop-charging",
        "network",
        "pass",
        json!({"kind": "wired", "interface": "enp0s31f6"}),
    );
    check(
        "laptop-on-battery",
        "network",
        "warn",
        json!({"kind": "wifi", "interface": "wlp0s20f3", "signal_dbm": -58}),
    );
    check(
        "wifi-weak-signal",
        "network",
        "fail",
        json!({"kind": "wifi", "signal_dbm": -81}),
    );
    check(
        "wifi-openvpn-full",
        "network",
        "warn",
        json!({"kind": "wifi", "interface": "wlp2s0", "tunnel": "tun0"}),
    );
    check(
        "wired-wireguard-split",
        "network",
        "pass",
        json!({"kind": "wired", "interface": "enp0s31f6", "tunnel": null}),
    );
    check(
        "phone-usb-tethering",
        "network",
        "warn",
        json!({"kind": "mobile", "interface": "usb0"}),
    );
    check(
        "wwan-modem",
        "network",
        "warn",
        json!({"kind": "mobile", "interface": "wwan0"}),
    );
    check(
        "no-network",
        "network",
        "fail",
        json!({"kind": "none", "interface": null}),
    );
}

#[test]
fn vpn() {
    check(
        "wifi-openvpn-full",
        "vpn",
        "pass",
        json!({"active": true, "interfaces": ["tun0"], "full_tunnel": true}),
    );
    check(
        "wired-wireguard-split",
        "vpn",
        "pass",
        json!({"active": true, "interfaces": ["wg0"], "full_tunnel": false}),
    );
    check(
        "laptop-charging",
        "vpn",
        "warn",
        json!({"active": false, "interfaces": [], "full_tunnel": null}),
    );
}

#[test]
fn apps() {
    check(
        "laptop-on-battery",
        "call_apps",
        "fail",
        json!({"running": [{"app": "zoom", "name": "Zoom", "avg": "no"}]}),
    );
    check(
        "laptop-on-battery",
        "screen_share",
        "warn",
        json!({"apps": ["Thunderbird"]}),
    );
    check(
        "laptop-charging",
        "call_apps",
        "pass",
        json!({"running": [{"app": "teams", "name": "Microsoft Teams", "avg": "yes"}]}),
    );
    check(
        "laptop-charging",
        "cloud_sync",
        "warn",
        json!({"apps": ["Dropbox"]}),
    );
    check(
        "desktop-mouse-battery",
        "screen_share",
        "warn",
        json!({"apps": ["Slack"]}),
    );
    check(
        "phone-usb-tethering",
        "call_apps",
        "fail",
        json!({"running": [{"app": "skype", "name": "Skype", "avg": "no"}]}),
    );
}

#[test]
fn verdict_and_exit_code_follow_the_worst_item() {
    // A laptop with a working camera, in a well-lit room, and no VPN: almost ready. (Sound is
    // tested with a real sound server in microphone.rs.)
    let (report, code) = check_json_seeing(
        Some(&fixture("laptop-charging")),
        "well-lit.png",
        &[
            "--only",
            "power,network,vpn,call_apps,cloud_sync,camera,camera_light",
        ],
    );
    assert_eq!((report["verdict"].as_str(), code), (Some("attention"), 0));
    // The same laptop without a camera (the captured tree has none) is not ready.
    let (report, code) = check_json(Some(&fixture("laptop-charging")), &[]);
    assert_eq!((report["verdict"].as_str(), code), (Some("not_ready"), 1));
    assert_eq!(item(&report, "camera")["status"], "fail");
    let (report, code) = check_json(Some(&fixture("no-network")), &[]);
    assert_eq!((report["verdict"].as_str(), code), (Some("not_ready"), 1));
    let (report, code) = check_json(
        Some(&fixture("wired-wireguard-split")),
        &["--only", "power,network,vpn"],
    );
    assert_eq!((report["verdict"].as_str(), code), (Some("ready"), 0));
}
