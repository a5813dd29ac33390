//! Whether the screen locks itself when nobody uses the computer, and after how long: GNOME
//! (and desktops built on its settings) through GSettings, KDE Plasma through
//! `kscreenlockerrc`. Other desktops and systems: cannot tell, with the reason.

#[cfg(target_os = "linux")]
mod linux;

crate::linux_only_probe!(
    ScreenLock,
    ScreenLockFacts,
    capture = |w, from, _| w.answers(from, probe)
);
