//! The commands and their state on Tauri's mock runtime: no webview, no display.

use klaar_checklist::Lang;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

fn app() -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let app = klaar_app::with_commands(mock_builder(), Lang::Nl)
        .build(mock_context(noop_assets()))
        .expect("a mock app");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    (app, window)
}

fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    tauri::test::get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

fn status(snapshot: &Value, id: &str) -> Option<String> {
    snapshot["items"]
        .as_array()?
        .iter()
        .find(|i| i["id"] == id)
        .map(|i| i["status"].as_str().unwrap().to_string())
}

#[test]
fn ticking_a_manual_item_passes_it_and_ticking_a_probe_item_is_refused() {
    let (_app, window) = app();
    let first = invoke(&window, "snapshot", json!({})).unwrap();
    assert_eq!(first["verdict"], Value::Null, "not checked yet");
    assert_eq!(status(&first, "phone_silent").as_deref(), Some("manual"));

    let ticked = invoke(
        &window,
        "set_tick",
        json!({"id": "phone_silent", "ticked": true}),
    )
    .unwrap();
    assert_eq!(status(&ticked, "phone_silent").as_deref(), Some("pass"));
    assert!(ticked["revision"].as_u64() > first["revision"].as_u64());

    let refused = invoke(&window, "set_tick", json!({"id": "power", "ticked": true})).unwrap_err();
    assert_eq!(
        refused,
        json!({"kind": "not_manual", "message": "'power' is not an item you can tick"})
    );

    let cleared = invoke(&window, "new_call", json!({})).unwrap();
    assert_eq!(status(&cleared, "phone_silent").as_deref(), Some("manual"));
}

#[test]
fn an_unknown_item_is_a_typed_error() {
    let (_app, window) = app();
    let error = invoke(&window, "recheck_item", json!({"id": "telepathy"})).unwrap_err();
    assert_eq!(error["kind"], "unknown_item");
    assert!(error["message"].as_str().unwrap().contains("telepathy"));
}

#[test]
fn the_language_changes_every_text() {
    let (_app, window) = app();
    let nl = invoke(&window, "snapshot", json!({})).unwrap();
    assert_eq!(nl["texts"]["ui.check"], "Controleer voor je gesprek");
    let en = invoke(&window, "set_language", json!({"lang": "en"})).unwrap();
    assert_eq!(en["lang"], "en");
    assert_eq!(en["texts"]["ui.check"], "Check before call");
    let phone = en["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "phone_silent")
        .unwrap();
    assert_eq!(phone["title"], "Phone on silent");
    assert!(invoke(&window, "set_language", json!({"lang": "de"})).is_err());
}

#[test]
fn a_check_streams_into_a_verdict() {
    // The process is this test's own (nextest runs each test in a process of its own).
    std::env::set_var(
        "KLAAR_ROOT",
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/laptop-on-battery"),
    );
    let (_app, window) = app();
    let started = invoke(&window, "start_check", json!({})).unwrap();
    assert_eq!(started["verdict"], Value::Null, "still checking");
    let start = Instant::now();
    let done = loop {
        let snapshot = invoke(&window, "snapshot", json!({})).unwrap();
        if snapshot["pending"].as_array().unwrap().is_empty() {
            break snapshot;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the check never ended"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(done["verdict"], "not_ready");
    assert_eq!(
        status(&done, "call_apps").as_deref(),
        Some("fail"),
        "Zoom is open"
    );
    assert!(done["checked_at"].is_string());
}

#[test]
fn remind_me_later_waits_and_then_reminds() {
    // No session bus here, so no notification service: the reminder goes to the window.
    std::env::set_var(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/klaar-test-bus",
    );
    let (app, window) = app();
    klaar_app::reminders::remind_later(app.handle(), Duration::from_millis(300));
    let soon = invoke(&window, "snapshot", json!({})).unwrap();
    assert_eq!(soon["reminder"], Value::Null, "not yet");
    let start = Instant::now();
    let reminded = loop {
        let snapshot = invoke(&window, "snapshot", json!({})).unwrap();
        if !snapshot["reminder"].is_null() {
            break snapshot;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no reminder came"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(reminded["reminder"]["delivered"], false);
    assert_eq!(
        reminded["reminder"]["lines"],
        json!([
            "Zet je telefoon op stil.",
            "Ruim je achtergrond op — zet privéspullen zoals foto's buiten beeld."
        ])
    );
}

#[test]
fn the_self_view_closes_the_camera_when_nobody_looks() {
    std::env::set_var(
        "KLAAR_FAKE_CAMERA",
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/pictures/well-lit.png"),
    );
    let (app, window) = app();
    let start = Instant::now();
    let frame = loop {
        let frame = invoke(&window, "self_view", json!({})).unwrap();
        if !frame["image"].is_null() {
            break frame;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "no frame came");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(frame["light"]["status"], "pass");
    assert!(klaar_app::preview::is_running(app.handle()));
    // Nobody asks any more: the camera closes within the idle time.
    std::thread::sleep(klaar_app::on_demand::IDLE + Duration::from_millis(800));
    assert!(!klaar_app::preview::is_running(app.handle()));
}

#[test]
fn the_level_meter_closes_the_microphone_when_nobody_looks() {
    // No sound server for this process: the meter says so and still lets go.
    std::env::set_var("XDG_RUNTIME_DIR", "/nonexistent/klaar-test-runtime");
    std::env::remove_var("PULSE_SERVER");
    let (app, window) = app();
    let start = Instant::now();
    let level = loop {
        let level = invoke(&window, "mic_level", json!({})).unwrap();
        if !level["problem"].is_null() {
            break level;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "no answer came");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(level["problem"], "no_microphone");
    assert!(klaar_app::meter::is_running(app.handle()));
    std::thread::sleep(klaar_app::on_demand::IDLE + Duration::from_millis(800));
    assert!(!klaar_app::meter::is_running(app.handle()));
}
