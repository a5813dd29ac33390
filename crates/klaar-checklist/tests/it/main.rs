//! The engine from the outside: facts in, statuses and texts out, in both languages.

use klaar_checklist::{rules, Engine, Lang, Plan, Status, Verdict};
use klaar_facts::*;

mod choices;

fn plan(items: &[&str]) -> Plan {
    Engine::builtin()
        .plan(&items.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        .unwrap()
}

/// Evaluates one item and checks its status and that its Dutch and English texts (the main line
/// and the details part) contain the given fragments. The main line never carries a figure.
fn check(item: &str, facts: Facts, status: Status, nl: &str, en: &str) {
    let engine = Engine::builtin();
    let probe = engine.catalogue().item(item).unwrap().probe.unwrap();
    let result = ProbeResult {
        probe,
        outcome: Ok(facts),
        elapsed_ms: 3,
    };
    for (lang, fragment) in [(Lang::Nl, nl), (Lang::En, en)] {
        let items = engine.evaluate(&plan(&[item]), &result, lang);
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].status, status, "{item}: {}", items[0].detail);
        let all = format!("{} | {}", items[0].detail, items[0].details.join(" | "));
        assert!(
            all.contains(fragment),
            "{item} {lang:?}: {all:?} lacks {fragment:?}"
        );
        assert!(!all.contains('{'), "unfilled placeholder in {all:?}");
        for figure in [
            "dBm", "dBFS", " ms", "/sys", "/dev", "eth0", "wlan0", "wg0", "tun0", "veth0",
        ] {
            assert!(
                !items[0].detail.contains(figure),
                "{item} {lang:?}: the main line {:?} shows {figure:?}; it belongs in the details",
                items[0].detail
            );
        }
    }
}

fn power(on_battery: Option<bool>, percent: Option<u8>, minutes: Option<u32>) -> Facts {
    Facts::Power(PowerFacts {
        on_battery,
        battery_percent: percent,
        minutes_left: minutes,
    })
}

#[test]
fn power_rules() {
    check(
        "power",
        power(Some(false), None, None),
        Status::Pass,
        "netstroom",
        "mains power",
    );
    check(
        "power",
        power(Some(false), Some(80), None),
        Status::Pass,
        "80 %",
        "80%",
    );
    check(
        "power",
        power(Some(true), Some(60), Some(150)),
        Status::Warn,
        "nog ongeveer 3 uur",
        "about 3 hours left",
    );
    check(
        "power",
        power(Some(true), Some(20), None),
        Status::Fail,
        "bijna leeg: 20 %",
        "nearly empty: 20%",
    );
    check(
        "power",
        power(Some(true), Some(70), Some(30)),
        Status::Fail,
        "30 minuten",
        "30 minutes",
    );
    check(
        "power",
        power(Some(true), Some(21), Some(31)),
        Status::Warn,
        "21 %",
        "21%",
    );
    check(
        "power",
        power(None, Some(50), None),
        Status::Unknown,
        "niet zien",
        "cannot tell",
    );
}

fn net(
    kind: LinkKind,
    interface: Option<&str>,
    signal: Option<i32>,
    tunnel: Option<&str>,
    vpn: VpnFacts,
) -> Facts {
    Facts::Connectivity(Connectivity {
        network: NetworkFacts {
            kind,
            interface: interface.map(String::from),
            signal_dbm: signal,
            tunnel: tunnel.map(String::from),
        },
        vpn,
    })
}

/// A wired connection (`eth0`) with a VPN (`tun0`) when `full_tunnel` is given (`true`: all
/// traffic goes through it; `false`: only the organisation's), else without one.
fn wired(full_tunnel: Option<bool>) -> Facts {
    let active = full_tunnel.is_some();
    let vpn = VpnFacts {
        active,
        interfaces: if active { vec!["tun0".into()] } else { vec![] },
        full_tunnel,
        ipsec: false,
        ipsec_unknown: None,
    };
    net(LinkKind::Wired, Some("eth0"), None, None, vpn)
}

#[test]
fn network_rules() {
    let none = VpnFacts::default();
    check(
        "network",
        net(LinkKind::Wired, Some("eth0"), None, None, none.clone()),
        Status::Pass,
        "Netwerkadapter: eth0",
        "Network adapter: eth0",
    );
    check(
        "network",
        net(LinkKind::Wifi, Some("wlan0"), Some(-60), None, none.clone()),
        Status::Warn,
        "Wifi-signaal: -60 dBm",
        "Wi-Fi signal: -60 dBm",
    );
    check(
        "network",
        net(LinkKind::Wifi, Some("wlan0"), Some(-75), None, none.clone()),
        Status::Warn,
        "wifi",
        "Wi-Fi",
    );
    check(
        "network",
        net(LinkKind::Wifi, Some("wlan0"), Some(-76), None, none.clone()),
        Status::Fail,
        "Wifi-signaal: -76 dBm",
        "Wi-Fi signal: -76 dBm",
    );
    check(
        "network",
        net(LinkKind::Mobile, Some("usb0"), None, None, none.clone()),
        Status::Warn,
        "mobiel",
        "mobile data",
    );
    check(
        "network",
        net(LinkKind::None, None, None, None, none.clone()),
        Status::Fail,
        "geen internet",
        "no internet",
    );
    check(
        "network",
        net(LinkKind::Other, Some("veth0"), None, None, none.clone()),
        Status::Unknown,
        "Netwerkadapter: veth0",
        "Network adapter: veth0",
    );
    let wg = VpnFacts {
        active: true,
        interfaces: vec!["wg0".into()],
        full_tunnel: Some(true),
        ipsec: false,
        ipsec_unknown: None,
    };
    check(
        "network",
        net(LinkKind::Wifi, Some("wlan0"), None, Some("wg0"), wg),
        Status::Warn,
        "VPN-adapter: wg0",
        "VPN adapter: wg0",
    );
}

#[test]
fn vpn_rules() {
    check(
        "vpn",
        wired(Some(true)),
        Status::Pass,
        "al je internetverkeer",
        "all your internet traffic",
    );
    check(
        "vpn",
        wired(Some(false)),
        Status::Pass,
        "alleen voor de netwerken",
        "only for your organisation",
    );
    check("vpn", wired(None), Status::Warn, "geen VPN", "No VPN");
}

fn processes(names: &[&str]) -> Facts {
    Facts::Processes(ProcessList {
        processes: names
            .iter()
            .map(|n| Process {
                exe: Some(format!("/usr/bin/{n}")),
                name: n.to_string(),
                argv0: None,
                hints: Default::default(),
            })
            .collect(),
    })
}

#[test]
fn every_app_is_reported_in_an_item_that_exists_so_forbidding_it_always_counts() {
    let catalogue = klaar_checklist::Catalogue::builtin();
    for app in &catalogue.apps {
        let items = app.forbidden_in();
        assert!(
            !items.is_empty(),
            "{}: no role, so no item reports it",
            app.key
        );
        for id in items {
            assert!(catalogue.item(id).is_some(), "{}: {id} is no item", app.key);
        }
    }
    // Forbidden WhatsApp (it calls and chats) fails in the calling apps' item alone.
    let engine = Engine::builtin().with_choices(klaar_checklist::Choices {
        policy: klaar_checklist::Policy {
            forbidden_apps: vec!["whatsapp".into(), "thunderbird".into(), "dropbox".into()],
            ..Default::default()
        },
        ..Default::default()
    });
    let running = processes(&["whatsapp", "thunderbird", "dropbox"]);
    let plan = engine.plan(&[]).unwrap();
    let failed: Vec<String> = engine
        .evaluate(&plan, &ok(running), Lang::Nl)
        .into_iter()
        .filter(|i| i.status == Status::Fail)
        .map(|i| format!("{}: {}", i.id, i.detail))
        .collect();
    assert_eq!(failed.len(), 3, "{failed:#?}");
    for (id, name) in [
        ("call_apps", "WhatsApp"),
        ("screen_share", "Thunderbird"),
        ("cloud_sync", "Dropbox"),
    ] {
        let line = failed.iter().find(|l| l.starts_with(id)).unwrap();
        assert!(line.contains(name), "{line}");
    }
    assert!(!failed
        .iter()
        .any(|l| l.starts_with("screen_share") && l.contains("WhatsApp")));
}

#[test]
fn app_rules() {
    check(
        "call_apps",
        processes(&["zoom", "teams-for-linux"]),
        Status::Fail,
        "Niet AVG-proof en nu open: Zoom.",
        "Not GDPR-proof and open now: Zoom.",
    );
    check(
        "call_apps",
        processes(&["freetube"]),
        Status::Warn,
        "YouTube",
        "YouTube",
    );
    check(
        "call_apps",
        processes(&["teams-for-linux", "signal-desktop"]),
        Status::Pass,
        "Signal (niet beoordeeld)",
        "Signal (not rated)",
    );
    check(
        "call_apps",
        processes(&["bash"]),
        Status::Pass,
        "geen app",
        "No video-call app",
    );
    check(
        "screen_share",
        processes(&["thunderbird", "slack", "zoom"]),
        Status::Warn,
        "Slack, Thunderbird",
        "Slack, Thunderbird",
    );
    check(
        "screen_share",
        processes(&["zoom"]),
        Status::Pass,
        "geen mail",
        "No mail",
    );
    check(
        "cloud_sync",
        processes(&["dropbox"]),
        Status::Warn,
        "Dropbox",
        "Dropbox",
    );
    check(
        "cloud_sync",
        processes(&["bash"]),
        Status::Pass,
        "geen programma voor cloudopslag",
        "No cloud storage client",
    );
}

fn wifi(link: LinkKind, security: Option<WifiSecurity>) -> Facts {
    Facts::WifiSecurity(WifiSecurityFacts {
        link,
        security,
        ssid_hidden: Some(false),
        source: "networkmanager".into(),
    })
}

#[test]
fn wifi_security_rules() {
    use WifiSecurity::*;
    let on = |s| wifi(LinkKind::Wifi, Some(s));
    check(
        "wifi_security",
        on(Open),
        Status::Fail,
        "Werk niet op gratis wifi",
        "Do not work on free Wi-Fi",
    );
    check(
        "wifi_security",
        on(Wep),
        Status::Fail,
        "verouderde beveiliging",
        "outdated security",
    );
    check(
        "wifi_security",
        on(Wpa1),
        Status::Fail,
        "WPA (TKIP)",
        "WPA (TKIP)",
    );
    check(
        "wifi_security",
        on(Owe),
        Status::Warn,
        "zonder wachtwoord",
        "without a password",
    );
    check(
        "wifi_security",
        on(Wpa2),
        Status::Pass,
        "WPA2-Personal",
        "WPA2-Personal",
    );
    check(
        "wifi_security",
        on(Wpa3),
        Status::Pass,
        "goed beveiligd",
        "well secured",
    );
    check(
        "wifi_security",
        on(Enterprise),
        Status::Pass,
        "Enterprise",
        "Enterprise",
    );
    check(
        "wifi_security",
        wifi(LinkKind::Wifi, None),
        Status::Unknown,
        "niet zien",
        "cannot tell",
    );
    check(
        "wifi_security",
        wifi(LinkKind::Wired, None),
        Status::Pass,
        "bekabeld",
        "by cable",
    );
    check(
        "wifi_security",
        wifi(LinkKind::None, None),
        Status::Info,
        "geen wifi",
        "not using Wi-Fi",
    );
}

fn portal(state: ConnectivityState, check_enabled: Option<bool>) -> Facts {
    Facts::CaptivePortal(PortalFacts {
        state,
        check_enabled,
    })
}

#[test]
fn captive_portal_rules() {
    use ConnectivityState::*;
    check(
        "captive_portal",
        portal(Portal, Some(true)),
        Status::Fail,
        "in te loggen op een webpagina",
        "sign in on a web page",
    );
    check(
        "captive_portal",
        portal(Full, Some(true)),
        Status::Pass,
        "zonder inlogpagina",
        "without a sign-in page",
    );
    check(
        "captive_portal",
        portal(Limited, Some(true)),
        Status::Warn,
        "komt niet op internet",
        "cannot reach the internet",
    );
    // Stock Debian: the check is off, so nothing can be said either way.
    check(
        "captive_portal",
        portal(Unknown, Some(false)),
        Status::Info,
        "controleert niet",
        "does not check",
    );
    check(
        "captive_portal",
        portal(Unknown, Some(false)),
        Status::Info,
        "Verbindingscontrole van NetworkManager: uit",
        "check: off",
    );
}

fn disk(checked: &[&str], unencrypted: &[&str], undecided: &[&str], method: Option<&str>) -> Facts {
    let v = |l: &[&str]| l.iter().map(|s| s.to_string()).collect();
    Facts::DiskEncryption(DiskEncryptionFacts {
        checked: v(checked),
        unencrypted: v(unencrypted),
        undecided: v(undecided),
        method: method.map(str::to_string),
    })
}

#[test]
fn disk_encryption_rules() {
    check(
        "disk_encryption",
        disk(&["/"], &[], &[], Some("luks2")),
        Status::Pass,
        "Versleuteling: luks2",
        "Encryption: luks2",
    );
    check(
        "disk_encryption",
        disk(&["/", "/home"], &["/"], &[], Some("fscrypt")),
        Status::Pass,
        "persoonlijke map is versleuteld",
        "home folder is encrypted",
    );
    check(
        "disk_encryption",
        disk(&["/", "/home"], &["/home"], &[], Some("luks2")),
        Status::Fail,
        "Niet versleuteld: /home",
        "Not encrypted: /home",
    );
    check(
        "disk_encryption",
        disk(&["/"], &["/"], &[], None),
        Status::Fail,
        "helpdesk",
        "helpdesk",
    );
    check(
        "disk_encryption",
        disk(&["/"], &[], &["/"], None),
        Status::Unknown,
        "Niet na te gaan: /",
        "Could not be checked: /",
    );
}

#[test]
fn usb_storage_rules() {
    let usb = |plain: &[&str], enc: &[&str]| {
        Facts::UsbStorage(UsbStorageFacts {
            unencrypted: plain.iter().map(|s| s.to_string()).collect(),
            encrypted: enc.iter().map(|s| s.to_string()).collect(),
        })
    };
    check(
        "usb_storage",
        usb(&["/media/anna/STICK"], &[]),
        Status::Warn,
        "Niet versleuteld: /media/anna/STICK",
        "Not encrypted: /media/anna/STICK",
    );
    check(
        "usb_storage",
        usb(&[], &["/media/anna/SAFE"]),
        Status::Pass,
        "is versleuteld",
        "is encrypted",
    );
    check(
        "usb_storage",
        usb(&[], &[]),
        Status::Pass,
        "geen usb-stick",
        "No USB stick",
    );
}

#[test]
fn screen_lock_rules() {
    let lock = |enabled, after: Option<u32>| {
        Facts::ScreenLock(ScreenLockFacts {
            desktop: "gnome".into(),
            enabled,
            lock_after_s: after,
        })
    };
    check(
        "screen_lock",
        lock(true, Some(300)),
        Status::Pass,
        "na 5 minuten",
        "after 5 minutes",
    );
    check(
        "screen_lock",
        lock(true, Some(900)),
        Status::Pass,
        "na 15 minuten",
        "after 15 minutes",
    );
    check(
        "screen_lock",
        lock(true, Some(1800)),
        Status::Warn,
        "pas na 30 minuten",
        "only locks after 30 minutes",
    );
    check(
        "screen_lock",
        lock(false, None),
        Status::Warn,
        "niet vanzelf",
        "does not lock by itself",
    );
}

#[test]
fn connection_rules() {
    let zoom = || ConnectionTarget {
        host: "zoom.us".into(),
        port: 443,
        source: TargetSource::App,
        service: Some("Zoom".into()),
    };
    let measured = |samples: &[f64]| {
        Facts::Connection(ConnectionFacts {
            target: Some(zoom()),
            samples_ms: samples.to_vec(),
            failure: None,
        })
    };
    // testRTC's grades on the median: below 200 ms good, above 500 ms bad.
    check(
        "connection",
        measured(&[35.0, 36.0, 34.0, 35.0, 37.0]),
        Status::Pass,
        "De verbinding met Zoom is snel genoeg",
        "Round trip: 35 ms (above 200 ms the call may stutter",
    );
    check(
        "connection",
        measured(&[35.0, 36.0, 34.0, 35.0, 37.0]),
        Status::Pass,
        "Gekozen omdat Zoom open is",
        "Chosen because Zoom is open",
    );
    check(
        "connection",
        measured(&[310.0, 290.0, 300.0]),
        Status::Warn,
        "wat traag",
        "Round trip: 300 ms",
    );
    check(
        "connection",
        measured(&[650.0, 700.0, 1200.0]),
        Status::Fail,
        "te traag voor een videogesprek",
        "too slow for a video call",
    );
    // A fast median that swings by 70 ms between trips (Twilio warns above 30 ms).
    check(
        "connection",
        measured(&[50.0, 120.0, 50.0, 120.0, 50.0]),
        Status::Warn,
        "Schommeling: 70 ms",
        "is unsteady",
    );
    let failed = |failure| {
        Facts::Connection(ConnectionFacts {
            target: Some(ConnectionTarget {
                source: TargetSource::Organisation,
                service: None,
                ..zoom()
            }),
            samples_ms: vec![],
            failure: Some(failure),
        })
    };
    check(
        "connection",
        failed(ConnectFailure::NotFound),
        Status::Warn,
        "Klaar kon de dienst van je organisatie niet vinden",
        "Chosen because your organisation set this service",
    );
    check(
        "connection",
        failed(ConnectFailure::Unreachable),
        Status::Warn,
        "Klaar kreeg geen antwoord van de dienst van je organisatie",
        "Measured to: zoom.us, port 443",
    );
    // A firewall's reject comes back at once: never taken for a fast line.
    check(
        "connection",
        failed(ConnectFailure::Refused),
        Status::Warn,
        "weigert de verbinding",
        "refuses the connection",
    );
    check(
        "connection",
        Facts::Connection(ConnectionFacts::default()),
        Status::Info,
        "meet de verbinding daarom niet",
        "does not measure the connection",
    );
}

#[test]
fn a_probe_error_is_unknown_with_the_reason_and_what_to_do() {
    let engine = Engine::builtin();
    let result = ProbeResult {
        probe: ProbeId::Power,
        outcome: Err(ProbeError::Garbage {
            path: "/sys/class/power_supply/BAT0/capacity".into(),
            value: "lots".into(),
        }),
        elapsed_ms: 1,
    };
    let item = &engine.evaluate(&plan(&["power"]), &result, Lang::En)[0];
    assert_eq!(item.status, Status::Unknown);
    assert!(
        item.detail.contains("unexpected answer") && item.detail.contains("helpdesk"),
        "{}",
        item.detail
    );
    assert!(!item.detail.contains("/sys"), "no paths in the main line");
    assert_eq!(
        item.details,
        [
            "File: /sys/class/power_supply/BAT0/capacity",
            "Value read: 'lots'"
        ]
    );
    let timed_out = ProbeResult {
        outcome: Err(ProbeError::TimedOut { deadline_ms: 2500 }),
        ..result.clone()
    };
    assert_eq!(
        engine.evaluate(&plan(&["power"]), &timed_out, Lang::Nl)[0].details,
        ["Wachttijd: 2,5 seconden"]
    );
    // A microphone another program holds (cpal's "device busy"): said in words, the device in
    // the details.
    let busy = ProbeResult {
        probe: ProbeId::Microphone,
        outcome: Err(ProbeError::Busy {
            what: "Headsetmicrofoon".into(),
        }),
        elapsed_ms: 1,
    };
    let item = &engine.evaluate(&plan(&["microphone"]), &busy, Lang::Nl)[0];
    assert_eq!(item.status, Status::Unknown);
    assert!(
        item.detail
            .starts_with("Klaar kon dit niet nagaan: een ander programma gebruikt het apparaat."),
        "{}",
        item.detail
    );
    assert_eq!(item.details, ["Apparaat of dienst: Headsetmicrofoon"]);
    let gone = ProbeResult {
        outcome: Err(ProbeError::Unavailable {
            what: "PulseAudio".into(),
        }),
        ..busy
    };
    let item = &engine.evaluate(&plan(&["microphone"]), &gone, Lang::En)[0];
    assert!(item.detail.contains("is not there now"), "{}", item.detail);
    // A service asked over D-Bus is a service, not a file, and its failure comes as a code
    // worded in the user's language (no English message inside Dutch text).
    let slow = ProbeResult {
        probe: ProbeId::Updates,
        outcome: Err(ProbeError::Unreadable {
            path: "PackageKit".into(),
            reason: "timeout".into(),
        }),
        elapsed_ms: 1,
    };
    let item = &engine.evaluate(&plan(&["updates"]), &slow, Lang::Nl)[0];
    assert_eq!(
        item.details,
        ["Dienst: PackageKit", "De dienst gaf niet op tijd antwoord."]
    );
    // Raw bytes from a broken file never reach the screen.
    let binary = ProbeResult {
        outcome: Err(ProbeError::Garbage {
            path: "/sys/class/power_supply/BAT0/status".into(),
            value: format!("\u{1b}[2J\0{}", "x".repeat(200)),
        }),
        ..result
    };
    let details = &engine.evaluate(&plan(&["power"]), &binary, Lang::Nl)[0].details;
    assert!(!details[1].chars().any(char::is_control), "{details:?}");
    assert!(details[1].chars().count() < 80, "{details:?}");
}

/// Items as a session shows them, for the verdict's words.
fn answered(
    results: Vec<ProbeResult>,
    ticked: &[&str],
    lang: Lang,
) -> Vec<klaar_checklist::ItemReport> {
    let engine = Engine::builtin();
    let plan = engine.plan(&[]).unwrap();
    let mut items: Vec<_> = results
        .iter()
        .flat_map(|r| engine.evaluate(&plan, r, lang))
        .collect();
    items.extend(engine.manual_items(lang, |id| ticked.contains(&id)));
    engine.report(items, 0).items
}

fn ok(facts: Facts) -> ProbeResult {
    ProbeResult {
        probe: facts.probe(),
        outcome: Ok(facts),
        elapsed_ms: 1,
    }
}

#[test]
fn the_verdict_names_what_blocks_and_only_what_blocks() {
    let engine = Engine::builtin();
    let wired = wired(Some(true));
    // Zoom open and no microphone: the two failures, named; the warnings are not.
    let items = answered(
        vec![
            ok(power(Some(true), Some(80), None)),
            ok(wired.clone()),
            ok(processes(&["zoom"])),
            ok(Facts::Microphone(MicrophoneFacts::default())),
        ],
        &[],
        Lang::Nl,
    );
    let line = engine.verdict_line(&items, Lang::Nl);
    assert_eq!(line.verdict, Verdict::NotReady);
    assert_eq!(line.text, "Nog niet klaar: Zoom is open · geen microfoon");
    assert_eq!(
        line.blockers
            .iter()
            .map(|b| b.id.as_str())
            .collect::<Vec<_>>(),
        ["call_apps", "microphone"]
    );
    // Two apps: the plural.
    let items = answered(vec![ok(processes(&["zoom", "skype"]))], &[], Lang::En);
    assert!(
        engine
            .verdict_line(&items, Lang::En)
            .text
            .contains("Zoom and Skype are open")
            || engine
                .verdict_line(&items, Lang::En)
                .text
                .contains("Skype and Zoom are open"),
        "{}",
        engine.verdict_line(&items, Lang::En).text
    );
    // Only tick items left: it asks to tick them, and counts only those before the call.
    let items = answered(
        vec![ok(power(Some(false), None, None)), ok(wired.clone())],
        &[],
        Lang::Nl,
    );
    let line = engine.verdict_line(&items, Lang::Nl);
    assert_eq!(line.verdict, Verdict::Attention);
    assert_eq!(line.text, "Vink nog 3 punten af, dan ben je klaar.");
    assert!(line.blockers.is_empty());
    let items = answered(
        vec![ok(power(Some(false), None, None)), ok(wired.clone())],
        &["phone_silent", "tidy_background"],
        Lang::Nl,
    );
    assert_eq!(
        engine.verdict_line(&items, Lang::Nl).text,
        "Vink nog 1 punt af, dan ben je klaar."
    );
    // A warning and open ticks: both said, the ticks last.
    let items = answered(
        vec![ok(power(Some(true), Some(80), None)), ok(wired)],
        &["phone_silent"],
        Lang::En,
    );
    assert_eq!(
        engine.verdict_line(&items, Lang::En).text,
        "Almost ready: laptop on battery · tick 2 more items"
    );
    // An unknown result is named by its item.
    let lost = ProbeResult {
        probe: ProbeId::Power,
        outcome: Err(ProbeError::TimedOut { deadline_ms: 2000 }),
        elapsed_ms: 2000,
    };
    let items = answered(
        vec![lost],
        &["phone_silent", "tidy_background", "agreements"],
        Lang::Nl,
    );
    assert_eq!(
        engine.verdict_line(&items, Lang::Nl).text,
        "Bijna klaar: stroom niet na te gaan"
    );
}

#[test]
fn items_fall_in_three_groups_named_in_both_languages() {
    let engine = Engine::builtin();
    for group in klaar_checklist::Group::ALL {
        let items: Vec<&str> = engine
            .catalogue()
            .items
            .iter()
            .filter(|i| i.group == group)
            .map(|i| i.id.as_str())
            .collect();
        assert!(!items.is_empty(), "{group:?} holds no item");
        for lang in [Lang::Nl, Lang::En] {
            let name = engine.locale(lang).get(group.locale_key());
            assert!(!name.is_empty() && !name.starts_with("group."), "{name}");
        }
    }
    let power = &engine.catalogue().items[0];
    assert_eq!(
        (power.id.as_str(), power.group),
        ("power", klaar_checklist::Group::Device)
    );
}

#[test]
fn every_rule_answers_an_item_of_the_catalogue() {
    let catalogue = Engine::builtin().catalogue().items.clone();
    for item in rules::items() {
        assert!(
            catalogue.iter().any(|i| i.id == item),
            "the rule for {item} answers no item of the catalogue"
        );
    }
}

#[test]
fn every_problem_has_a_few_words_for_the_verdict() {
    for item in &Engine::builtin().catalogue().items {
        let unknown: &[&str] = if item.probe.is_some() {
            &["unknown"]
        } else {
            &[]
        };
        for key in rules::problem_keys(&item.id).iter().chain(unknown) {
            assert!(
                item.short.contains_key(*key),
                "{}: message {key} can hold the verdict back but has no [items.short] wording",
                item.id
            );
        }
    }
}

#[test]
fn one_network_probe_answers_two_items_and_the_verdict_follows_the_worst() {
    let engine = Engine::builtin();
    let plan = engine.plan(&[]).unwrap();
    assert_eq!(plan.probes, ProbeId::ALL, "every probe, each once");
    let result = ProbeResult {
        probe: ProbeId::Network,
        outcome: Ok(net(
            LinkKind::Wired,
            Some("eth0"),
            None,
            None,
            VpnFacts::default(),
        )),
        elapsed_ms: 1,
    };
    let items = engine.evaluate(&plan, &result, Lang::Nl);
    assert_eq!(
        items.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
        ["network", "vpn"]
    );
    assert_eq!(engine.report(items, 5).verdict, Verdict::Attention);
}

#[test]
fn unknown_items_are_named() {
    let err = Engine::builtin()
        .plan(&["power".into(), "telepathy".into()])
        .unwrap_err();
    assert_eq!(err.id, "telepathy");
    assert!(err.known.contains(&"vpn".to_string()));
}

#[test]
fn the_catalogue_has_every_message_the_rules_use_and_cites_real_sections() {
    let engine = Engine::builtin();
    let seeds = seeds_dir();
    for item in &engine.catalogue().items {
        let keys = rules::message_keys(&item.id);
        for key in &keys {
            assert!(
                item.messages.contains_key(*key),
                "{} lacks message {key}",
                item.id
            );
        }
        // Both ways: a catalogue message no rule gives is a rule that was changed without it.
        for key in item.messages.keys() {
            assert!(
                keys.contains(&key.as_str()),
                "{}: the catalogue's message {key} is given by no rule",
                item.id
            );
        }
        // An item that reads a probe has a rule, and a rule has an item.
        assert_eq!(
            item.probe.is_some(),
            !keys.is_empty(),
            "{}: probe and rule go together",
            item.id
        );
        assert!(!item.sources.is_empty(), "{} cites no source", item.id);
        // The seeds sit beside the repository in development and CI; the citations must match.
        for source in &item.sources {
            let text = seed_text(&seeds, &source.seed);
            assert!(
                text.contains(&source.section),
                "{}: section {:?} not in seed {}",
                item.id,
                source.section,
                source.seed
            );
            for part in source.quote.split("; ") {
                assert!(
                    text.contains(&plain(part)),
                    "{}: quote {part:?} not in seed {}",
                    item.id,
                    source.seed
                );
            }
        }
    }
}

fn camera(present: bool, busy_by: Option<&str>, first_frame_ms: Option<u64>) -> CameraFacts {
    CameraFacts {
        present,
        name: present.then(|| "Integrated Camera".to_string()),
        busy_by: busy_by.map(String::from),
        denied: false,
        first_frame_ms,
        picture: None,
    }
}

#[test]
fn camera_rules() {
    let c = |f: CameraFacts| Facts::Camera(f);
    check(
        "camera",
        c(camera(false, None, None)),
        Status::Fail,
        "geen camera",
        "no camera",
    );
    check(
        "camera",
        c(camera(true, None, Some(420))),
        Status::Pass,
        "Eerste beeld na 420 ms",
        "First frame after 420 ms",
    );
    check(
        "camera",
        c(camera(true, Some("zoom"), None)),
        Status::Warn,
        "in gebruik door Zoom",
        "in use by Zoom",
    );
    check(
        "camera",
        c(camera(true, Some("obs"), None)),
        Status::Warn,
        "in gebruik door obs",
        "in use by obs",
    );
    check(
        "camera",
        c(CameraFacts {
            denied: true,
            ..camera(true, None, None)
        }),
        Status::Fail,
        "mag hem niet gebruiken",
        "may not use it",
    );
    check(
        "camera",
        c(camera(true, None, None)),
        Status::Fail,
        "gaf geen beeld",
        "gave no picture",
    );
}

fn lit(mean: f64, p95: u8, center: f64, border: f64, blown: f64) -> Facts {
    Facts::Camera(CameraFacts {
        picture: Some(PictureStats {
            width: 1280,
            height: 720,
            mean_luma: mean,
            p95_luma: p95,
            center_luma: center,
            border_luma: border,
            center_to_border: center / border,
            black_share: 0.0,
            blown_share: blown,
        }),
        ..camera(true, None, Some(300))
    })
}

#[test]
fn lighting_rules() {
    let l = "camera_light";
    check(
        l,
        lit(120.0, 200, 125.0, 118.0, 0.0),
        Status::Pass,
        "goed belicht",
        "well lit",
    );
    check(
        l,
        lit(3.0, 9, 3.0, 3.0, 0.0),
        Status::Fail,
        "zwart",
        "black",
    );
    check(
        l,
        lit(35.0, 80, 40.0, 30.0, 0.0),
        Status::Warn,
        "te donker",
        "too dark",
    );
    check(
        l,
        lit(170.0, 255, 60.0, 220.0, 0.3),
        Status::Warn,
        "tegenlicht",
        "backlit",
    );
    check(
        l,
        lit(225.0, 255, 230.0, 220.0, 0.5),
        Status::Warn,
        "overbelicht",
        "over-exposed",
    );
    // A dark jumper in an evenly lit room is not backlight.
    check(
        l,
        lit(110.0, 190, 95.0, 125.0, 0.0),
        Status::Pass,
        "goed belicht",
        "well lit",
    );
    check(
        l,
        Facts::Camera(camera(true, None, None)),
        Status::Info,
        "kan Klaar de belichting niet beoordelen",
        "cannot judge the lighting",
    );
}

#[test]
fn camera_names_lose_the_drivers_cut_repeat() {
    use klaar_checklist::rules::device_name;
    assert_eq!(
        device_name("Integrated Camera: Integrated C"),
        "Integrated Camera"
    );
    assert_eq!(
        device_name("Integrated IR Camera: Integrate"),
        "Integrated IR Camera"
    );
    // A second part that says something else stays.
    assert_eq!(
        device_name("USB2.0 HD UVC WebCam: USB2.0 IR"),
        "USB2.0 HD UVC WebCam: USB2.0 IR"
    );
    assert_eq!(device_name("HD Pro Webcam C920"), "HD Pro Webcam C920");
    assert_eq!(device_name(""), "");
}

/// The guides, as kept in the repository (`docs/seeds`).
fn seeds_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/seeds")
}

/// A seed's text as a quote is compared with it: tabs as spaces, without Markdown's emphasis.
fn seed_text(dir: &std::path::Path, seed: &str) -> String {
    let file = std::fs::read_dir(dir)
        .expect("docs/seeds")
        .flatten()
        .find(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(&format!("{seed}_"))
        })
        .unwrap_or_else(|| panic!("seed {seed} in docs/seeds"));
    plain(&std::fs::read_to_string(file.path()).unwrap())
}

fn plain(text: &str) -> String {
    text.replace('\t', " ").replace('*', "")
}

#[test]
fn every_tip_of_both_guides_is_one_item_or_left_out_with_a_reason() {
    let catalogue = Engine::builtin().catalogue().clone();
    let dir = seeds_dir();
    // Every item: a phase and group (typed), both languages, a source found in its seed.
    for item in &catalogue.items {
        for text in [&item.title, &item.advice] {
            assert!(
                !text.nl.trim().is_empty() && !text.en.trim().is_empty(),
                "{}",
                item.id
            );
            assert_ne!(
                text.nl, text.en,
                "{}: the Dutch text is translated",
                item.id
            );
        }
    }
    // One tip, one item: no quote carried twice, unless the catalogue splits that tip.
    let mut carried: Vec<(String, String, String)> = Vec::new();
    for item in &catalogue.items {
        for source in &item.sources {
            for part in source.quote.split("; ") {
                carried.push((source.seed.clone(), plain(part), item.id.clone()));
            }
        }
    }
    for (i, (seed, quote, id)) in carried.iter().enumerate() {
        for (seed2, quote2, id2) in &carried[i + 1..] {
            if seed != seed2 || id == id2 {
                continue;
            }
            let overlap = quote.contains(quote2.as_str()) || quote2.contains(quote.as_str());
            if overlap {
                let split = catalogue.split_tips.iter().any(|t| {
                    t.seed == *seed
                        && plain(&t.quote) == *quote
                        && t.items.contains(id)
                        && t.items.contains(id2)
                });
                assert!(split, "{id} and {id2} both carry {quote:?}");
            }
        }
    }
    for tip in &catalogue.split_tips {
        for id in &tip.items {
            let item = catalogue
                .item(id)
                .unwrap_or_else(|| panic!("split tip names {id}"));
            assert!(
                item.sources
                    .iter()
                    .any(|s| plain(&s.quote) == plain(&tip.quote)),
                "{id}"
            );
        }
    }
    // What is left out is in the seed, carried by no item, and says why in both languages.
    for excluded in &catalogue.excluded {
        let text = seed_text(&dir, &excluded.seed);
        assert!(
            text.contains(&plain(&excluded.quote)),
            "{:?}",
            excluded.quote
        );
        assert!(text.contains(&excluded.section), "{:?}", excluded.section);
        assert!(!excluded.why.nl.is_empty() && !excluded.why.en.is_empty());
        assert!(
            !carried
                .iter()
                .any(|(s, q, _)| *s == excluded.seed && q.contains(&plain(&excluded.quote))),
            "{:?} is both left out and carried",
            excluded.quote
        );
    }
    assert!(
        catalogue
            .excluded
            .iter()
            .any(|e| e.seed == "000" && e.quote.contains("onderstreepte tekst")),
        "seed 000's tip on underlined text is left out, and said so"
    );
    // Line by line: every tip of seed 000 (its bulleted lines) and every paragraph of seed
    // 004's numbered sections holds a quote some item carries, or one left out.
    let covered = |seed: &str, line: &str| {
        let line = plain(line);
        carried
            .iter()
            .any(|(s, q, _)| s == seed && (line.contains(q.as_str()) || q.contains(line.trim())))
            || catalogue
                .excluded
                .iter()
                .any(|e| e.seed == seed && line.contains(&plain(&e.quote)))
    };
    let seed_000 = std::fs::read_to_string(dir.join("000_6c53d852ffe6285b.txt")).unwrap();
    for line in seed_000.lines().filter(|l| l.starts_with("- ")) {
        assert!(covered("000", line), "seed 000: no item for {line:?}");
    }
    // The paragraphs of seed 000 that give advice: the covenant and new software.
    for line in seed_000
        .lines()
        .filter(|l| l.starts_with("Denk aan") || l.starts_with("In onderstaande"))
    {
        let any = line
            .split_inclusive(['.', '?', '('])
            .any(|sentence| covered("000", sentence.trim().trim_end_matches('(').trim()));
        assert!(any, "seed 000: no item for {line:?}");
    }
    let seed_004 = std::fs::read_to_string(dir.join("004_0acbd63d95f7d592.txt")).unwrap();
    let mut in_tips = false;
    for line in seed_004.lines() {
        if line.starts_with("### ") {
            in_tips = line.starts_with("### 1.")
                || line.starts_with("### 2.")
                || line.starts_with("### 3.")
                || line.starts_with("### 4.");
            continue;
        }
        // Every paragraph of the four tips, not only those that open with an imperative; a
        // lone question ("Geen beveiligde opties?") is a sub-heading.
        let tip_like = in_tips
            && !line.trim().is_empty()
            && !line.starts_with('#')
            && (line.contains(". ") || !line.trim().ends_with('?'));
        if tip_like {
            // At least one sentence of each paragraph is carried by an item or left out with a
            // reason (the others explain it).
            let any = line
                .split_inclusive(['.', '?'])
                .any(|sentence| covered("004", sentence.trim()));
            assert!(any, "seed 004: no item for {line:?}");
        }
    }
}

#[test]
fn the_avg_table_is_the_seeds_table_and_agrees_with_the_known_apps() {
    use klaar_checklist::avg_table::AvgTable;
    let table = AvgTable::builtin();
    let catalogue = Engine::builtin().catalogue().clone();
    let seed = seed_text(&seeds_dir(), &table.table.seed);
    assert!(seed.contains(&plain(&table.table.quote)));
    assert!(seed.contains(&table.table.section));
    // Every row of the seed's table, once, in its order: a line "Label<tab>Ja|Nee|Ja, Mits...".
    let seed_rows: Vec<&str> = seed
        .lines()
        .filter(|l| [" Ja", " Nee"].iter().any(|w| l.contains(w)) && !l.starts_with(' '))
        .filter_map(|l| {
            table
                .table
                .rows
                .iter()
                .find(|r| l.starts_with(&format!("{} ", r.label)))
                .map(|r| r.label.as_str())
        })
        .collect();
    let ours: Vec<&str> = table.table.rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(seed_rows, ours, "the table's rows, in the seed's order");
    for row in &table.table.rows {
        let app = catalogue
            .apps
            .iter()
            .find(|a| a.key == row.app)
            .unwrap_or_else(|| panic!("{} is not in apps.toml", row.app));
        assert_eq!(
            app.avg, row.avg,
            "{}: apps.toml and the table agree",
            row.app
        );
        for text in row.needs.iter().chain(row.remark.iter()) {
            assert!(!text.nl.is_empty() && !text.en.is_empty() && text.nl != text.en);
        }
    }
    let consumer_seed = seed_text(&seeds_dir(), &table.consumer.seed);
    assert!(consumer_seed.contains(&plain(&table.consumer.quote)));
    for key in &table.consumer.apps {
        let app = catalogue.apps.iter().find(|a| a.key == *key);
        let app = app.unwrap_or_else(|| panic!("{key} is not in apps.toml"));
        assert!(
            consumer_seed.contains(&app.name.replace("WhatsApp", "Whatsapp")),
            "{key}"
        );
    }
}
