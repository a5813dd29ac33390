//! The tray icon: the last verdict as a shape, a tooltip that says it in words, and the menu.

use crate::state::AppState;
use klaar_checklist::{Locale, Verdict};
use tauri::image::Image;
use tauri::menu::{CheckMenuItem, Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_autostart::ManagerExt;

const TRAY_ID: &str = "klaar";

/// What the icon shows. Each state has its own shape (circle, triangle, octagon, ring), so it
/// reads without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayState {
    NotChecked,
    Ready,
    Attention,
    NotReady,
}

impl TrayState {
    pub const ALL: [TrayState; 4] = [
        TrayState::NotChecked,
        TrayState::Ready,
        TrayState::Attention,
        TrayState::NotReady,
    ];

    pub fn of(verdict: Option<Verdict>) -> TrayState {
        match verdict {
            None => TrayState::NotChecked,
            Some(Verdict::Ready) => TrayState::Ready,
            Some(Verdict::Attention) => TrayState::Attention,
            Some(Verdict::NotReady) => TrayState::NotReady,
        }
    }

    pub fn icon_png(self) -> &'static [u8] {
        match self {
            TrayState::NotChecked => include_bytes!("../../assets/icons/tray-unchecked.png"),
            TrayState::Ready => include_bytes!("../../assets/icons/tray-ready.png"),
            TrayState::Attention => include_bytes!("../../assets/icons/tray-attention.png"),
            TrayState::NotReady => include_bytes!("../../assets/icons/tray-not-ready.png"),
        }
    }

    fn text_key(self) -> &'static str {
        match self {
            TrayState::NotChecked => "tray.not_checked",
            TrayState::Ready => "tray.ready",
            TrayState::Attention => "tray.attention",
            TrayState::NotReady => "tray.not_ready",
        }
    }
}

/// "Klaar: ready for your call (checked at 14:05)".
pub fn tooltip(state: TrayState, checked_at: Option<&str>, locale: &Locale) -> String {
    let verdict = locale.get(state.text_key());
    match checked_at {
        Some(time) if state != TrayState::NotChecked => locale.fill(
            "tray.tooltip_checked",
            &[("verdict", verdict), ("time", time.into())],
        ),
        _ => locale.fill("tray.tooltip", &[("verdict", verdict)]),
    }
}

/// The menu entries; their ids are this enum, never strings typed twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuId {
    Check,
    Open,
    RemindLater,
    StartAtLogin,
    Quit,
}

impl MenuId {
    pub const ALL: [MenuId; 5] = [
        MenuId::Check,
        MenuId::Open,
        MenuId::RemindLater,
        MenuId::StartAtLogin,
        MenuId::Quit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MenuId::Check => "check",
            MenuId::Open => "open",
            MenuId::RemindLater => "remind_later",
            MenuId::StartAtLogin => "start_at_login",
            MenuId::Quit => "quit",
        }
    }

    pub fn parse(id: &str) -> Option<MenuId> {
        MenuId::ALL.into_iter().find(|m| m.as_str() == id)
    }

    fn label_key(self) -> String {
        format!("menu.{}", self.as_str())
    }
}

pub fn create<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<TrayIcon<R>> {
    let state = app.state::<AppState>();
    let (verdict, checked_at) = state.verdict();
    let engine = state.engine();
    let locale = engine.locale(state.lang());
    let tray_state = TrayState::of(verdict);
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(Image::from_bytes(tray_state.icon_png())?)
        .tooltip(tooltip(tray_state, checked_at.as_deref(), locale))
        .menu(&menu(app, locale)?)
        .show_menu_on_left_click(true)
        .on_menu_event(on_menu_event)
        .build(app)
}

fn menu<R: Runtime>(app: &AppHandle<R>, locale: &Locale) -> tauri::Result<Menu<R>> {
    let item = |id: MenuId| {
        MenuItem::with_id(
            app,
            id.as_str(),
            locale.get(&id.label_key()),
            true,
            None::<&str>,
        )
    };
    let autostart_on = app.autolaunch().is_enabled().unwrap_or(false);
    let next = app.state::<AppState>().next_meeting().map(|m| {
        MenuItem::with_id(
            app,
            "next_meeting",
            next_meeting_label(&m.summary, m.start, chrono::Utc::now(), locale),
            false,
            None::<&str>,
        )
    });
    let check = match app.state::<AppState>().check_for(chrono::Utc::now()) {
        Some(summary) => MenuItem::with_id(
            app,
            MenuId::Check.as_str(),
            check_label(Some(&summary), locale),
            true,
            None::<&str>,
        )?,
        None => item(MenuId::Check)?,
    };
    let menu = Menu::with_items(
        app,
        &[
            &check,
            &item(MenuId::Open)?,
            &item(MenuId::RemindLater)?,
            &CheckMenuItem::with_id(
                app,
                MenuId::StartAtLogin.as_str(),
                locale.get(&MenuId::StartAtLogin.label_key()),
                true,
                autostart_on,
                None::<&str>,
            )?,
            &PredefinedMenuItem::separator(app)?,
            &item(MenuId::Quit)?,
        ],
    )?;
    if let Some(next) = next {
        // On top, not to be chosen: it only tells.
        menu.prepend(&next?)?;
        menu.insert(&PredefinedMenuItem::separator(app)?, 1)?;
    }
    Ok(menu)
}

/// The first entry: "Controleer voor je gesprek", or "Nu controleren voor 'Teamoverleg'" after a
/// meeting's reminder that could show no buttons.
pub fn check_label(meeting: Option<&str>, locale: &Locale) -> String {
    match meeting {
        Some(summary) => locale.fill("menu.check_for", &[("summary", summary.to_string())]),
        None => locale.get("menu.check"),
    }
}

/// "Volgende: Teamoverleg om 10:00 (over 25 min)" in the user's zone.
pub fn next_meeting_label(
    summary: &str,
    start: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
    locale: &Locale,
) -> String {
    let minutes = (start - now).num_minutes().max(0);
    let time = start
        .with_timezone(&chrono::Local)
        .format("%H:%M")
        .to_string();
    let (key, amount) = if minutes >= 90 {
        ("menu.next_meeting_hours", (minutes + 30) / 60)
    } else {
        ("menu.next_meeting", minutes)
    };
    locale.fill(
        key,
        &[
            ("summary", summary.to_string()),
            ("time", time),
            ("n", amount.to_string()),
        ],
    )
}

fn on_menu_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let Some(id) = MenuId::parse(event.id().as_ref()) else {
        return;
    };
    match id {
        MenuId::Check => {
            let _ = crate::window::show(app);
            let _ = crate::checking::start(app, &[]);
        }
        MenuId::Open => {
            let _ = crate::window::show(app);
        }
        MenuId::RemindLater => {
            crate::reminders::remind_later(app, crate::reminders::LATER);
        }
        MenuId::StartAtLogin => {
            let autolaunch = app.autolaunch();
            let _ = if autolaunch.is_enabled().unwrap_or(false) {
                autolaunch.disable()
            } else {
                autolaunch.enable()
            };
            refresh_menu(app);
        }
        MenuId::Quit => app.exit(0),
    }
}

/// Shows the current verdict on the icon and in the tooltip.
pub fn refresh<R: Runtime>(app: &AppHandle<R>) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let state = app.state::<AppState>();
    let (verdict, checked_at) = state.verdict();
    let tray_state = TrayState::of(verdict);
    if let Ok(icon) = Image::from_bytes(tray_state.icon_png()) {
        let _ = tray.set_icon(Some(icon));
    }
    let engine = state.engine();
    let locale = engine.locale(state.lang());
    let _ = tray.set_tooltip(Some(tooltip(tray_state, checked_at.as_deref(), locale)));
}

/// Rebuilds the menu: after a change of language or of "start at login".
pub fn refresh_menu<R: Runtime>(app: &AppHandle<R>) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let state = app.state::<AppState>();
    if let Ok(menu) = menu(app, state.engine().locale(state.lang())) {
        let _ = tray.set_menu(Some(menu));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use klaar_checklist::Lang;

    /// The icon as someone who sees no colour sees it: for each pixel, nothing, dark or light.
    fn shape(state: TrayState) -> Vec<u8> {
        let image = Image::from_bytes(state.icon_png()).expect("an RGBA PNG");
        image
            .rgba()
            .chunks_exact(4)
            .map(|p| {
                let luma = (299 * p[0] as u32 + 587 * p[1] as u32 + 114 * p[2] as u32) / 1000;
                match (p[3] > 128, luma > 160) {
                    (false, _) => 0,
                    (true, false) => 1,
                    (true, true) => 2,
                }
            })
            .collect()
    }

    #[test]
    fn every_verdict_has_its_own_shape_not_only_its_own_colour() {
        for (i, a) in TrayState::ALL.iter().enumerate() {
            for b in &TrayState::ALL[i + 1..] {
                let (sa, sb) = (shape(*a), shape(*b));
                let differing = sa.iter().zip(&sb).filter(|(x, y)| x != y).count();
                assert!(
                    differing * 10 > sa.len(),
                    "{a:?} and {b:?} differ in only {differing} of {} pixels",
                    sa.len()
                );
            }
        }
    }

    #[test]
    fn the_icon_follows_the_verdict() {
        assert_eq!(TrayState::of(None), TrayState::NotChecked);
        assert_eq!(TrayState::of(Some(Verdict::Ready)), TrayState::Ready);
        assert_eq!(
            TrayState::of(Some(Verdict::Attention)),
            TrayState::Attention
        );
        assert_eq!(TrayState::of(Some(Verdict::NotReady)), TrayState::NotReady);
    }

    #[test]
    fn the_tooltip_says_the_verdict_and_when() {
        let nl = Locale::builtin(Lang::Nl);
        let en = Locale::builtin(Lang::En);
        assert_eq!(
            tooltip(TrayState::Ready, Some("14:05"), &nl),
            "Klaar: klaar voor je gesprek (gecontroleerd om 14:05)"
        );
        assert_eq!(
            tooltip(TrayState::NotReady, Some("09:30"), &en),
            "Klaar: not ready (checked at 09:30)"
        );
        assert_eq!(
            tooltip(TrayState::NotChecked, None, &en),
            "Klaar: not checked yet"
        );
    }

    #[test]
    fn the_next_meeting_says_how_long_until_it_starts() {
        let nl = Locale::builtin(Lang::Nl);
        let now: chrono::DateTime<chrono::Utc> = "2026-12-01T09:35:00Z".parse().unwrap();
        let start: chrono::DateTime<chrono::Utc> = "2026-12-01T10:00:00Z".parse().unwrap();
        let label = next_meeting_label("Teamoverleg", start, now, &nl);
        assert!(label.starts_with("Volgende: Teamoverleg om "), "{label}");
        assert!(label.ends_with("(over 25 min)"), "{label}");
        let later = start + chrono::Duration::hours(3);
        assert!(next_meeting_label("Teamoverleg", later, now, &nl).ends_with("(over 3 uur)"));
    }

    #[test]
    fn after_a_reminder_without_buttons_the_first_entry_names_the_meeting_until_a_check_or_its_end()
    {
        let state = AppState::new(Lang::Nl);
        let nl = Locale::builtin(Lang::Nl);
        let now: chrono::DateTime<chrono::Utc> = "2026-12-01T09:55:00Z".parse().unwrap();
        let end = now + chrono::Duration::minutes(65);
        assert_eq!(
            check_label(state.check_for(now).as_deref(), &nl),
            "Controleer voor je gesprek"
        );
        state.set_check_for(Some(("Teamoverleg".into(), end)));
        assert_eq!(
            check_label(state.check_for(now).as_deref(), &nl),
            "Nu controleren voor 'Teamoverleg'"
        );
        assert_eq!(state.check_for(end), None, "the meeting has ended");
        state.begin(&state.engine().plan(&[]).unwrap());
        assert_eq!(state.check_for(now), None, "a check started");
        let en = Locale::builtin(Lang::En);
        assert_eq!(
            check_label(Some("Team meeting"), &en),
            "Check now for 'Team meeting'"
        );
    }

    #[test]
    fn menu_ids_survive_the_round_trip_and_have_labels_in_both_languages() {
        for lang in [Lang::Nl, Lang::En] {
            let locale = Locale::builtin(lang);
            for id in MenuId::ALL {
                assert_eq!(MenuId::parse(id.as_str()), Some(id));
                assert_ne!(
                    locale.get(&id.label_key()),
                    id.label_key(),
                    "{id:?} {lang:?}"
                );
            }
        }
        assert_eq!(MenuId::parse("nonsense"), None);
    }
}
