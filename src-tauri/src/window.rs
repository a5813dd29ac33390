//! The one window. Closing it destroys the webview, so a Klaar that waits in the tray holds no
//! web page in memory; showing it again builds a new one.

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
        .inner_size(760.0, 860.0)
        .min_inner_size(420.0, 480.0)
        .build()
}
