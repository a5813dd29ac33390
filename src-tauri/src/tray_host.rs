//! Whether the desktop shows tray icons at all. GNOME without the AppIndicator extension shows
//! none: there, a Klaar that closes to the tray would vanish, so closing the window quits it.
//!
//! Linux has two kinds of tray: StatusNotifierItem (KDE, Xfce, Cinnamon, GNOME's extension),
//! present when `org.kde.StatusNotifierWatcher` on the session bus says a host registered; and
//! the older XEmbed tray (trayer, stalonetray, many panels), present when some program owns the
//! X selection `_NET_SYSTEM_TRAY_S<screen>`. The tray library Klaar uses falls back to XEmbed
//! when there is no watcher, so either counts. macOS and Windows always have one.

use std::time::Duration;

/// How long to wait for the session bus or the X server before saying "no tray".
pub const DEADLINE: Duration = Duration::from_millis(1000);

/// `true` when a tray host is there to show Klaar's icon.
#[cfg(target_os = "linux")]
pub fn present() -> bool {
    status_notifier_host() || xembed_tray()
}

#[cfg(not(target_os = "linux"))]
pub fn present() -> bool {
    true
}

/// The StatusNotifierWatcher answers and says a host (a panel that draws the icons) registered.
#[cfg(target_os = "linux")]
pub fn status_notifier_host() -> bool {
    let ask = || -> zbus::Result<bool> {
        let connection = zbus::blocking::connection::Builder::session()?
            .method_timeout(DEADLINE)
            .build()?;
        let watcher = zbus::blocking::Proxy::new(
            &connection,
            "org.kde.StatusNotifierWatcher",
            "/StatusNotifierWatcher",
            "org.kde.StatusNotifierWatcher",
        )?;
        watcher.get_property::<bool>("IsStatusNotifierHostRegistered")
    };
    ask().unwrap_or(false)
}

/// Some program owns the XEmbed tray selection of the default screen. Not asked in a Wayland
/// session: its panels show no XEmbed icons, and asking could start Xwayland for nothing.
#[cfg(target_os = "linux")]
pub fn xembed_tray() -> bool {
    if std::env::var("XDG_SESSION_TYPE").is_ok_and(|t| t == "wayland") {
        return false;
    }
    use x11rb::connection::Connection as _;
    use x11rb::protocol::xproto::ConnectionExt as _;
    let ask = || -> Option<bool> {
        let (connection, screen) = x11rb::connect(None).ok()?;
        let name = format!("_NET_SYSTEM_TRAY_S{screen}");
        let atom = connection
            .intern_atom(false, name.as_bytes())
            .ok()?
            .reply()
            .ok()?
            .atom;
        let owner = connection
            .get_selection_owner(atom)
            .ok()?
            .reply()
            .ok()?
            .owner;
        let _ = connection.flush();
        Some(owner != x11rb::NONE)
    };
    ask().unwrap_or(false)
}
