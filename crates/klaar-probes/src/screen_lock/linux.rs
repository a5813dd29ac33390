//! The desktop from `XDG_CURRENT_DESKTOP`; then its own settings, through [`Root::ask`] so a
//! capture replays them.
//!
//! GNOME (gsettings-desktop-schemas): `org.gnome.desktop.session idle-delay` (seconds, 0 =
//! never idle), `org.gnome.desktop.screensaver lock-enabled` and `lock-delay` (seconds after
//! the screen blanks), `org.gnome.desktop.lockdown disable-lock-screen`. The schemas are looked
//! up first (GLib aborts on an unknown schema), and GLib's in-memory stand-in, used when the
//! dconf module is missing, is refused: it answers the defaults, not the person's settings
//! (nixpkgs#4415).
//!
//! KDE Plasma (kscreenlocker's `kscreenlockersettings.kcfg`): `[Daemon] Autolock` (default
//! true) and `Timeout` (minutes, default 5) in `kscreenlockerrc`, the person's file over the
//! system's (`/etc/xdg`); a missing file or key means the default.

use crate::root::Unanswered;
use crate::Root;
use klaar_facts::{ProbeError, ScreenLockFacts};
use serde_json::{json, Value};

pub fn probe(root: &Root) -> Result<ScreenLockFacts, ProbeError> {
    let desktop = root
        .ask("desktop", || {
            std::env::var("XDG_CURRENT_DESKTOP")
                .map(Value::String)
                .map_err(|_| Unanswered::Absent)
        })
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let names: Vec<String> = desktop.split(':').map(|d| d.to_ascii_uppercase()).collect();
    let is = |want: &[&str]| names.iter().any(|n| want.contains(&n.as_str()));
    if is(&["KDE"]) {
        kde(root)
    } else if is(&["GNOME", "UNITY", "PANTHEON", "BUDGIE"]) {
        gnome(root)
    } else if desktop.is_empty() {
        Err(ProbeError::Unavailable {
            what: "XDG_CURRENT_DESKTOP".into(),
        })
    } else {
        // XFCE, Cinnamon, MATE…: running, but Klaar does not know where they keep the setting.
        Err(ProbeError::Unsupported)
    }
}

fn gnome(root: &Root) -> Result<ScreenLockFacts, ProbeError> {
    let answer = root
        .ask("gsettings screen lock", gsettings)
        .map_err(|u| u.probe_error("GSettings"))?;
    let number = |key: &str| answer[key].as_u64();
    let idle = number("idle-delay").unwrap_or(300);
    let delay = number("lock-delay").unwrap_or(0);
    let enabled = answer["lock-enabled"].as_bool().unwrap_or(true)
        && !answer["disable-lock-screen"].as_bool().unwrap_or(false)
        && idle > 0;
    Ok(ScreenLockFacts {
        desktop: "gnome".into(),
        enabled,
        lock_after_s: enabled.then(|| u32::try_from(idle + delay).unwrap_or(u32::MAX)),
    })
}

/// The four keys, from the person's GSettings.
fn gsettings() -> Result<Value, Unanswered> {
    use gio::prelude::*;
    let backend = gio::SettingsBackend::default();
    if backend.type_().name() == "GMemorySettingsBackend" {
        return Err(Unanswered::Absent);
    }
    let source = gio::SettingsSchemaSource::default().ok_or(Unanswered::Absent)?;
    let read = |schema: &str, key: &str| -> Option<Value> {
        let schema = source.lookup(schema, true)?;
        if !schema.has_key(key) {
            return None;
        }
        let settings = gio::Settings::new_full(&schema, None::<&gio::SettingsBackend>, None);
        let value = settings.value(key);
        value
            .get::<u32>()
            .map(Value::from)
            .or_else(|| value.get::<bool>().map(Value::from))
    };
    let idle = read("org.gnome.desktop.session", "idle-delay").ok_or(Unanswered::Absent)?;
    Ok(json!({
        "idle-delay": idle,
        "lock-enabled": read("org.gnome.desktop.screensaver", "lock-enabled"),
        "lock-delay": read("org.gnome.desktop.screensaver", "lock-delay"),
        "disable-lock-screen": read("org.gnome.desktop.lockdown", "disable-lock-screen"),
    }))
}

fn kde(root: &Root) -> Result<ScreenLockFacts, ProbeError> {
    let answer = root
        .ask("kscreenlockerrc", || {
            let config = std::env::var_os("XDG_CONFIG_HOME")
                .map(std::path::PathBuf::from)
                .or_else(|| {
                    std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".config"))
                })
                .ok_or(Unanswered::Absent)?;
            let mut keys = serde_json::Map::new();
            for file in [
                std::path::PathBuf::from("/etc/xdg/kscreenlockerrc"),
                config.join("kscreenlockerrc"),
            ] {
                if let Ok(text) = std::fs::read_to_string(&file) {
                    keys.extend(daemon_keys(&text));
                }
            }
            Ok(Value::Object(keys))
        })
        .map_err(|u| u.probe_error("~/.config/kscreenlockerrc"))?;
    let enabled = answer["Autolock"]
        .as_str()
        .map(|v| v.trim() != "false")
        .unwrap_or(true);
    let minutes = answer["Timeout"]
        .as_str()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|m| m.is_finite() && *m >= 0.0)
        .unwrap_or(5.0);
    let enabled = enabled && minutes > 0.0;
    Ok(ScreenLockFacts {
        desktop: "kde".into(),
        enabled,
        lock_after_s: enabled.then(|| (minutes * 60.0).round() as u32),
    })
}

/// `Autolock` and `Timeout` of the `[Daemon]` group of a KConfig file (kiosk markers such as
/// `[$i]` after a key or group are ignored).
fn daemon_keys(text: &str) -> serde_json::Map<String, Value> {
    let mut keys = serde_json::Map::new();
    let mut in_daemon = false;
    for line in text.lines().map(str::trim) {
        if let Some(group) = line.strip_prefix('[') {
            in_daemon = group.starts_with("Daemon]");
            continue;
        }
        if !in_daemon {
            continue;
        }
        if let Some((key, value)) = line.split_once('=') {
            let key = key.split('[').next().unwrap_or(key).trim();
            if key == "Autolock" || key == "Timeout" {
                keys.insert(key.to_string(), Value::String(value.trim().to_string()));
            }
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kde_keys_come_from_the_daemon_group_only() {
        let keys = daemon_keys("[Greeter]\nTimeout=99\n[Daemon]\nAutolock=false\nTimeout[$i]=10\n");
        assert_eq!(keys["Autolock"], "false");
        assert_eq!(keys["Timeout"], "10");
    }
}
