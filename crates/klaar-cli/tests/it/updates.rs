//! Pending updates from a PackageKit the test serves on a private bus (a real D-Bus daemon as
//! the system bus; the transaction answers with signals as PackageKit does), and the restart
//! check on made trees (the flag file, installed kernels).
//!
//! From public reports: newer PackageKit sends results in one `Packages` signal instead of one
//! `Package` each; blocked updates cannot be installed now; a daemon that hangs must not hold
//! the check; Arch removes the running kernel's modules on upgrade; a real-time kernel beside
//! the generic one is not "newer"; `apt-get upgrade` leaves out updates that need a new
//! package and `apt list --upgradable` lists held and phased ones (so a simulated
//! dist-upgrade); Flatpak's `--cached` still fetches when nothing is cached.
//!
//! Without PackageKit, the real apt-get reads a package system the test makes (`APT_CONFIG`);
//! Flatpak's installation and cached summary are written as Flatpak writes them.

use crate::fakes::{serve_packagekit, Answer};
use crate::util::{apt_config, check_json_with, item, klaar, private_bus, run, Archive, Daemon};
use serde_json::{json, Value};
use std::path::Path;

/// A private bus with the fake PackageKit on it.
fn serve(dir: &Path, answer: Answer) -> (Daemon, String, zbus::blocking::Connection) {
    let (daemon, address) = private_bus(dir);
    let served = serve_packagekit(&address, answer);
    (daemon, address, served)
}

fn updates(cmd: std::process::Command) -> Value {
    let report = check_json_with(cmd, &["--only", "updates"]).0;
    item(&report, "updates").clone()
}

/// `klaar` on the test's bus, with the restart check reading a made tree that knows nothing
/// (no kernels, no flag file) unless `root` says otherwise.
fn on_bus(address: &str) -> std::process::Command {
    let mut cmd = klaar(None);
    cmd.env("DBUS_SYSTEM_BUS_ADDRESS", address);
    cmd
}

#[test]
fn updates_known_to_packagekit_are_counted_and_blocked_ones_left_out() {
    for answer in [Answer::OneByOne, Answer::Batched] {
        let dir = tempfile::tempdir().unwrap();
        let (_daemon, address, _served) = serve(dir.path(), answer);
        let item = updates(on_bus(&address));
        assert_eq!(item["status"], "warn", "{item:#}");
        assert_eq!(item["facts"]["pending"], 5);
        assert_eq!(item["facts"]["security"], 2);
        assert!(item["detail"]
            .as_str()
            .unwrap()
            .contains("security updates"));
        assert!(item["details"]
            .to_string()
            .contains("Updates ready to install: 5"));
        assert!(!item.to_string().contains("openssl"), "no package names");
    }
}

#[test]
fn a_packagekit_that_never_finishes_does_not_hold_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let (_daemon, address, _served) = serve(dir.path(), Answer::Hang);
    let started = std::time::Instant::now();
    let item = updates(on_bus(&address));
    // No count: unknown with the reason (or, where this machine can tell a restart is due,
    // that alone); never "up to date".
    assert_ne!(item["status"], "pass", "{item:#}");
    assert_eq!(
        item["facts"].get("pending").unwrap_or(&Value::Null),
        &Value::Null
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn a_capture_replays_the_counts_and_the_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (daemon, address, served) = serve(dir.path(), Answer::Batched);
    let live = updates(on_bus(&address));
    let captured = dir.path().join("capture");
    let out = run(on_bus(&address).args(["debug", "capture"]).arg(&captured));
    assert_eq!(out.code, 0, "{}", out.stderr);
    drop(served);
    drop(daemon);
    let answers = std::fs::read_to_string(captured.join("klaar/answers.json")).unwrap();
    assert!(!answers.contains("openssl"), "counts only: {answers}");
    let replayed = updates(klaar(Some(&captured)));
    assert_eq!(live["facts"]["pending"], replayed["facts"]["pending"]);
    assert_eq!(live["detail"], replayed["detail"]);
}

/// A made tree: the running kernel, the installed ones, the flag file, and PackageKit's counts.
fn restart_tree(running: &str, installed: &[&str], flag: bool, pending: u32) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("proc/sys/kernel")).unwrap();
    std::fs::write(
        root.join("proc/sys/kernel/osrelease"),
        format!("{running}\n"),
    )
    .unwrap();
    for kernel in installed {
        std::fs::create_dir_all(root.join("usr/lib/modules").join(kernel)).unwrap();
    }
    if flag {
        std::fs::create_dir_all(root.join("run")).unwrap();
        std::fs::write(
            root.join("run/reboot-required"),
            "*** System restart required ***\n",
        )
        .unwrap();
    }
    std::fs::create_dir_all(root.join("klaar")).unwrap();
    std::fs::write(
        root.join("klaar/answers.json"),
        json!({ "system org.freedesktop.PackageKit GetUpdates counts":
            { "value": { "pending": pending, "security": 0 } } })
        .to_string(),
    )
    .unwrap();
    dir
}

#[test]
fn a_restart_waiting_is_told_from_the_flag_file_and_the_kernels() {
    let cases = [
        // Debian with unattended-upgrades: the flag file.
        (
            "6.1.0-25-amd64",
            &["6.1.0-25-amd64"][..],
            true,
            "warn",
            json!(true),
        ),
        // A newer kernel of the same flavour installed.
        (
            "6.1.0-25-amd64",
            &["6.1.0-25-amd64", "6.1.0-26-amd64"][..],
            false,
            "warn",
            json!(true),
        ),
        // Arch: the running kernel's modules were replaced.
        (
            "6.6.1-arch1-1",
            &["6.6.2-arch1-1"][..],
            false,
            "warn",
            json!(true),
        ),
        // A newer real-time kernel beside the generic one is no reason.
        (
            "6.1.0-26-amd64",
            &["6.1.0-26-amd64", "6.1.0-27-rt-amd64"][..],
            false,
            "pass",
            json!(false),
        ),
        (
            "6.11.5-200.fc40.x86_64",
            &["6.9.12-200.fc40.x86_64", "6.11.5-200.fc40.x86_64"][..],
            false,
            "pass",
            json!(false),
        ),
    ];
    for (running, installed, flag, status, reboot) in cases {
        let tree = restart_tree(running, installed, flag, 0);
        let item = updates(klaar(Some(tree.path())));
        assert_eq!(item["status"], status, "{running} {installed:?}: {item:#}");
        assert_eq!(
            item["facts"]["reboot_required"], reboot,
            "{running}: {item:#}"
        );
        if status == "warn" {
            assert!(
                item["detail"].as_str().unwrap().contains("restart"),
                "{item:#}"
            );
        }
    }
    // Updates waiting and a restart: one line says both.
    let tree = restart_tree("6.1.0-25-amd64", &["6.1.0-25-amd64"], true, 3);
    let item = updates(klaar(Some(tree.path())));
    let detail = item["detail"].as_str().unwrap();
    assert!(
        detail.contains("Updates are ready") && detail.contains("must then restart"),
        "{detail}"
    );
}

/// A Debian machine without PackageKit: bash and a library with a security fix waiting, a
/// package on hold with a newer version (apt keeps it back), one already current.
fn debian_without_packagekit(dir: &Path) -> std::path::PathBuf {
    apt_config(
        dir,
        &[
            ("bash", "5.2.15-2+b8", "install ok installed"),
            ("libgcrypt20", "1.10.1-3", "install ok installed"),
            ("held", "1.0-1", "hold ok installed"),
            ("current", "3.0-1", "install ok installed"),
        ],
        &[
            Archive {
                label: "Debian",
                suite: "bookworm",
                version: "12.15",
                packages: &[
                    ("bash", "5.2.15-2+b13"),
                    ("held", "1.1-1"),
                    ("current", "3.0-1"),
                ],
            },
            Archive {
                label: "Debian-Security",
                suite: "bookworm-security",
                version: "12",
                packages: &[("libgcrypt20", "1.10.1-3+deb12u1")],
            },
        ],
    )
}

#[test]
fn without_packagekit_apt_s_own_lists_are_read_and_replayed() {
    let dir = tempfile::tempdir().unwrap();
    // A bus without PackageKit on it: the service is not there.
    let (_daemon, address) = private_bus(dir.path());
    let config = debian_without_packagekit(&dir.path().join("apt"));
    let lists = dir.path().join("apt/var/lib/apt/lists");
    let before = std::fs::read_dir(&lists).unwrap().count();
    // Each run with a cache of its own, so each asks apt (the answer is kept on disk).
    let with_apt = |cache: &str| {
        let mut cmd = on_bus(&address);
        cmd.env("APT_CONFIG", &config)
            .env("XDG_CACHE_HOME", dir.path().join(cache));
        cmd
    };
    let live = updates(with_apt("live"));
    assert_eq!(live["status"], "warn", "{live:#}");
    assert_eq!(
        live["facts"]["pending"], 2,
        "the held package is not counted: {live:#}"
    );
    assert_eq!(live["facts"]["security"], 1);
    assert_eq!(live["facts"]["checked"], json!(["apt"]));
    assert!(live["detail"]
        .as_str()
        .unwrap()
        .contains("security updates"));
    assert!(
        live["details"].to_string().contains("Checked with: apt"),
        "{live:#}"
    );
    assert_eq!(
        std::fs::read_dir(&lists).unwrap().count(),
        before,
        "nothing fetched or written to apt's lists"
    );

    let captured = dir.path().join("capture");
    let out = run(with_apt("capture")
        .args(["debug", "capture"])
        .arg(&captured));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let answers = std::fs::read_to_string(captured.join("klaar/answers.json")).unwrap();
    assert!(!answers.contains("libgcrypt"), "counts only: {answers}");
    let replayed = updates(klaar(Some(&captured)));
    assert_eq!(replayed["facts"], live["facts"]);
    assert_eq!(replayed["detail"], live["detail"]);

    // The live run kept apt's answer for the next run, readable by this user only; a second
    // run gives the same answer from it.
    let kept = dir.path().join("live/klaar/apt-updates.json");
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&kept).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);
    assert_eq!(updates(with_apt("live"))["facts"], live["facts"]);
}

#[test]
fn a_broken_apt_cache_is_unknown_never_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    let (_daemon, address) = private_bus(dir.path());
    let config = debian_without_packagekit(&dir.path().join("apt"));
    std::fs::write(
        dir.path().join("apt/var/lib/dpkg/status"),
        "Package: bash\nStatus: this is not dpkg\n\x00\x01garbage",
    )
    .unwrap();
    let mut cmd = on_bus(&address);
    cmd.env("APT_CONFIG", &config);
    let item = updates(cmd);
    assert_ne!(item["status"], "pass", "{item:#}");
    assert!(
        item["facts"].get("pending").is_none_or(Value::is_null),
        "{item:#}"
    );
}

#[test]
fn flatpak_apps_behind_their_cached_summary_are_counted_with_the_system_s_updates() {
    use klaar_probes::updates::flatpak_fixture::{cache_indexed, deploy, digest};
    let dir = tempfile::tempdir().unwrap();
    let (_daemon, address, _served) = serve(dir.path(), Answer::Batched);
    let system = dir.path().join("flatpak");
    let cache = dir.path().join("cache");
    let app = "app/nl.example.Les/x86_64/stable";
    let runtime = "runtime/org.freedesktop.Platform/x86_64/24.08";
    deploy(&system, app, "flathub", &digest(1));
    deploy(&system, runtime, "flathub", &digest(2));
    let with_flatpak = || {
        let mut cmd = on_bus(&address);
        cmd.env("FLATPAK_SYSTEM_DIR", &system)
            .env("XDG_CACHE_HOME", &cache);
        cmd
    };
    // Flatpak has never looked: it is said, not guessed, and nothing is fetched to find out.
    let item = updates(with_flatpak());
    assert_eq!(item["facts"]["pending"], 5, "PackageKit's only: {item:#}");
    assert_eq!(item["facts"]["unchecked"], json!(["Flatpak"]));
    assert!(
        item["details"]
            .to_string()
            .contains("Could not check: Flatpak"),
        "{item:#}"
    );
    // As a user's Software centre leaves it: the app has a newer commit, the runtime not.
    cache_indexed(
        &cache.join("flatpak/system-cache/summaries"),
        "flathub",
        "x86_64",
        &[(app, digest(9)), (runtime, digest(2))],
    );
    let item = updates(with_flatpak());
    assert_eq!(item["facts"]["pending"], 6, "{item:#}");
    assert_eq!(item["facts"]["checked"], json!(["PackageKit", "Flatpak"]));
    assert!(
        item["details"]
            .to_string()
            .contains("Updates ready to install: 6"),
        "{item:#}"
    );
}

/// Fedora without PackageKit: dnf is asked for what its cache already holds. dnf cannot run on
/// this Debian machine, so a stand-in on `PATH` answers as dnf 4 does (a long name wrapped onto
/// the next line, obsoletes after the list, exit 100 for "updates waiting") and fails the test
/// if it is asked without `-C`, which would let dnf fetch expired metadata. A user without a
/// dnf cache of their own gets exit 1: unknown, never "up to date".
#[test]
fn without_packagekit_or_apt_dnf_s_cache_is_read_and_replayed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (_daemon, address) = private_bus(dir.path());
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let asked = dir.path().join("asked");
    let answer = dir.path().join("answer");
    let dnf = bin.join("dnf");
    std::fs::write(
        &dnf,
        format!(
            "#!/bin/sh\necho \"$@\" >> {asked}\ncase \" $* \" in *' -C '*) ;; *) exit 3 ;; esac\n\
             /bin/cat {answer}.out\nexit $(/bin/cat {answer}.code)\n",
            asked = asked.display(),
            answer = answer.display(),
        ),
    )
    .unwrap();
    std::fs::set_permissions(&dnf, std::fs::Permissions::from_mode(0o755)).unwrap();
    let set = |out: &str, code: i32| {
        std::fs::write(answer.with_extension("out"), out).unwrap();
        std::fs::write(answer.with_extension("code"), code.to_string()).unwrap();
    };
    let fedora = || {
        let mut cmd = on_bus(&address);
        cmd.env("PATH", &bin);
        cmd
    };
    set(
        "\nbluez.x86_64                          5.71-2.fc39                 updates\n\
         a-very-long-package-name-for-the-column.noarch\n\
         \x20                                     1.2-3.fc39                  updates\n\
         Obsoleting Packages\n\
         grub2-tools.x86_64                    1:2.06-1.fc39               updates\n",
        100,
    );
    let live = updates(fedora());
    assert_eq!(live["status"], "warn", "{live:#}");
    assert_eq!(live["facts"]["pending"], 2, "{live:#}");
    assert_eq!(
        live["facts"]["security"],
        Value::Null,
        "dnf is not asked twice"
    );
    assert_eq!(live["facts"]["checked"], json!(["dnf"]));
    let calls = std::fs::read_to_string(&asked).unwrap();
    assert!(
        calls.lines().all(|l| l.split(' ').any(|w| w == "-C")),
        "only from the cache: {calls}"
    );

    let captured = dir.path().join("capture");
    let out = run(fedora().args(["debug", "capture"]).arg(&captured));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let replayed = updates(klaar(Some(&captured)));
    assert_eq!(replayed["facts"], live["facts"]);
    assert_eq!(replayed["detail"], live["detail"]);

    // Up to date: exit 0, no list.
    set("", 0);
    let current = updates(fedora());
    assert_eq!(current["facts"]["pending"], 0, "{current:#}");
    assert_ne!(current["status"], "warn", "{current:#}");

    // No cache for this user (dnf keeps one per user): not "up to date".
    set("Error: Cache-only enabled but no cache for 'fedora'\n", 1);
    let unknown = updates(fedora());
    assert_ne!(unknown["status"], "pass", "{unknown:#}");
    assert!(
        unknown["facts"].get("pending").is_none_or(Value::is_null),
        "{unknown:#}"
    );
}
