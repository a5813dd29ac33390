//! USB sticks, USB disks, SD cards and other removable storage mounted now, and whether each
//! is encrypted. Other systems: `Unsupported` (no cross-platform crate tells encryption).

#[cfg(target_os = "linux")]
mod linux {
    use crate::Root;
    use klaar_facts::{ProbeError, UsbStorageFacts};

    /// Every mount whose devices are removable ([`crate::block::Blocks::removable`]), once per
    /// device, leaving out read-only media formats (CD/DVD images, installer sticks' squashfs) and
    /// the system's own mounts (a computer started from a stick).
    pub fn probe(root: &Root) -> Result<UsbStorageFacts, ProbeError> {
        use crate::block::{Blocks, Protection};
        let blocks = Blocks::read(root)?;
        let mut facts = UsbStorageFacts::default();
        let mut seen = std::collections::HashSet::new();
        for mount in &blocks.mounts {
            if matches!(mount.fs_type.as_str(), "iso9660" | "udf" | "squashfs")
                || matches!(
                    mount.mount_point.as_str(),
                    "/" | "/boot" | "/boot/efi" | "/efi"
                )
            {
                continue;
            }
            let devices = blocks.devices_of(mount);
            if devices.is_empty() || !devices.iter().any(|d| blocks.removable(d)) {
                continue;
            }
            if !seen.insert(devices.clone()) {
                continue;
            }
            let encrypted = devices
                .iter()
                .all(|d| matches!(blocks.protection(d), Protection::Encrypted(_)));
            if encrypted {
                facts.encrypted.push(mount.mount_point.clone());
            } else {
                facts.unencrypted.push(mount.mount_point.clone());
            }
        }
        Ok(facts)
    }
}

crate::linux_only_probe!(
    UsbStorage,
    UsbStorageFacts,
    capture = |w, _, _| crate::block::capture(w)
);
