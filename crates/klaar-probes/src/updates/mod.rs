//! Updates waiting to be installed, from what the package system already knows (PackageKit's
//! cached metadata: never a refresh over the network), and whether a restart is needed to
//! finish earlier ones. Other systems: `Unsupported`.

#[cfg(target_os = "linux")]
mod linux;

crate::linux_only_probe!(
    Updates,
    UpdatesFacts,
    capture = |w, from, _| {
        linux::capture(w)?;
        w.answers(from, probe)
    }
);
