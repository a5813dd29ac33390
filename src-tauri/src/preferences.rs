//! The person's own choices in the window: the profile, the items that do not apply to them,
//! and the first-start welcome. Each change is written to `settings.toml` and applied to the
//! engine at once; what the organisation's policy decides cannot be changed here.

use crate::models::{Applicable, Choice, Preferences, Snapshot};
use crate::publish::publish;
use crate::state::AppState;
use klaar_checklist::{Engine, ItemKind, Lang, Lock, Profile};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_autostart::ManagerExt;

/// Chooses the profile (`onderwijs`, `zorg`); ignored when the organisation set one.
pub fn set_profile<R: Runtime>(app: &AppHandle<R>, key: &str) -> Snapshot {
    let state = app.state::<AppState>();
    if let Some(profile) = Profile::parse(key) {
        if state.engine().choices().policy.profile.is_none() {
            state.change_choices(|s| s.profile = Some(profile));
        }
    }
    publish(app)
}

/// Marks an item as not applicable, or no longer; ignored for an item the organisation
/// locked (required, or naming an app it forbids) and for ids that are no item.
pub fn set_not_applicable<R: Runtime>(app: &AppHandle<R>, id: &str, on: bool) -> Snapshot {
    let state = app.state::<AppState>();
    let engine = state.engine();
    let item = engine.catalogue().item(id);
    if item.is_some() && !engine.choices().is_locked(id, &engine.catalogue().apps) {
        state.change_choices(|s| {
            s.not_applicable.retain(|n| n != id);
            if on {
                s.not_applicable.push(id.to_string());
            }
        });
        // Counting again: checked now, so it never drops out of the list or the verdict.
        let automatic = item.is_some_and(|i| i.probe.is_some());
        if !on && automatic {
            if let Ok(snapshot) = crate::checking::start(app, &[id.to_string()]) {
                return snapshot;
            }
        }
    }
    publish(app)
}

/// The welcome is done (finished or skipped) and never shown again; start at login as chosen
/// there (only switched on, never off: the tray menu keeps that choice).
pub fn finish_welcome<R: Runtime>(app: &AppHandle<R>, start_at_login: bool) -> Snapshot {
    if start_at_login {
        let _ = app.autolaunch().enable();
    }
    let _ = app
        .state::<AppState>()
        .change_settings(|s| s.welcomed = true);
    publish(app)
}

/// What the settings view and the welcome show, in `lang`.
pub fn view(engine: &Engine, settings: &crate::settings::Settings, lang: Lang) -> Preferences {
    let locale = engine.locale(lang);
    let choices = engine.choices();
    let catalogue = engine.catalogue();
    let items = catalogue
        .items
        .iter()
        .filter(|item| choices.shows(item) && item.kind != ItemKind::Information)
        .map(|item| Applicable {
            id: item.id.clone(),
            title: lang.pick(&item.title).to_string(),
            not_applicable: choices.is_not_applicable(&item.id, &catalogue.apps),
            locked: locked(engine, &item.id, lang),
        })
        .collect();
    Preferences {
        welcomed: settings.welcomed,
        profile: choices.profile().key(),
        profile_by_organisation: choices.policy.profile.is_some(),
        profiles: Profile::ALL
            .iter()
            .map(|p| Choice {
                key: p.key(),
                label: locale.get(p.locale_key()),
            })
            .collect(),
        items,
        remind_minutes_by_organisation: choices.policy.remind_minutes,
    }
}

/// Why the person cannot mark item `id` as not applicable, in `lang`; `None` when they can.
fn locked(engine: &Engine, id: &str, lang: Lang) -> Option<String> {
    let locale = engine.locale(lang);
    let lock = engine.choices().lock(id, &engine.catalogue().apps)?;
    Some(match lock {
        Lock::Required => locale.get("ui.required_by_organisation"),
        Lock::NamesForbidden(apps) => {
            locale.fill("ui.names_forbidden_apps", &[("apps", apps.join(", "))])
        }
    })
}
