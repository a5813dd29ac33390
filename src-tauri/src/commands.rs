//! What the window may ask for. Each command is one line that hands the work to the module that
//! does it; every one answers with the fresh snapshot.

use crate::error::Result;
use crate::models::Snapshot;
use crate::state::AppState;
use klaar_checklist::Lang;
use tauri::{AppHandle, Manager, Runtime, State};

#[tauri::command]
pub fn snapshot(state: State<'_, AppState>) -> Snapshot {
    state.snapshot()
}

#[tauri::command]
pub fn start_check<R: Runtime>(app: AppHandle<R>) -> Result<Snapshot> {
    crate::checking::start(&app, &[])
}

#[tauri::command]
pub fn recheck_item<R: Runtime>(app: AppHandle<R>, id: String) -> Result<Snapshot> {
    crate::checking::start(&app, &[id])
}

#[tauri::command]
pub fn set_tick<R: Runtime>(app: AppHandle<R>, id: String, ticked: bool) -> Result<Snapshot> {
    crate::actions::tick(&app, &id, ticked)
}

#[tauri::command]
pub fn new_call<R: Runtime>(app: AppHandle<R>) -> Snapshot {
    crate::actions::new_call(&app)
}

#[tauri::command]
pub fn set_language<R: Runtime>(app: AppHandle<R>, lang: Lang) -> Snapshot {
    crate::actions::set_language(&app, lang)
}

#[tauri::command]
pub async fn remind_now<R: Runtime>(app: AppHandle<R>) -> Result<Snapshot> {
    Ok(crate::reminders::remind_now(app).await)
}

#[tauri::command]
pub async fn test_speakers() -> Result<crate::media::Played> {
    crate::media::test_speakers().await
}

#[tauri::command]
pub async fn record_yourself<R: Runtime>(app: AppHandle<R>) -> Result<()> {
    crate::media::record_yourself(app).await
}

#[tauri::command]
pub async fn play_back<R: Runtime>(app: AppHandle<R>) -> Result<crate::media::Played> {
    crate::media::play_back(app).await
}

#[tauri::command]
pub fn self_view<R: Runtime>(app: AppHandle<R>) -> crate::preview::PreviewFrame {
    crate::preview::frame(&app)
}

#[tauri::command]
pub fn mic_level<R: Runtime>(app: AppHandle<R>) -> crate::meter::Level {
    crate::meter::level(&app)
}

#[tauri::command]
pub fn freshen<R: Runtime>(app: AppHandle<R>) -> Result<Snapshot> {
    crate::checking::freshen(&app)
}

#[tauri::command]
pub fn remind_later<R: Runtime>(app: AppHandle<R>) -> Snapshot {
    crate::reminders::remind_later(&app, crate::reminders::LATER)
}

#[tauri::command]
pub fn cancel_reminder<R: Runtime>(app: AppHandle<R>) -> Snapshot {
    crate::reminders::cancel(&app)
}

#[tauri::command]
pub async fn devices<R: Runtime>(app: AppHandle<R>) -> Result<crate::devices::DeviceView> {
    Ok(tauri::async_runtime::spawn_blocking(move || crate::devices::view(&app)).await?)
}

#[tauri::command]
pub async fn choose_device<R: Runtime>(
    app: AppHandle<R>,
    kind: crate::devices::Kind,
    id: Option<String>,
) -> Result<crate::devices::DeviceView> {
    Ok(
        tauri::async_runtime::spawn_blocking(move || crate::devices::choose(&app, kind, id))
            .await?,
    )
}

#[tauri::command]
pub async fn helpdesk_text<R: Runtime>(app: AppHandle<R>) -> Result<String> {
    let state = app.state::<AppState>();
    let root = crate::checking::root_with_target(&state, &state.engine().plan(&[])?);
    crate::helpdesk::text(root).await
}

#[tauri::command]
pub async fn add_calendar<R: Runtime>(app: AppHandle<R>, given: String) -> Snapshot {
    crate::calendar_settings::add(&app, given).await
}

#[tauri::command]
pub async fn remove_calendar<R: Runtime>(app: AppHandle<R>, name: String) -> Snapshot {
    crate::calendar_settings::remove(&app, name).await
}

#[tauri::command]
pub fn set_remind_minutes<R: Runtime>(app: AppHandle<R>, minutes: u32) -> Snapshot {
    crate::calendar_settings::set_remind_minutes(&app, minutes)
}

#[tauri::command]
pub fn set_do_not_disturb<R: Runtime>(app: AppHandle<R>, on: bool) -> Snapshot {
    crate::calendar_settings::set_do_not_disturb(&app, on)
}

#[tauri::command]
pub fn set_profile<R: Runtime>(app: AppHandle<R>, profile: String) -> Snapshot {
    crate::preferences::set_profile(&app, &profile)
}

#[tauri::command]
pub fn set_not_applicable<R: Runtime>(app: AppHandle<R>, id: String, on: bool) -> Snapshot {
    crate::preferences::set_not_applicable(&app, &id, on)
}

#[tauri::command]
pub fn finish_welcome<R: Runtime>(app: AppHandle<R>, start_at_login: bool) -> Snapshot {
    crate::preferences::finish_welcome(&app, start_at_login)
}
