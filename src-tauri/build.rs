fn main() {
    // Listing Klaar's own commands makes Tauri generate a permission for each, so the capability
    // file in capabilities/ must name every command the window may call.
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&[
            "snapshot",
            "start_check",
            "recheck_item",
            "set_tick",
            "set_language",
            "remind_now",
            "new_call",
            "test_speakers",
            "record_yourself",
            "play_back",
            "self_view",
            "mic_level",
            "freshen",
            "remind_later",
            "cancel_reminder",
            "devices",
            "choose_device",
            "helpdesk_text",
            "add_calendar",
            "remove_calendar",
            "set_remind_minutes",
            "set_do_not_disturb",
            "set_profile",
            "set_not_applicable",
            "finish_welcome",
        ]),
    ))
    .expect("tauri build script");
}
