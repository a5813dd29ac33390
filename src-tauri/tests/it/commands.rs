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

/// Replays a fixture machine in this test's process (nextest runs each test in a process of
/// its own).
fn replay(fixture: &str) {
    std::env::set_var(
        "KLAAR_ROOT",
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures")
            .join(fixture),
    );
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
    replay("laptop-on-battery");
    let (_app, window) = app();
    let started = invoke(&window, "start_check", json!({})).unwrap();
    assert_eq!(started["verdict"], Value::Null, "still checking");
    let done = finished(&window);
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
    let waiting = klaar_app::reminders::remind_later(app.handle(), Duration::from_millis(300));
    assert!(waiting.reminder_due.is_some(), "the window says when");
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

/// Waits until no item is pending any more; returns that snapshot.
fn finished(window: &WebviewWindow<MockRuntime>) -> Value {
    let start = Instant::now();
    loop {
        let snapshot = invoke(window, "snapshot", json!({})).unwrap();
        if snapshot["pending"].as_array().unwrap().is_empty() {
            return snapshot;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the check never ended"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_window_checks_by_itself_when_it_opens_but_not_twice_in_a_row() {
    replay("laptop-on-battery");
    let (_app, window) = app();
    let opened = invoke(&window, "freshen", json!({})).unwrap();
    assert!(
        !opened["pending"].as_array().unwrap().is_empty(),
        "opening the window starts a check"
    );
    let done = finished(&window);
    // The verdict names what blocks, each with its item.
    let line = &done["verdict_line"];
    assert_eq!(line["verdict"], "not_ready");
    assert!(
        line["text"]
            .as_str()
            .unwrap()
            .starts_with("Nog niet klaar: Zoom is open"),
        "{line}"
    );
    assert_eq!(line["blockers"][0]["id"], "call_apps");
    // Opened again at once: the answer is fresh, no new check.
    let again = invoke(&window, "freshen", json!({})).unwrap();
    assert!(again["pending"].as_array().unwrap().is_empty());
    assert_eq!(again["checked_at"], done["checked_at"]);
}

#[test]
fn remind_me_later_says_when_and_can_be_cancelled() {
    std::env::set_var(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/klaar-test-bus",
    );
    let (app, window) = app();
    let waiting = invoke(&window, "remind_later", json!({})).unwrap();
    let due = waiting["reminder_due"].as_str().unwrap().to_string();
    assert_eq!(due.len(), 5, "a clock time such as 10:25: {due}");
    assert_eq!(
        waiting["texts"]["ui.reminder_due"],
        "Ik herinner je om {time}."
    );
    let cancelled = invoke(&window, "cancel_reminder", json!({})).unwrap();
    assert_eq!(cancelled["reminder_due"], Value::Null);
    // A short reminder, cancelled, never comes.
    klaar_app::reminders::remind_later(app.handle(), Duration::from_millis(300));
    invoke(&window, "cancel_reminder", json!({})).unwrap();
    std::thread::sleep(Duration::from_millis(900));
    assert_eq!(
        invoke(&window, "snapshot", json!({})).unwrap()["reminder"],
        Value::Null
    );
}

#[test]
fn the_chosen_camera_is_the_one_the_self_view_and_the_check_use() {
    let pictures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/pictures");
    let (lit, backlit) = (pictures.join("well-lit.png"), pictures.join("backlit.png"));
    std::env::set_var(
        "KLAAR_FAKE_CAMERA",
        std::env::join_paths([&lit, &backlit]).unwrap(),
    );
    replay("laptop-charging");
    let (_app, window) = app();
    let devices = invoke(&window, "devices", json!({})).unwrap();
    let names: Vec<&str> = devices["available"]["cameras"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Testbeeld well-lit.png", "Testbeeld backlit.png"]);
    assert_eq!(devices["chosen"]["camera"], Value::Null, "the default");

    let light = |window: &WebviewWindow<MockRuntime>| {
        let start = Instant::now();
        loop {
            let frame = invoke(window, "self_view", json!({})).unwrap();
            if !frame["light"].is_null() {
                return frame["light"]["status"].as_str().unwrap().to_string();
            }
            assert!(start.elapsed() < Duration::from_secs(20), "no frame came");
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    assert_eq!(light(&window), "pass");
    let chosen = invoke(
        &window,
        "choose_device",
        json!({"kind": "camera", "id": backlit.display().to_string()}),
    )
    .unwrap();
    assert_eq!(chosen["chosen"]["camera"], backlit.display().to_string());
    assert_eq!(
        light(&window),
        "warn",
        "the self-view shows the backlit one"
    );
    invoke(&window, "recheck_item", json!({"id": "camera_light"})).unwrap();
    let done = finished(&window);
    assert_eq!(status(&done, "camera_light").as_deref(), Some("warn"));
    let item = done["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "camera")
        .unwrap();
    assert!(
        item["detail"]
            .as_str()
            .unwrap()
            .contains("Testbeeld backlit.png"),
        "{item}"
    );
}

#[test]
fn the_helpdesk_gets_what_a_capture_gathers_as_text() {
    replay("laptop-on-battery");
    let (_app, window) = app();
    let text = invoke(&window, "helpdesk_text", json!({})).unwrap();
    let text = text.as_str().unwrap();
    assert!(text.starts_with("Klaar "), "{text}");
    assert!(
        text.contains("power_supply/BAT0/status: Discharging"),
        "{text}"
    );
    assert!(text.contains("sys/class/power_supply/BAT0 -> "), "{text}");
}
