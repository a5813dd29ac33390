//! Small changes of state asked for by the user: a tick, a new call, another language.

use crate::error::Result;
use crate::models::Snapshot;
use crate::publish::publish;
use crate::state::AppState;
use klaar_checklist::Lang;
use tauri::{AppHandle, Manager, Runtime};

pub fn tick<R: Runtime>(app: &AppHandle<R>, id: &str, ticked: bool) -> Result<Snapshot> {
    app.state::<AppState>().tick(id, ticked)?;
    Ok(publish(app))
}

pub fn new_call<R: Runtime>(app: &AppHandle<R>) -> Snapshot {
    app.state::<AppState>().new_call();
    publish(app)
}

pub fn set_language<R: Runtime>(app: &AppHandle<R>, lang: Lang) -> Snapshot {
    app.state::<AppState>().set_lang(lang);
    crate::tray::refresh_menu(app);
    publish(app)
}
