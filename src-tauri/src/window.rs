//! The one window. Closing it destroys the webview, so a Klaar that waits in the tray holds no
//! web page in memory; showing it again builds a new one.

use crate::state::AppState;
use tauri::{AppHandle, Manager, Runtime, WebviewUrl, WebviewWindow, WebviewWindowBuilder};

pub const MAIN: &str = "main";

pub fn show<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<WebviewWindow<R>> {
    if let Some(window) = app.get_webview_window(MAIN) {
        window.unminimize()?;
        window.show()?;
        window.set_focus()?;
        return Ok(window);
    }
    WebviewWindowBuilder::new(app, MAIN, WebviewUrl::App("index.html".into()))
        .title("Klaar")
        .inner_size(WIDTH, HEIGHT)
        .min_inner_size(MIN_WIDTH, MIN_HEIGHT)
        .build()
}

/// The window's first size: the green room beside the checklist on a laptop screen.
pub const WIDTH: f64 = 1100.0;
pub const HEIGHT: f64 = 800.0;
/// Small enough for half a small screen; the page stacks everything in one column.
pub const MIN_WIDTH: f64 = 420.0;
pub const MIN_HEIGHT: f64 = 480.0;

/// The person closes the window. Looks again whether the desktop shows a tray (a panel may
/// have come or gone); with one, Klaar stays there and says so the first time; without one,
/// Klaar quits once the window is gone (the window said so beforehand).
pub fn closing<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let tray = crate::tray_host::present();
    state.set_tray(tray);
    if tray && !state.settings().tray_hint_shown {
        let engine = state.engine();
        let locale = engine.locale(state.lang());
        crate::reminders::tell_stays_in_tray(
            locale.get("tray.stays_title"),
            locale.get("tray.stays_body"),
        );
        let _ = state.change_settings(|s| s.tray_hint_shown = true);
    }
}
