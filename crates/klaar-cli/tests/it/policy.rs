//! The organisation's policy (`KLAAR_POLICY`) and the person's choices (`settings.toml`) as a
//! teacher or nurse sees them in `klaar check`, and `klaar policy check` as an IT department
//! uses it before deploying a file.

use crate::util::{check_json_with, fixture, item, klaar, run};
use std::path::Path;

/// laptop-charging: on mains, no VPN, Teams and Dropbox running.
const MACHINE: &str = "laptop-charging";

fn with_policy(policy: &Path, config: Option<&Path>) -> std::process::Command {
    let mut cmd = klaar(Some(&fixture(MACHINE)));
    cmd.env("KLAAR_POLICY", policy);
    if let Some(config) = config {
        cmd.env("XDG_CONFIG_HOME", config);
    }
    cmd
}

#[test]
fn the_organisations_policy_changes_what_the_check_says_and_the_report_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.toml");
    std::fs::write(
        &policy,
        "profile = \"zorg\"\n[apps]\nforbidden = [\"teams\"]\n[items]\nrequired = [\"vpn\"]\ndisabled = [\"cloud_sync\"]\n",
    )
    .unwrap();
    let (report, code) = check_json_with(with_policy(&policy, None), &[]);
    assert_eq!(code, 1, "a failure");
    assert_eq!(report["profile"], "zorg");
    assert_eq!(report["policy"]["file"], policy.display().to_string());
    assert_eq!(report["policy"]["problems"], serde_json::json!([]));
    let vpn = item(&report, "vpn");
    assert_eq!(vpn["status"], "fail", "required: no VPN is a failure");
    assert_eq!(vpn["organisation"], serde_json::json!(["required"]));
    let apps = item(&report, "call_apps");
    assert_eq!(apps["status"], "fail", "{apps:#}");
    assert!(apps["detail"]
        .as_str()
        .unwrap()
        .contains("does not allow Microsoft Teams"));
    assert_eq!(apps["organisation"], serde_json::json!(["forbidden"]));
    assert!(
        report["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["id"] != "cloud_sync"),
        "disabled: not shown, though Dropbox runs"
    );

    // Without the policy the same machine: Teams is fine, no VPN only a warning.
    let (plain, _) = check_json_with(klaar(Some(&fixture(MACHINE))), &[]);
    assert_eq!(item(&plain, "call_apps")["status"], "pass");
    assert_eq!(item(&plain, "vpn")["status"], "warn");
    assert_eq!(item(&plain, "cloud_sync")["status"], "warn");
    assert_eq!(plain["profile"], "onderwijs");
    assert!(plain.get("policy").is_none());

    // For people: which parts come from the organisation.
    let out = run(with_policy(&policy, None).args(["check", "--lang", "en"]));
    assert!(out
        .stdout
        .contains(&format!("Set by your organisation ({})", policy.display())));
    assert!(
        out.stdout
            .contains("Through a VPN connection (Required by your organisation)"),
        "{}",
        out.stdout
    );
}

#[test]
fn an_item_the_person_marks_as_not_applicable_is_info_unless_the_organisation_requires_it() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("klaar")).unwrap();
    let settings = config.join("klaar/settings.toml");
    let mine = "# mijn school gebruikt geen VPN\nnot_applicable = [\"vpn\"]\n";
    std::fs::write(&settings, mine).unwrap();
    let none = dir.path().join("no-policy.toml");
    let (report, _) = check_json_with(with_policy(&none, Some(&config)), &[]);
    let vpn = item(&report, "vpn");
    assert_eq!(vpn["status"], "info");
    assert_eq!(vpn["not_applicable"], true);
    assert!(report.get("policy").is_none(), "no policy file, no policy");
    let out = run(with_policy(&none, Some(&config)).args(["check", "--lang", "nl"]));
    assert!(
        out.stdout.contains("(Niet van toepassing: jouw keuze)"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("geen VPN"), "{}", out.stdout);

    let policy = dir.path().join("policy.toml");
    std::fs::write(&policy, "[items]\nrequired = [\"vpn\"]\n").unwrap();
    let (report, _) = check_json_with(with_policy(&policy, Some(&config)), &[]);
    let vpn = item(&report, "vpn");
    assert_eq!(vpn["status"], "fail");
    assert!(vpn.get("not_applicable").is_none());
    assert_eq!(
        std::fs::read_to_string(&settings).unwrap(),
        mine,
        "untouched"
    );
}

#[test]
fn a_broken_policy_is_named_with_line_and_column_and_the_rest_of_it_still_counts() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.toml");
    let text = "[items]\nrequired = [\"vpn\", \"vpm\"]\n[apps]\nforbiden = [\"teams\"]\n";
    std::fs::write(&policy, text).unwrap();
    let out = run(with_policy(&policy, None).args(["check", "--json", "--lang", "en"]));
    let report = crate::util::report(&out.stdout, &out.stderr);
    assert_eq!(
        item(&report, "vpn")["status"],
        "fail",
        "the good part counts"
    );
    assert_eq!(
        report["policy"]["problems"],
        serde_json::json!([
            "2:20: Klaar has no item \"vpm\". The names are in the output of klaar check --json (field id).",
            "4:1: Klaar does not know the key \"apps.forbiden\". Perhaps one of these was meant: approved, forbidden. This line does not count."
        ])
    );
    assert!(
        out.stderr
            .contains("Your organisation's policy has a mistake"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(&format!("{}:2:20:", policy.display())),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(&policy).unwrap(),
        text,
        "never changed"
    );

    // Not TOML at all: no policy, said once, and the check still runs.
    std::fs::write(&policy, "[items\nrequired = 3\n").unwrap();
    let out = run(with_policy(&policy, None).args(["check", "--json", "--lang", "nl"]));
    let report = crate::util::report(&out.stdout, &out.stderr);
    assert_eq!(item(&report, "vpn")["status"], "warn");
    assert_eq!(report["policy"]["problems"].as_array().unwrap().len(), 1);
    assert!(out.stderr.contains(":1:"), "{}", out.stderr);
}

#[test]
fn policy_check_lists_each_problem_for_the_admin_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.toml");
    std::fs::write(
        &good,
        "profile = \"onderwijs\"\n[apps]\napproved = [\"zoom\"]\nforbidden = [\"whatsapp\"]\n[items]\nrequired = [\"vpn\", \"disk_encryption\"]\ndisabled = [\"cloud_sync\"]\n[connection]\ntarget = \"teams.microsoft.com\"\n[reminders]\nminutes = 5\n",
    )
    .unwrap();
    let out = run(klaar(None)
        .args(["policy", "check", "--lang", "en"])
        .arg(&good));
    assert_eq!(
        (out.code, out.stdout.trim()),
        (0, format!("{}: fine.", good.display()).as_str())
    );

    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "profile = \"school\"\n[apps]\napproved = [\"zoom\"]\nforbidden = [\"zoom\"]\n[reminders]\nminutes = 120\n",
    )
    .unwrap();
    let out = run(klaar(None)
        .args(["policy", "check", "--lang", "nl"])
        .arg(&bad));
    assert_eq!(out.code, 2);
    let lines: Vec<&str> = out.stdout.lines().collect();
    let at = |l: &str| format!("{}:{l}: ", bad.display());
    assert!(lines[0].starts_with(&at("1:11")), "{}", out.stdout);
    assert!(lines[0].contains("\"school\""), "{}", out.stdout);
    assert!(
        lines[1].starts_with(&at("3:13")) && lines[1].contains("Klaar houdt forbidden aan"),
        "{}",
        out.stdout
    );
    assert!(
        lines[2].starts_with(&at("6:11")) && lines[2].contains("120 minuten"),
        "{}",
        out.stdout
    );
    assert!(
        lines[3].contains("3 probleem of problemen"),
        "{}",
        out.stdout
    );
    assert_eq!(lines.len(), 4);

    // Dropbox forbidden, but the item that would say so switched off: the admin hears of it.
    let hidden = dir.path().join("hidden.toml");
    std::fs::write(
        &hidden,
        "[apps]\nforbidden = [\"dropbox\"]\n[items]\ndisabled = [\"cloud_sync\"]\n",
    )
    .unwrap();
    let out = run(klaar(None)
        .args(["policy", "check", "--lang", "en"])
        .arg(&hidden));
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stdout.lines().next(),
        Some(
            format!(
                "{}:4:13: \"cloud_sync\" cannot be switched off: this is where Klaar reports \
                 Dropbox running, which [apps] forbidden lists. Klaar keeps showing this item.",
                hidden.display()
            )
            .as_str()
        ),
        "{}",
        out.stdout
    );

    let out = run(klaar(None)
        .args(["policy", "check", "--lang", "en"])
        .arg(dir.path().join("gone.toml")));
    assert_eq!(out.code, 2);
    assert!(out.stdout.contains("does not exist"), "{}", out.stdout);
}
