//! After every change: the window gets a fresh snapshot and the tray shows the verdict.

use crate::models::{Snapshot, SNAPSHOT_EVENT};
use crate::state::AppState;
use tauri::{AppHandle, Emitter, Manager, Runtime};

pub fn publish<R: Runtime>(app: &AppHandle<R>) -> Snapshot {
    let snapshot = app.state::<AppState>().snapshot();
    // No window is open when this fails; the next window asks for a snapshot itself.
    let _ = app.emit(SNAPSHOT_EVENT, &snapshot);
    crate::tray::refresh(app);
    snapshot
}
