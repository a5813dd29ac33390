//! Whether the filesystems of `/` and of the home folder are encrypted: dm-crypt (LUKS, plain,
//! BitLocker, TrueCrypt/VeraCrypt through cryptsetup, also under LVM and btrfs), ZFS native
//! encryption, a home folder encrypted by fscrypt or eCryptfs, a systemd-homed LUKS home. Other
//! systems: `Unsupported` (no cross-platform crate tells).

#[cfg(target_os = "linux")]
mod linux;

crate::linux_only_probe!(
    DiskEncryption,
    DiskEncryptionFacts,
    capture = |w, from, _| {
        crate::block::capture(w)?;
        w.answers(from, probe)
    }
);
