//! Updates waiting to be installed, from what the package systems already know (PackageKit,
//! else apt's or dnf's cache; Flatpak's cached summaries: never a refresh over the network),
//! and whether a restart is needed to finish earlier ones. Other systems: `Unsupported`.

#[cfg(target_os = "linux")]
mod apt;
#[cfg(target_os = "linux")]
mod dnf;
#[cfg(target_os = "linux")]
mod flatpak;
#[cfg(all(target_os = "linux", any(test, feature = "test-fixtures")))]
pub mod flatpak_fixture;
#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
mod packagekit;

crate::linux_only_probe!(
    Updates,
    UpdatesFacts,
    capture = |w, from, _| {
        linux::capture(w)?;
        w.answers(from, probe)
    }
);
