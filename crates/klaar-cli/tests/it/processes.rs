//! Real processes named like the apps: copies of a harmless binary (`sleep`).

use crate::util::{check_json, item};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command};

struct Running(Vec<Child>);

impl Drop for Running {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn sleep_binary() -> std::path::PathBuf {
    ["/usr/bin/sleep", "/bin/sleep"]
        .iter()
        .map(std::path::PathBuf::from)
        .find(|p| p.exists())
        .expect("sleep")
}

#[test]
fn running_apps_are_recognised_once_each() {
    let dir = tempfile::tempdir().unwrap();
    let mut children = Vec::new();
    for name in ["zoom", "thunderbird"] {
        let copy = dir.path().join(name);
        std::fs::copy(sleep_binary(), &copy).unwrap();
        // Two copies of zoom: an app with helper processes counts once.
        for _ in 0..2 {
            children.push(Command::new(&copy).arg("30").spawn().unwrap());
        }
    }
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
        .contains("Zoom (not GDPR-proof)"));
    assert_eq!(
        item(&report, "screen_share")["facts"]["apps"],
        serde_json::json!(["Slack", "Thunderbird"])
    );
    assert_eq!(code, 1);
}
