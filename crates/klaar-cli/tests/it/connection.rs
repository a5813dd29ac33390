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
fn in_namespace(home: &Path, delays: &str, args: &[&str]) -> Option<Run> {
    let script = format!(
        "python3 {HELPER} {delays} > {ready} & helper=$!; \
         for i in $(seq 100); do grep -q ready {ready} && break; sleep 0.05; done; \
         \"$@\"; status=$?; kill $helper; exit $status",
        ready = home.join("ready").display()
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
    let report: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", out.stdout, out.stderr));
    crate::schema::assert_valid(&report);
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
    let facts = &item["facts"];
    assert_eq!(facts["target"], "10.9.9.1");
    assert_eq!(facts["source"], "organisation");
    assert_eq!(facts["samples_ms"].as_array().unwrap().len(), 5);
    let rtt = facts["rtt_ms"].as_f64().unwrap();
    assert!((40.0..60.0).contains(&rtt), "{rtt} ms for a 40 ms service");
    let detail = item["detail"].as_str().unwrap();
    assert!(
        detail.contains("De verbinding met 10.9.9.1 is snel genoeg"),
        "{detail}"
    );
    let figures = details(&item);
    assert!(figures.contains("Reistijd: 4"), "{figures}");
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
    let jitter = item["facts"]["jitter_ms"].as_f64().unwrap();
    assert!((70.0..95.0).contains(&jitter), "jitter {jitter} ms");
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
        .contains("10.9.9.1 gaf Klaar geen antwoord"));

    let home = settings_naming(Some("no-such-host.invalid"));
    let Some((item, _)) = check_nl(home.path(), "40") else {
        return;
    };
    assert_eq!(item["status"], "warn", "{item:#}");
    assert_eq!(item["facts"]["failure"], "not_found");
    assert!(item["detail"]
        .as_str()
        .unwrap()
        .contains("Klaar kon no-such-host.invalid niet vinden"));
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

/// Without an organisation's host: the next meeting's link, else the call app that is open. In
/// the namespace no name resolves, so each is "not found", which still shows whose host it was.
#[test]
fn the_next_meetings_host_or_the_open_call_apps_is_measured() {
    let _one = crate::processes::one_at_a_time();
    let home = settings_naming(None);
    // A call app that is open: a process named as Zoom's.
    let zoom = home.path().join("zoom");
    std::fs::copy("/bin/sleep", &zoom).unwrap();
    let mut child = std::process::Command::new(&zoom).arg("30").spawn().unwrap();
    let found = check_nl(home.path(), "40");
    let _ = child.kill();
    let _ = child.wait();
    let Some((item, _)) = found else {
        return;
    };
    assert_eq!(item["facts"]["target"], "zoom.us", "{item:#}");
    assert_eq!(item["facts"]["source"], "app");
    assert!(details(&item).contains("Gekozen omdat Zoom open is"));

    // A Teams meeting in an hour in the person's calendar file.
    let start = chrono::Utc::now() + chrono::Duration::hours(1);
    let stamp = |t: chrono::DateTime<chrono::Utc>| t.format("%Y%m%dT%H%M%SZ").to_string();
    let calendar = home.path().join("agenda.ics");
    let ics = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:overleg-1\r\n\
         DTSTAMP:{now}\r\nDTSTART:{start}\r\nDTEND:{end}\r\nSUMMARY:Teamoverleg\r\n\
         LOCATION:https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0\r\n\
         END:VEVENT\r\nEND:VCALENDAR\r\n",
        now = stamp(chrono::Utc::now()),
        start = stamp(start),
        end = stamp(start + chrono::Duration::minutes(30)),
    );
    std::fs::write(&calendar, ics).unwrap();
    let settings = format!("[calendars]\nfiles = [\"{}\"]\n", calendar.display());
    std::fs::write(home.path().join("config/klaar/settings.toml"), settings).unwrap();
    let Some((item, _)) = check_nl(home.path(), "40") else {
        return;
    };
    assert_eq!(item["facts"]["target"], "teams.microsoft.com", "{item:#}");
    assert_eq!(item["facts"]["source"], "meeting");
    assert!(
        details(&item).contains("Gekozen omdat je volgende vergadering Microsoft Teams gebruikt"),
        "{}",
        details(&item)
    );
}
