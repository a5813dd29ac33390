//! The connection item against a meeting service at a known distance: inside a private network
//! namespace, `helpers/syn_delay.py` answers each TCP SYN to 10.9.9.1:443 after the delays the
//! test names (a TUN device, so the client side is the real kernel's TCP and the handshake Klaar
//! times is real). The host comes from the organisation's `[connection] host`, as a school's
//! ICT department would set it. Needs root (CI runs as root).
//!
//! The situations: a steady home line, a line whose delay swings (jitter), a line too slow for a
//! call, a service that never answers (a firewall dropping it), a name that does not resolve,
//! and no known service at all, when nothing may be contacted.

use crate::util::{item, klaar, run, Run};
use serde_json::Value;
use std::path::Path;

const HELPER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/helpers/syn_delay.py");

/// A home folder whose settings name `host` as the organisation's connection-test host.
fn settings_naming(host: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let klaar_dir = dir.path().join("config/klaar");
    std::fs::create_dir_all(&klaar_dir).unwrap();
    if let Some(host) = host {
        let text = format!("[connection]\nhost = \"{host}\"\n");
        std::fs::write(klaar_dir.join("settings.toml"), text).unwrap();
    }
    dir
}

/// `klaar ARGS` in a private network namespace where the service answers after `delays`
/// (milliseconds, in turn). `None` when namespaces are not allowed here (not root, outside CI).
/// The ready file and the packet log are emptied by this shell before the helper starts: a
/// second run in the same home would otherwise see the first run's "ready" and measure before
/// the service exists, or count its packets.
fn in_namespace(home: &Path, delays: &str, args: &[&str]) -> Option<Run> {
    let script = format!(
        ": > {ready}; : > {packets}; python3 {HELPER} {delays} {packets} >> {ready} & helper=$!; \
         for i in $(seq 100); do grep -q ready {ready} && break; sleep 0.05; done; \
         grep -q ready {ready} || {{ echo 'the service did not come up' >&2; exit 99; }}; \
         \"$@\"; status=$?; kill $helper; exit $status",
        ready = home.join("ready").display(),
        packets = home.join("packets.log").display(),
    );
    let allowed = std::process::Command::new("unshare")
        .args(["-n", "true"])
        .status()
        .is_ok_and(|s| s.success());
    if !allowed {
        assert!(
            std::env::var_os("CI").is_none(),
            "network namespaces need root: run the tests as root"
        );
        eprintln!("skipped: a network namespace needs root");
        return None;
    }
    let cmd = klaar(None);
    let program = cmd.get_program().to_owned();
    let mut wrapped = std::process::Command::new("unshare");
    wrapped
        .args(["-n", "bash", "-c", &script, "bash"])
        .arg(program)
        .args(args);
    for (key, value) in cmd.get_envs() {
        match value {
            Some(value) => wrapped.env(key, value),
            None => wrapped.env_remove(key),
        };
    }
    isolate(&mut wrapped, home);
    Some(run(&mut wrapped))
}

/// No settings, calendars or cache of the person running the tests.
fn isolate(cmd: &mut std::process::Command, home: &Path) {
    cmd.env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"));
}

/// The connection item of a JSON report, which must match the documented schema.
fn connection(out: &Run) -> Value {
    let report = crate::util::report(&out.stdout, &out.stderr);
    item(&report, "connection").clone()
}

fn check_nl(home: &Path, delays: &str) -> Option<(Value, i32)> {
    let args = ["check", "--json", "--lang", "nl", "--only", "connection"];
    let out = in_namespace(home, delays, &args)?;
    Some((connection(&out), out.code))
}

fn details(item: &Value) -> String {
    crate::util::details(item)
}

#[test]
fn a_steady_line_passes_and_names_the_host_it_contacted() {
    let home = settings_naming(Some("10.9.9.1"));
    let Some((item, code)) = check_nl(home.path(), "40") else {
        return;
    };
    assert_eq!(item["status"], "pass", "{item:#}");
    assert_eq!(code, 0);
    // Five handshakes to the one host, nothing else (the helper logs every packet).
    let packets = std::fs::read_to_string(home.path().join("packets.log")).unwrap();
    let syns = packets.lines().filter(|l| *l == "6 10.9.9.1:443").count();
    assert!(syns >= 5, "{packets}");
    assert!(
        packets.lines().all(|l| l.ends_with(" 10.9.9.1:443")),
        "{packets}"
    );
    let facts = &item["facts"];
    assert_eq!(facts["target"], "10.9.9.1");
    assert_eq!(facts["source"], "organisation");
    assert_eq!(facts["samples_ms"].as_array().unwrap().len(), 5);
    // Never less than the service's 40 ms; a busy test machine may add a little.
    let rtt = facts["rtt_ms"].as_f64().unwrap();
    assert!((40.0..200.0).contains(&rtt), "{rtt} ms for a 40 ms service");
    let detail = item["detail"].as_str().unwrap();
    assert!(
        detail.contains("De verbinding met de dienst van je organisatie is snel genoeg"),
        "{detail}"
    );
    let figures = details(&item);
    let measured = format!("Vertraging heen en terug: {} ms (boven 200 ms", rtt.round());
    assert!(figures.contains(&measured), "{measured:?} in {figures}");
    assert!(
        figures.contains("Gemeten naar: 10.9.9.1, poort 443"),
        "{figures}"
    );
    assert!(
        figures.contains("Gekozen omdat je organisatie deze dienst heeft ingesteld"),
        "{figures}"
    );
}

#[test]
fn a_swinging_delay_is_unsteady_and_a_slow_line_too_slow() {
    let home = settings_naming(Some("10.9.9.1"));
    let Some((item, _)) = check_nl(home.path(), "60,140") else {
        return;
    };
    assert_eq!(item["status"], "warn", "{item:#}");
    // Consecutive handshakes differ by 80 ms; a busy machine blurs that a little either way.
    let jitter = item["facts"]["jitter_ms"].as_f64().unwrap();
    assert!((60.0..200.0).contains(&jitter), "jitter {jitter} ms");
    assert!(item["detail"].as_str().unwrap().contains("wisselt sterk"));

    let Some((item, code)) = check_nl(home.path(), "650") else {
        return;
    };
    assert_eq!(item["status"], "fail", "{item:#}");
    assert_eq!(code, 1, "a line too slow for a call fails the check");
    // Fewer samples fit in the 2 s budget, but they are still taken and graded.
    let samples = item["facts"]["samples_ms"].as_array().unwrap().len();
    assert!((2..=4).contains(&samples), "{samples} samples");
    assert!(item["detail"].as_str().unwrap().contains("te traag"));
}

#[test]
fn a_service_that_never_answers_or_cannot_be_found_is_a_warning() {
    // Port 444 gets no answer at all: a network that drops the service.
    let home = settings_naming(Some("10.9.9.1:444"));
    let Some((item, _)) = check_nl(home.path(), "40") else {
        return;
    };
    assert_eq!(item["status"], "warn", "{item:#}");
    assert_eq!(item["facts"]["failure"], "unreachable");
    assert!(item["detail"]
        .as_str()
        .unwrap()
        .contains("Klaar kreeg geen antwoord van de dienst van je organisatie"));
    assert!(details(&item).contains("Gemeten naar: 10.9.9.1, poort 444"));

    let home = settings_naming(Some("no-such-host.invalid"));
    let Some((item, _)) = check_nl(home.path(), "40") else {
        return;
    };
    assert_eq!(item["status"], "warn", "{item:#}");
    assert_eq!(item["facts"]["failure"], "not_found");
    assert!(item["detail"]
        .as_str()
        .unwrap()
        .contains("Klaar kon de dienst van je organisatie niet vinden"));
    assert!(details(&item).contains("Gemeten naar: no-such-host.invalid, poort 443"));
}

#[test]
fn without_a_known_service_nothing_is_contacted_and_klaar_says_so() {
    // No organisation host, no calendar; no call app among these tests' processes.
    let _one = crate::processes::one_at_a_time();
    let home = settings_naming(None);
    let Some((item, code)) = check_nl(home.path(), "40") else {
        return;
    };
    assert_eq!(item["status"], "info", "{item:#}");
    assert_eq!(code, 0);
    assert_eq!(item["facts"]["target"], Value::Null);
    assert!(item["facts"]["samples_ms"].as_array().unwrap().is_empty());
    assert!(item["detail"]
        .as_str()
        .unwrap()
        .contains("meet de verbinding daarom niet"));
    // Every IPv4 packet sent in the namespace reached the helper, which logged it: none.
    let packets = std::fs::read_to_string(home.path().join("packets.log")).unwrap();
    assert!(packets.is_empty(), "Klaar contacted: {packets}");
}

#[test]
fn a_capture_replays_the_same_measurement_without_the_network() {
    let home = settings_naming(Some("10.9.9.1"));
    let captured = home.path().join("captured");
    let dir = captured.display().to_string();
    let Some(out) = in_namespace(home.path(), "30,90", &["debug", "capture", &dir]) else {
        return;
    };
    assert_eq!(out.code, 0, "{}", out.stderr);
    let answers = std::fs::read_to_string(captured.join("klaar/answers.json")).unwrap();
    assert!(answers.contains("connection 10.9.9.1:443"), "{answers}");
    // Outside the namespace 10.9.9.1 does not exist: the replay answers from the capture.
    let mut cmd = klaar(Some(&captured));
    isolate(&mut cmd, home.path());
    let replayed = run(cmd.args(["check", "--json", "--only", "connection"]));
    let item = connection(&replayed);
    assert_eq!(item["facts"]["target"], "10.9.9.1", "{item:#}");
    assert_eq!(
        item["status"], "warn",
        "a 30/90 ms swing is unsteady: {item:#}"
    );
    let recorded: Value = serde_json::from_str(&answers).unwrap();
    assert_eq!(
        item["facts"]["samples_ms"],
        recorded["connection 10.9.9.1:443"]["value"]["samples_ms"]
    );
}

/// Without an organisation's host: a meeting under way (or about to start) over the call app
/// that is open, that app over a meeting hours away, and that later meeting when no app is
/// open. In the namespace no name resolves, so each is "not found", which still shows whose
/// host it was.
#[test]
fn the_meeting_about_to_happen_or_the_open_call_apps_host_is_measured() {
    let _one = crate::processes::one_at_a_time();
    let home = settings_naming(None);
    let chosen = |item: &Value| {
        (
            item["facts"]["target"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            item["facts"]["source"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        )
    };
    // A Teams meeting in the person's calendar file, starting `minutes` from now.
    let meeting_in = |minutes: i64| {
        let now = chrono::Utc::now();
        let start = now + chrono::Duration::minutes(minutes);
        let stamp = |t: chrono::DateTime<chrono::Utc>| t.format("%Y%m%dT%H%M%SZ").to_string();
        let calendar = home.path().join("agenda.ics");
        let ics = format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n\
             UID:overleg-1\r\nDTSTAMP:{now}\r\nDTSTART:{start}\r\nDTEND:{end}\r\n\
             SUMMARY:Teamoverleg\r\n\
             LOCATION:https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0\r\n\
             END:VEVENT\r\nEND:VCALENDAR\r\n",
            now = stamp(now),
            start = stamp(start),
            end = stamp(start + chrono::Duration::minutes(60)),
        );
        std::fs::write(&calendar, ics).unwrap();
        let settings = format!("[calendars]\nfiles = [\"{}\"]\n", calendar.display());
        std::fs::write(home.path().join("config/klaar/settings.toml"), settings).unwrap();
    };
    let teams = ("teams.microsoft.com".to_string(), "meeting".to_string());
    let zoom_app = ("zoom.us".to_string(), "app".to_string());

    // A call app that is open: a process named as Zoom's.
    let zoom = home.path().join("zoom");
    std::fs::copy(crate::processes::sleep_binary(), &zoom).unwrap();
    let mut child = crate::processes::spawn_copy(std::process::Command::new(&zoom).arg("60"));
    let mut seen = Vec::new();
    for minutes in [None, Some(-10), Some(180)] {
        if let Some(minutes) = minutes {
            meeting_in(minutes);
        }
        seen.push(check_nl(home.path(), "40"));
    }
    let _ = child.kill();
    let _ = child.wait();
    let Some(seen) = seen.into_iter().collect::<Option<Vec<_>>>() else {
        return;
    };
    assert_eq!(chosen(&seen[0].0), zoom_app, "{:#}", seen[0].0);
    assert!(details(&seen[0].0).contains("Gekozen omdat Zoom open is"));
    assert_eq!(chosen(&seen[1].0), teams, "under way: {:#}", seen[1].0);
    assert_eq!(
        chosen(&seen[2].0),
        zoom_app,
        "three hours away: {:#}",
        seen[2].0
    );

    // Zoom closed: the meeting later today is the one to get ready for.
    let Some((item, _)) = check_nl(home.path(), "40") else {
        return;
    };
    assert_eq!(chosen(&item), teams, "{item:#}");
    assert!(
        details(&item).contains("Gekozen omdat je volgende vergadering Microsoft Teams gebruikt"),
        "{}",
        details(&item)
    );
}
