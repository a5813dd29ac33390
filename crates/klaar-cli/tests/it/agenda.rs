//! `klaar agenda` on made calendars in the forms Outlook and Google publish: the listing, its
//! schema, and calendars that cannot be read.

use crate::util::{klaar, run};
use klaar_calendars::test_server;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn calendar(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/calendars")
        .join(name)
}

/// `klaar` in Amsterdam with a settings folder of its own (empty unless `settings` is given).
fn klaar_here(settings: Option<&str>) -> (std::process::Command, tempfile::TempDir) {
    let home = tempfile::tempdir().unwrap();
    if let Some(text) = settings {
        let file = home.path().join(".config/klaar/settings.toml");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    let mut cmd = klaar(None);
    cmd.env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join(".config"))
        .env("TZ", "Europe/Amsterdam");
    (cmd, home)
}

/// `klaar agenda` in Amsterdam, between `from` and `to`, over these files, as JSON.
fn agenda(files: &[&Path], extra: &[&str]) -> (Value, i32) {
    let (mut cmd, _home) = klaar_here(None);
    cmd.arg("agenda");
    for f in files {
        cmd.arg("--calendar").arg(f);
    }
    let out = run(cmd.args(extra).arg("--json"));
    let json = serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout));
    (json, out.code)
}

const MARCH: [&str; 4] = [
    "--from",
    "2026-03-15T00:00:00+01:00",
    "--to",
    "2026-04-21T00:00:00+02:00",
];

#[test]
fn the_online_meetings_of_an_outlook_calendar_sorted_with_service_rating_and_reminder() {
    let (json, code) = agenda(&[&calendar("outlook-weekly.ics")], &MARCH);
    assert_eq!(code, 0);
    let events = json["events"].as_array().unwrap();
    let summary: Vec<(&str, &str, &str)> = events
        .iter()
        .map(|e| {
            (
                e["start"].as_str().unwrap(),
                e["online"]["service"].as_str().unwrap(),
                e["avg"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("2026-03-16T10:00:00+01:00", "teams", "yes"),
            ("2026-03-17T14:00:00+01:00", "zoom", "no"),
            ("2026-03-31T14:00:00+02:00", "teams", "yes"),
            ("2026-04-06T10:00:00+02:00", "teams", "yes"),
            ("2026-04-20T10:00:00+02:00", "teams", "yes"),
        ]
    );
    assert_eq!(events[0]["remind_at"], "2026-03-16T09:55:00+01:00");
    assert_eq!(json["problems"], serde_json::json!([]));
}

#[test]
fn every_listing_matches_the_schema() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/agenda.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let broken = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(broken.path(), "<html><body>Sign in</body></html>").unwrap();
    let listings = [
        agenda(&[&calendar("outlook-weekly.ics")], &MARCH).0,
        agenda(
            &[&calendar("outlook-weekly.ics")],
            &[&MARCH[..], &["--all"]].concat(),
        )
        .0,
        agenda(
            &[&calendar("google.ics"), broken.path()],
            &["--from", "2026-12-01T00:00:00+01:00", "--all"],
        )
        .0,
    ];
    for listing in &listings {
        let errors: Vec<String> = validator
            .iter_errors(listing)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}\n{listing:#}");
    }
    // All-day events are days; the schema tells them from times.
    let all = &listings[1]["events"];
    let day = all
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["summary"] == "Studiedag")
        .unwrap();
    assert_eq!(day["start"], "2026-03-20");
    assert_eq!(day["remind_at"], Value::Null);
    // The schema is strict enough to catch a wrong rating.
    let mut wrong = listings[0].clone();
    wrong["events"][0]["avg"] = "maybe".into();
    assert!(!validator.is_valid(&wrong));
}

#[test]
fn a_calendar_that_cannot_be_read_is_named_the_others_still_list_and_nothing_is_changed() {
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join("afgebroken.ics");
    let text = std::fs::read_to_string(calendar("google.ics")).unwrap();
    std::fs::write(&cut, &text[..700]).unwrap();
    let before = std::fs::read(&cut).unwrap();
    let (json, code) = agenda(
        &[&cut, &calendar("google.ics")],
        &[
            "--from",
            "2026-12-01T00:00:00+01:00",
            "--to",
            "2026-12-02T00:00:00+01:00",
        ],
    );
    assert_eq!(code, 0, "one calendar could be read");
    assert_eq!(json["problems"][0]["calendar"], "afgebroken.ics");
    assert!(
        json["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("afgebroken"),
        "{json:#}"
    );
    assert!(!json["events"].as_array().unwrap().is_empty());
    assert_eq!(std::fs::read(&cut).unwrap(), before, "never changed");

    // None could be read: exit 2.
    let (json, code) = agenda(&[&cut], &[]);
    assert_eq!(code, 2, "{json:#}");
    // A missing file is a problem too, not a crash.
    let (json, code) = agenda(&[&dir.path().join("weg.ics")], &[]);
    assert_eq!(code, 2);
    assert_eq!(json["problems"][0]["calendar"], "weg.ics");
}

#[test]
fn the_listing_for_people_in_dutch_and_a_bad_time_is_a_usage_error() {
    let (mut cmd, _home) = klaar_here(None);
    let out = run(cmd
        .args(["agenda", "--calendar"])
        .arg(calendar("outlook-weekly.ics"))
        .args(MARCH));
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains(
            "2026-03-16 10:00–11:00  Teamoverleg · Microsoft Teams, AVG-proof · herinnering om 09:55"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("Intervisie · Zoom, niet AVG-proof"),
        "{}",
        out.stdout
    );
    let out = run(klaar(None).args(["agenda", "--from", "morgen"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("'morgen' is geen tijd"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_added_calendar_is_remembered_and_listed_and_an_unencrypted_address_refused() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join(".config");
    let klaar_in_home = || {
        let mut cmd = klaar(None);
        cmd.env("HOME", home.path())
            .env("XDG_CONFIG_HOME", &config)
            .env("TZ", "Europe/Amsterdam");
        cmd
    };
    let out = run(klaar_in_home().args(["agenda"]));
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains("nog geen agenda toegevoegd")
            && out
                .stdout
                .contains("Outlook of Microsoft 365: Instellingen → Agenda")
            && out.stdout.contains("Geheim adres in iCal-indeling"),
        "{}",
        out.stdout
    );

    let out = run(klaar_in_home()
        .args(["agenda", "--add"])
        .arg(calendar("outlook-weekly.ics")));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("toegevoegd"), "{}", out.stdout);
    let settings = std::fs::read_to_string(config.join("klaar/settings.toml")).unwrap();
    assert!(settings.contains("outlook-weekly.ics"), "{settings}");

    // Without --calendar: the calendars added before.
    let out = run(klaar_in_home().args(["agenda", "--json"]).args(MARCH));
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["events"].as_array().unwrap().len(), 5, "{json:#}");

    // An unencrypted address is refused (the secret would travel readable); a broken file is
    // not added.
    let out = run(klaar_in_home().args([
        "agenda",
        "--add",
        "http://outlook.office365.com/owa/calendar/x/y/calendar.ics",
    ]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("niet beveiligd"), "{}", out.stderr);
    let broken = home.path().join("stuk.ics");
    std::fs::write(&broken, "<html>").unwrap();
    let out = run(klaar_in_home().args(["agenda", "--add"]).arg(&broken));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("geen agenda"), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(config.join("klaar/settings.toml")).unwrap(),
        settings,
        "unchanged"
    );
}

#[test]
fn the_reminder_time_follows_the_minutes_in_the_settings() {
    let (mut cmd, _home) = klaar_here(Some("[reminders]\nminutes = 10\n"));
    let out = run(cmd
        .args(["agenda", "--json", "--calendar"])
        .arg(calendar("outlook-weekly.ics"))
        .args(MARCH));
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["events"][0]["remind_at"], "2026-03-16T09:50:00+01:00");
}

/// `klaar` with a home of its own, no keyring (a session bus that does not exist) and the
/// loopback server's certificate trusted the way OpenSSL is told (`SSL_CERT_FILE`).
fn klaar_without_keyring(home: &Path, server: &test_server::Server) -> std::process::Command {
    let mut cmd = klaar(None);
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}", home.join("no-bus").display()),
        )
        .env("SSL_CERT_FILE", server.trust_file(home))
        .env("TZ", "Europe/Amsterdam");
    cmd
}

#[test]
fn a_secret_address_is_fetched_kept_privately_and_its_last_copy_used_when_it_breaks() {
    let server = test_server::start();
    let path = "/owa/calendar/0a1b@school.nl/9d8e7f6a5b4c3d2e1f0a/calendar.ics";
    let text = std::fs::read_to_string(calendar("outlook-weekly.ics")).unwrap();
    server.answer(path, test_server::ok(&text));
    let home = tempfile::tempdir().unwrap();
    let webcal = server.url(path).replace("https://", "webcal://");
    // `--add -`: the address from standard input, out of the shell's history.
    let out = {
        use std::io::Write;
        let mut child = klaar_without_keyring(home.path(), &server)
            .args(["agenda", "--add", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{webcal}").unwrap();
        crate::util::Run::from(child.wait_with_output().unwrap())
    };
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("localhost …1f0a"), "{}", out.stdout);
    assert!(
        out.stdout.contains("alleen jij kunt lezen"),
        "{}",
        out.stdout
    );
    assert!(
        !format!("{}{}", out.stdout, out.stderr).contains("9d8e7f6a"),
        "the secret shown"
    );
    let settings =
        std::fs::read_to_string(home.path().join(".config/klaar/settings.toml")).unwrap();
    assert!(
        settings.contains("addresses = [\"localhost …1f0a\"]"),
        "{settings}"
    );
    assert!(
        !settings.contains("9d8e7f6a"),
        "the secret in settings.toml: {settings}"
    );
    let kept = home
        .path()
        .join(".local/share/klaar/calendar-addresses.json");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&kept).unwrap().permissions().mode() & 0o777,
        0o600
    );

    // Listed from the address, fetched again.
    let listed = |cmd: &mut std::process::Command| -> Value {
        let out = run(cmd.args(["agenda", "--json"]).args(MARCH));
        assert_eq!(out.code, 0, "{}", out.stderr);
        serde_json::from_str(&out.stdout).unwrap()
    };
    let json = listed(&mut klaar_without_keyring(home.path(), &server));
    assert_eq!(json["events"].as_array().unwrap().len(), 5, "{json:#}");
    assert_eq!(json["problems"], serde_json::json!([]));
    let fetched = server.requests.lock().unwrap().len();
    assert_eq!(fetched, 2, "once to add, once to list");

    // The address is reset: the last good copy is listed, and why it was not refreshed.
    server.answer(path, test_server::status(401));
    let json = listed(&mut klaar_without_keyring(home.path(), &server));
    assert_eq!(json["events"].as_array().unwrap().len(), 5, "{json:#}");
    let problem = &json["problems"][0];
    assert_eq!(problem["calendar"], "localhost …1f0a");
    let message = problem["message"].as_str().unwrap();
    assert!(
        message.contains("weigert dit adres (fout 401)"),
        "{message}"
    );
    assert!(
        message.contains("Klaar gebruikt de versie van"),
        "{message}"
    );

    // An address given once that leads nowhere: named by its host, exit 2.
    let out = run(klaar_without_keyring(home.path(), &server).args([
        "agenda",
        "--lang",
        "en",
        "--calendar",
        &server.url("/gone.ics"),
    ]));
    assert_eq!(out.code, 2);
    assert!(
        out.stdout.contains("localhost") && out.stdout.contains("no calendar at this address"),
        "{}",
        out.stdout
    );
}
