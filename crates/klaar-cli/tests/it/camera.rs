//! The camera items end to end: made pictures through `KLAAR_FAKE_CAMERA` (the same analysis and
//! reporting as a real camera), a replayed machine whose camera another app holds, bad pictures.

use crate::util::{check_json, check_json_seeing, details, fixture, item, picture_path, run};
use serde_json::Value;

fn lighting(picture: &str, expected: &str, status: &str) {
    let (report, _) = check_json_seeing(None, picture, &["--only", "camera,camera_light"]);
    let camera = item(&report, "camera");
    assert_eq!(camera["status"], "pass", "{picture}: {camera:#}");
    assert_eq!(camera["facts"]["present"], true);
    assert!(camera["facts"]["first_frame_ms"].is_u64(), "{camera:#}");
    let light = item(&report, "camera_light");
    assert_eq!(light["facts"]["lighting"], expected, "{picture}: {light:#}");
    assert_eq!(light["status"], status, "{picture}");
    assert!(light["facts"]["mean_luma"].is_number());
    assert!(light["facts"]["center_to_border"].is_number());
}

#[test]
fn made_pictures_are_judged_as_a_person_would() {
    lighting("well-lit.png", "ok", "pass");
    lighting("gradient.png", "ok", "pass");
    lighting("backlit.png", "backlit", "warn");
    lighting("dim-room.png", "dark", "warn");
    lighting("lens-cap.png", "covered", "fail");
    lighting("overexposed.png", "overexposed", "warn");
}

#[test]
fn the_advice_says_what_to_do_about_backlight() {
    let (report, _) = check_json_seeing(None, "backlit.png", &["--only", "camera_light"]);
    let detail = item(&report, "camera_light")["detail"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(detail.contains("backlit"), "{detail}");
    assert!(detail.contains("Turn towards the window"), "{detail}");
}

#[test]
fn a_camera_held_by_another_app_names_that_app() {
    // pipewire watches the camera too; it does not count as using it.
    let (report, _) = check_json(Some(&fixture("laptop-camera-busy")), &["--only", "camera"]);
    let camera = item(&report, "camera");
    assert_eq!(camera["status"], "warn");
    assert_eq!(camera["facts"]["busy_by"], "zoom");
    assert_eq!(camera["facts"]["name"], "Integrated Camera: Integrated C");
    let detail = camera["detail"].as_str().unwrap();
    assert!(detail.contains("in use by Zoom"), "{detail}");
    // People read the camera's name without the driver's cut-off repeat.
    assert!(detail.contains("Integrated Camera"), "{detail}");
    assert!(!detail.contains(": Integrated C"), "{detail}");
}

#[test]
fn a_machine_without_a_camera_is_not_ready_for_a_video_call() {
    let (report, code) = check_json(Some(&fixture("laptop-charging")), &["--only", "camera"]);
    let camera = item(&report, "camera");
    assert_eq!(camera["status"], "fail");
    assert_eq!(camera["facts"]["present"], false);
    assert_eq!(code, 1);
}

fn reason(report: &Value, id: &str) -> Value {
    item(report, id)["reason"].clone()
}

#[test]
fn a_broken_or_missing_picture_is_named_and_nothing_panics() {
    let (report, code) = check_json_seeing(None, "broken.png", &["--only", "camera,camera_light"]);
    assert_eq!(code, 0);
    assert_eq!(reason(&report, "camera")["kind"], "unreadable");
    let detail = details(item(&report, "camera"));
    assert!(detail.contains("broken.png"), "{detail}");
    assert!(detail.contains("not a PNG or JPEG picture"), "{detail}");

    let (report, _) = check_json_seeing(None, "no-such-picture.png", &["--only", "camera"]);
    assert_eq!(reason(&report, "camera")["kind"], "missing");
    assert_eq!(
        reason(&report, "camera")["path"],
        picture_path("no-such-picture.png").display().to_string()
    );
}

#[test]
fn the_human_report_shows_the_camera_items() {
    let out = run(crate::util::klaar(None)
        .env("KLAAR_FAKE_CAMERA", picture_path("backlit.png"))
        .args(["check", "--lang", "nl", "--only", "camera,camera_light"]));
    assert!(out.stdout.contains("Camera geeft beeld"), "{}", out.stdout);
    assert!(out.stdout.contains("tegenlicht"), "{}", out.stdout);
}

#[test]
fn a_camera_that_hangs_is_cut_off_at_its_deadline_and_the_rest_reports() {
    // A FIFO with no writer blocks every reader, like a driver that never answers.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("hanging.png");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let mut cmd = crate::util::klaar(Some(&fixture("laptop-charging")));
    cmd.env("KLAAR_FAKE_CAMERA", &fifo).args([
        "check",
        "--json",
        "--lang",
        "en",
        "--only",
        "power,network,camera,camera_light",
    ]);
    let out = run(&mut cmd);
    let report = crate::util::report(&out.stdout, &out.stderr);
    let camera = item(&report, "camera");
    assert_eq!(camera["status"], "unknown");
    assert_eq!(camera["reason"]["kind"], "timed_out");
    assert_eq!(
        camera["reason"]["deadline_ms"], 3500,
        "the camera's own deadline"
    );
    assert_eq!(item(&report, "power")["status"], "pass");
    assert_eq!(item(&report, "network")["status"], "pass");
}
