//! `/` and the mount holding the home folder, each followed down to its block devices
//! ([`crate::block`]). Two sources are not files: the home folder's own fscrypt flag
//! (`statx`, `STATX_ATTR_ENCRYPTED`) and a ZFS dataset's `encryption` property (`zfs get`);
//! both go through [`Root::ask`], so a capture replays them.

use crate::block::{Blocks, Mount, Protection};
use crate::root::Unanswered;
use crate::Root;
use klaar_facts::{DiskEncryptionFacts, ProbeError};
use serde_json::{json, Value};
use std::time::Duration;

/// How long `zfs get` may take.
const ZFS_DEADLINE: Duration = Duration::from_millis(1000);

pub fn probe(root: &Root) -> Result<DiskEncryptionFacts, ProbeError> {
    let blocks = Blocks::read(root)?;
    let home = root
        .ask("home folder", || {
            let path = std::env::var("HOME").map_err(|_| Unanswered::Absent)?;
            Ok(json!({ "path": path, "fscrypt": fscrypt(&path) }))
        })
        .unwrap_or(Value::Null);
    let home_path = home["path"].as_str().unwrap_or("/");
    let mut checked = vec!["/".to_string()];
    let mut verdicts = Vec::new();
    let root_mount = crate::block::mount_of(&blocks.mounts, "/")
        .ok_or_else(|| ProbeError::garbage(crate::block::MOUNTINFO, "no mount for /"))?;
    verdicts.push(("/".to_string(), protection(root, &blocks, root_mount)));
    if let Some(home_mount) = crate::block::mount_of(&blocks.mounts, home_path) {
        if home["fscrypt"] == Value::Bool(true) {
            checked.push(home_path.to_string());
            verdicts.push((
                home_path.to_string(),
                Protection::Encrypted(vec!["fscrypt".into()]),
            ));
        } else if home_mount.mount_point != "/" {
            checked.push(home_mount.mount_point.clone());
            verdicts.push((
                home_mount.mount_point.clone(),
                protection(root, &blocks, home_mount),
            ));
        }
    }
    let mut methods = Vec::new();
    let mut unencrypted = Vec::new();
    let mut undecided = Vec::new();
    for (point, verdict) in verdicts {
        match verdict {
            Protection::Encrypted(m) => methods.extend(m),
            Protection::Plain => unencrypted.push(point),
            Protection::Unknown => undecided.push(point),
        }
    }
    methods.dedup();
    Ok(DiskEncryptionFacts {
        checked,
        unencrypted,
        undecided,
        method: (!methods.is_empty()).then(|| methods.join("+")),
    })
}

/// One mount's protection: eCryptfs and ZFS by their filesystem, the rest by the devices.
fn protection(root: &Root, blocks: &Blocks, mount: &Mount) -> Protection {
    match mount.fs_type.as_str() {
        "ecryptfs" => Protection::Encrypted(vec!["ecryptfs".into()]),
        "zfs" => zfs(root, &mount.source),
        _ => {
            let devices = blocks.devices_of(mount);
            if devices.is_empty() {
                // tmpfs, overlay, a network filesystem: nothing on a disk of this computer.
                return if mount.source.starts_with("/dev/") {
                    Protection::Unknown
                } else {
                    Protection::Plain
                };
            }
            Protection::all(devices.iter().map(|d| blocks.protection(d)).collect())
        }
    }
}

/// A ZFS dataset's `encryption` property ("off" or a cipher), inherited from its encryption
/// root (openzfs-docs, "Native Encryption").
fn zfs(root: &Root, dataset: &str) -> Protection {
    let answer = root.ask(&format!("zfs get encryption {dataset}"), || {
        let out = crate::command::run(
            "zfs",
            &["get", "-H", "-o", "value", "encryption", dataset],
            &[0],
            ZFS_DEADLINE,
        )?;
        Ok(Value::String(out.trim().to_string()))
    });
    match answer.as_ref().ok().and_then(Value::as_str) {
        Some("off") => Protection::Plain,
        Some(cipher) if !cipher.is_empty() && cipher != "-" => {
            Protection::Encrypted(vec!["zfs".into()])
        }
        _ => Protection::Unknown,
    }
}

/// Whether the folder is encrypted by fscrypt (`STATX_ATTR_ENCRYPTED`); `None` when the
/// kernel does not say.
fn fscrypt(path: &str) -> Option<bool> {
    let c_path = std::ffi::CString::new(path).ok()?;
    // SAFETY: statx writes into the zeroed struct we own; the path is a valid C string.
    let mut buf: libc::statx = unsafe { std::mem::zeroed() };
    let rc = unsafe {
        libc::statx(
            libc::AT_FDCWD,
            c_path.as_ptr(),
            0,
            libc::STATX_BASIC_STATS,
            &mut buf,
        )
    };
    if rc != 0 {
        return None;
    }
    let bit = libc::STATX_ATTR_ENCRYPTED as u64;
    (buf.stx_attributes_mask & bit != 0).then_some(buf.stx_attributes & bit != 0)
}
