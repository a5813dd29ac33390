//! The security of the Wi-Fi network in use: NetworkManager over D-Bus, else iwd. Never the
//! network's name. Other systems: `Unsupported` (no cross-platform crate tells).

#[cfg(target_os = "linux")]
mod linux;

#[cfg(target_os = "linux")]
pub use linux::classify;

crate::linux_only_probe!(
    WifiSecurity,
    WifiSecurityFacts,
    capture = |w, from, _| w.answers(from, probe)
);
