//! Klaar's desktop app: the window, the tray icon and reminders around the checklist engine.
//! This is the only crate that knows Tauri; the modules here delegate the real work.

mod actions;
mod calendar_settings;
pub mod calls;
mod checking;
mod clock;
pub mod commands;
pub mod devices;
pub mod error;
mod helpdesk;
pub mod media;
mod meetings;
mod memory;
pub mod meter;
pub mod models;
pub mod on_demand;
mod preferences;
pub mod preview;
mod publish;
pub mod quiet;
pub mod reminders;
pub use klaar_settings as settings;
pub mod state;
pub mod tray;
pub mod tray_host;
pub mod wake;
pub mod window;

use klaar_checklist::Lang;
use state::AppState;
use std::time::Instant;
use tauri::{Manager, RunEvent, Runtime, WindowEvent};

/// Started at login this way: in the tray, without a window.
pub const HIDDEN_ARG: &str = "--hidden";

/// Klaar's state and commands, without plugins or tray: what the tests build on a mock runtime.
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>, lang: Lang) -> tauri::Builder<R> {
    with_state(builder, AppState::new(lang))
}

fn with_state<R: Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    builder
        .manage(state)
        .manage(reminders::Pending::default())
        .manage(media::Held::default())
        .manage(preview::Preview::default())
        .manage(meter::Meter::default())
        .invoke_handler(tauri::generate_handler![
            commands::snapshot,
            commands::start_check,
            commands::recheck_item,
            commands::set_tick,
            commands::new_call,
            commands::set_language,
            commands::remind_now,
            commands::test_speakers,
            commands::record_yourself,
            commands::play_back,
            commands::self_view,
            commands::mic_level,
            commands::freshen,
            commands::remind_later,
            commands::cancel_reminder,
            commands::devices,
            commands::choose_device,
            commands::helpdesk_text,
            commands::add_calendar,
            commands::remove_calendar,
            commands::set_remind_minutes,
            commands::set_do_not_disturb,
            commands::set_profile,
            commands::set_not_applicable,
            commands::finish_welcome,
        ])
}

pub fn run() {
    let started = Instant::now();
    memory::prefer_software_drawing();
    let hidden = std::env::args().any(|a| a == HIDDEN_ARG);
    let lang = sys_locale::get_locale()
        .map(|tag| Lang::from_locale(&tag))
        .unwrap_or_default();
    let settings = settings::default_path()
        .map(settings::Store::load)
        .unwrap_or_else(settings::Store::in_memory);
    klaar_probes::devices::choose(settings.settings.devices.clone());
    let policy = settings::policy::load(
        &settings::policy::policy_path(),
        klaar_checklist::Engine::builtin().catalogue(),
    );
    let state = AppState::with_policy(lang, settings, policy);
    // The single-instance plugin must come first: a second Klaar hands over and exits at once.
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            let _ = window::show(app);
        }))
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec![HIDDEN_ARG]),
        ));
    let app = with_state(builder, state)
        .setup(move |app| {
            tray::create(app.handle())?;
            // Without a tray Klaar would be invisible: then a window shows even when started
            // hidden, and closing it quits.
            let tray = tray_host::present();
            app.state::<AppState>().set_tray(tray);
            if std::env::var_os("KLAAR_BENCH").is_some() {
                eprintln!(
                    "klaar-bench tray_ready_ms={}",
                    started.elapsed().as_millis()
                );
            }
            if !hidden || !tray {
                window::show(app.handle())?;
            }
            let quiet = quiet::Quiet::detect();
            quiet.restore_after_crash();
            app.state::<AppState>().set_quiet_kind(quiet.kind());
            app.manage(quiet);
            meetings::start(app.handle());
            calls::start(app.handle());
            Ok(())
        })
        .build(tauri::generate_context!())
        .expect("Klaar could not start its window system");
    app.run(|app, event| match event {
        RunEvent::WindowEvent {
            event: WindowEvent::CloseRequested { .. },
            ..
        } => window::closing(app),
        // Closing the window leaves Klaar in the tray, if there is one; only "Quit" (an
        // explicit exit code) ends it. Without a tray, closing the window quits.
        RunEvent::ExitRequested {
            code: None, api, ..
        } if app.state::<AppState>().tray() => api.prevent_exit(),
        RunEvent::WindowEvent {
            event: WindowEvent::Destroyed,
            ..
        } => {
            let app = app.clone();
            memory::release_after_window(move || app.get_webview_window(window::MAIN).is_some());
        }
        // Klaar ends: "do not disturb" it holds ends with it.
        RunEvent::Exit => {
            if let Some(quiet) = app.try_state::<quiet::Quiet>() {
                quiet.hold(false, "");
            }
        }
        _ => {}
    });
}
