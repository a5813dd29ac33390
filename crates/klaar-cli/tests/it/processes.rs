//! Real processes named like the apps: copies of a harmless binary (`sleep`).

use crate::util::{check_json, item};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command};

/// The tests here start processes that every live check sees: one at a time, so the apps one
/// test starts never show up in another's report (the connection test without a known service
/// takes this turn too).
static LIVE: std::sync::Mutex<()> = std::sync::Mutex::new(());

pub fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    LIVE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

struct Running(Vec<Child>);

impl Drop for Running {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Starts a copy of a program just written. Another test thread that forks at that moment
/// holds the copy open for writing until its child execs, and the kernel refuses to run a file
/// open for writing ("text file busy"): wait a moment and try again.
pub fn spawn_copy(cmd: &mut Command) -> Child {
    for _ in 0..50 {
        match cmd.spawn() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other.unwrap(),
        }
    }
    panic!("{cmd:?} stayed busy")
}

pub fn sleep_binary() -> std::path::PathBuf {
    ["/usr/bin/sleep", "/bin/sleep"]
        .iter()
        .map(std::path::PathBuf::from)
        .find(|p| p.exists())
        .expect("sleep")
}

/// Two processes of each app in `names` (copies of `sleep` by that name in `dir`, running 30 s):
/// an app with helper processes must count once.
fn start_twice(dir: &std::path::Path, names: &[&str]) -> Vec<Child> {
    let mut children = Vec::new();
    for name in names {
        let copy = dir.join(name);
        std::fs::copy(sleep_binary(), &copy).unwrap();
        for _ in 0..2 {
            children.push(spawn_copy(Command::new(&copy).arg("30")));
        }
    }
    children
}

#[test]
fn running_apps_are_recognised_once_each() {
    let _one = one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let mut children = start_twice(dir.path(), &["zoom", "thunderbird"]);
    // Only argv[0] says "slack": the exe is plain sleep.
    children.push(
        Command::new(sleep_binary())
            .arg0("slack")
            .arg("30")
            .spawn()
            .unwrap(),
    );
    let _running = Running(children);

    let (report, code) = check_json(None, &["--only", "call_apps,screen_share"]);
    let call = item(&report, "call_apps");
    assert_eq!(call["status"], "fail", "{call:#}");
    let running: Vec<&str> = call["facts"]["running"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["app"].as_str().unwrap())
        .collect();
    assert_eq!(running, ["zoom", "slack"]);
    assert!(call["detail"]
        .as_str()
        .unwrap()
        .contains("Not GDPR-proof and open now: Zoom."));
    assert_eq!(
        item(&report, "screen_share")["facts"]["apps"],
        serde_json::json!(["Slack", "Thunderbird"])
    );
    assert_eq!(code, 1);
}

/// The real-machine kind behind `apps_teams_as_edge_pwa`: call apps that are not their own
/// executable. A web app (a browser started with the app's id) and an Electron app on the
/// system's shared runtime (the app's `app.asar` as an argument); both processes here are a plain
/// Python, so only the arguments can tell. A capture keeps those arguments and replays the same.
#[test]
fn apps_run_by_a_browser_or_a_shared_runtime_are_recognised_by_their_arguments() {
    let _one = one_at_a_time();
    let script = "import time; time.sleep(30)";
    let children = vec![
        Command::new("python3")
            .args(["-c", script, "--profile-directory=Default"])
            .arg("--app-id=cifhbcnohmdccbgoicgdjpfamggdegmo")
            .spawn()
            .unwrap(),
        Command::new("python3")
            .args(["-c", script, "--enable-features=X"])
            .arg("/usr/lib/element/app.asar")
            .spawn()
            .unwrap(),
    ];
    let _running = Running(children);
    std::thread::sleep(std::time::Duration::from_millis(200));

    let live = check_json(None, &["--only", "call_apps,screen_share"]).0;
    let call = item(&live, "call_apps");
    assert_eq!(call["status"], "pass", "{call:#}");
    assert_eq!(
        call["facts"]["running"],
        serde_json::json!([{"app": "teams", "name": "Microsoft Teams", "avg": "yes"}])
    );
    assert_eq!(
        item(&live, "screen_share")["facts"]["apps"],
        serde_json::json!(["Element"])
    );

    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("capture");
    let out = crate::util::run(crate::util::klaar(None).args([
        "debug",
        "capture",
        capture.to_str().unwrap(),
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let replayed = check_json(Some(&capture), &["--only", "call_apps,screen_share"]).0;
    for id in ["call_apps", "screen_share"] {
        assert_eq!(
            item(&replayed, id)["facts"],
            item(&live, id)["facts"],
            "{id}"
        );
    }
    // Only argv[0] and the identifying arguments were kept.
    let kept: Vec<String> = std::fs::read_dir(capture.join("proc"))
        .unwrap()
        .filter_map(|e| std::fs::read(e.ok()?.path().join("cmdline")).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .filter(|c| c.contains("app.asar") || c.contains("--app-id"))
        .collect();
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(kept.iter().all(|c| !c.contains("--profile-directory")
        && !c.contains("--enable-features")
        && !c.contains("import time")));
}

/// Cloud storage clients that sync in the background (Dropbox's `dropbox`, the OneDrive client
/// `onedrive`), started for real: the item warns and names each once; once they are closed it
/// passes and says no client runs.
#[test]
fn syncing_cloud_storage_is_a_warning_that_names_the_clients() {
    let _one = one_at_a_time();
    let dir = tempfile::tempdir().unwrap();
    let running = Running(start_twice(dir.path(), &["dropbox", "onedrive"]));

    let (report, _) = check_json(None, &["--only", "cloud_sync"]);
    let sync = item(&report, "cloud_sync");
    assert_eq!(sync["status"], "warn", "{sync:#}");
    assert_eq!(
        sync["detail"],
        "These cloud storage clients are syncing now: Dropbox, OneDrive. Do not put work data \
         in a free cloud service; keep it on your organisation's server."
    );
    assert_eq!(
        sync["facts"]["apps"],
        serde_json::json!(["Dropbox", "OneDrive"])
    );
    let dutch = crate::util::run(crate::util::klaar(None).args([
        "check",
        "--lang",
        "nl",
        "--only",
        "cloud_sync",
    ]));
    assert!(
        dutch
            .stdout
            .contains("Deze cloudopslag synchroniseert nu: Dropbox, OneDrive."),
        "{}",
        dutch.stdout
    );

    drop(running);
    let (report, _) = check_json(None, &["--only", "cloud_sync"]);
    let sync = item(&report, "cloud_sync");
    assert_eq!(sync["status"], "pass", "{sync:#}");
    assert_eq!(sync["detail"], "No cloud storage client is running.");
}
