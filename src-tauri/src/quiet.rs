//! "Do not disturb" during an online meeting, off unless the person chose it
//! (`[reminders] do_not_disturb`), and only where it can be undone safely:
//!
//! - GNOME: `org.gnome.desktop.notifications show-banners` set to false, and back to true
//!   afterwards. Klaar notes that it switched the banners off in a file
//!   (`$XDG_STATE_HOME/klaar/banners-off`), so after a crash the next start switches them
//!   back on; banners the person switched off themselves are left alone.
//! - KDE Plasma: its notification server's `Inhibit` (Plasma's extension of the notification
//!   interface); the inhibition belongs to Klaar's bus connection and ends with it, also when
//!   Klaar crashes.
//! - Elsewhere the setting is not offered, and the window says why.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

/// How long Plasma may take to answer Inhibit or UnInhibit.
pub const DEADLINE: Duration = Duration::from_secs(3);

/// Which desktop's "do not disturb" Klaar can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Gnome,
    Kde,
    /// Neither: the locale key of the reason.
    Unavailable(&'static str),
}

/// The switch, and whether Klaar holds "do not disturb" on now.
pub struct Quiet {
    kind: Kind,
    held: Mutex<Held>,
}

#[derive(Default)]
struct Held {
    on: bool,
    /// KDE: the connection the inhibition belongs to, and its cookie.
    kde: Option<(zbus::blocking::Connection, u32)>,
}

impl Quiet {
    /// Looks at the desktop (`XDG_CURRENT_DESKTOP`) and what it offers.
    pub fn detect() -> Quiet {
        let desktops = std::env::var("XDG_CURRENT_DESKTOP").unwrap_or_default();
        let is = |name: &str| desktops.split(':').any(|d| d.eq_ignore_ascii_case(name));
        let kind = if is("GNOME") || is("Unity") {
            if gnome::available() {
                Kind::Gnome
            } else {
                Kind::Unavailable("ui.dnd_no_schema")
            }
        } else if is("KDE") {
            Kind::Kde
        } else {
            Kind::Unavailable("ui.dnd_other_desktop")
        };
        Quiet {
            kind,
            held: Mutex::default(),
        }
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// After a crash during a meeting: banners Klaar switched off are switched on again.
    pub fn restore_after_crash(&self) {
        if self.kind == Kind::Gnome && marker().is_some_and(|m| m.exists()) {
            gnome::set_banners(true);
        }
    }

    /// Holds "do not disturb" on or lets it go; does nothing when it already is so. `reason`
    /// is what Plasma shows as the reason, in the person's language.
    pub fn hold(&self, on: bool, reason: &str) {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        if held.on == on {
            return;
        }
        held.on = on;
        match (self.kind, on) {
            (Kind::Gnome, true) => {
                // Only banners that are on are Klaar's to switch off (and back on).
                if gnome::banners_on() {
                    gnome::set_banners(false);
                }
            }
            (Kind::Gnome, false) => {
                if marker().is_some_and(|m| m.exists()) {
                    gnome::set_banners(true);
                }
            }
            (Kind::Kde, true) => held.kde = kde_inhibit(reason).ok(),
            (Kind::Kde, false) => {
                if let Some((connection, cookie)) = held.kde.take() {
                    let _ = connection.call_method(
                        Some("org.freedesktop.Notifications"),
                        "/org/freedesktop/Notifications",
                        Some("org.freedesktop.Notifications"),
                        "UnInhibit",
                        &(cookie,),
                    );
                }
            }
            (Kind::Unavailable(_), _) => {}
        }
    }
}

/// GNOME's switch, through GSettings (the person's own settings backend: dconf, or another).
#[cfg(target_os = "linux")]
mod gnome {
    const SCHEMA: &str = "org.gnome.desktop.notifications";
    const KEY: &str = "show-banners";

    /// Whether the schema is installed.
    pub fn available() -> bool {
        schema().is_some()
    }

    /// Whether banners show now.
    pub fn banners_on() -> bool {
        use gio::prelude::SettingsExt;
        settings().is_some_and(|s| s.boolean(KEY))
    }

    fn schema() -> Option<gio::SettingsSchema> {
        gio::SettingsSchemaSource::default()?
            .lookup(SCHEMA, true)
            .filter(|s| s.has_key(KEY))
    }

    /// GNOME's notification settings; `None` without the schema (then `gio::Settings::new` would
    /// abort the process).
    fn settings() -> Option<gio::Settings> {
        schema()?;
        Some(gio::Settings::new(SCHEMA))
    }

    /// Sets GNOME's banners, and notes (or forgets) that Klaar switched them off.
    pub fn set_banners(on: bool) {
        use gio::prelude::SettingsExt;
        let Some(settings) = settings() else {
            return;
        };
        let marker = super::marker();
        if let Some(marker) = marker.as_ref().filter(|_| !on) {
            // Noted before switching off: a crash right after still finds it.
            if let Some(dir) = marker.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let _ = std::fs::write(marker, "show-banners was switched off by Klaar\n");
        }
        let _ = settings.set_boolean(KEY, on);
        gio::Settings::sync();
        if let Some(marker) = marker.filter(|_| on) {
            // Forgotten only once switched back on.
            let _ = std::fs::remove_file(marker);
        }
    }
}

/// Elsewhere GNOME's settings are not there.
#[cfg(not(target_os = "linux"))]
mod gnome {
    pub fn available() -> bool {
        false
    }
    pub fn banners_on() -> bool {
        false
    }
    pub fn set_banners(_on: bool) {}
}

/// `$XDG_STATE_HOME/klaar/banners-off`, else `~/.local/state/klaar/banners-off`.
fn marker() -> Option<PathBuf> {
    Some(crate::settings::klaar_dir(crate::settings::BaseDir::State)?.join("banners-off"))
}

/// Plasma's `Inhibit(desktop_entry, reason, hints) → cookie` on a connection of its own.
fn kde_inhibit(reason: &str) -> zbus::Result<(zbus::blocking::Connection, u32)> {
    let connection = zbus::blocking::connection::Builder::session()?
        .method_timeout(DEADLINE)
        .build()?;
    let hints: std::collections::HashMap<&str, zbus::zvariant::Value> = Default::default();
    let reply = connection.call_method(
        Some("org.freedesktop.Notifications"),
        "/org/freedesktop/Notifications",
        Some("org.freedesktop.Notifications"),
        "Inhibit",
        &("klaar", reason, hints),
    )?;
    let cookie: u32 = reply.body().deserialize()?;
    Ok((connection, cookie))
}
