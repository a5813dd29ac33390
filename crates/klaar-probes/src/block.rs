//! Mounted filesystems and the block devices under them, read from `/proc/self/mountinfo` and
//! sysfs (`/sys/dev/block`, `/sys/class/block`, `/sys/fs/btrfs`), for the disk-encryption and
//! USB-storage probes. Everything is read below a [`Root`], so a capture replays.
//!
//! Pitfalls handled (from util-linux, cryptsetup and bug reports of disk tools):
//! - btrfs (and other filesystems with several devices) report an anonymous `0:NN` device in
//!   mountinfo (util-linux#2349, btop#1270): the device is found from the mount source
//!   (`/dev/mapper/NAME` → the dm device of that name) or from the btrfs filesystem's own list
//!   of member devices, and a filesystem counts as encrypted only if every member is.
//! - cryptsetup names every mapping `CRYPT-<TYPE>-…` (`dm_prepare_uuid`), dm-verity and
//!   dm-integrity too, which encrypt nothing; `SUBDEV` and `TEMP` are helper devices.
//! - Stacks (LVM on LUKS, LUKS on a loop file) are followed down `slaves/`; a loop device's
//!   backing file counts as encrypted when the filesystem holding it is.

use crate::Root;
use std::path::{Path, PathBuf};

/// One line of mountinfo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub major: u32,
    pub minor: u32,
    pub mount_point: String,
    pub fs_type: String,
    pub source: String,
}

/// Where mountinfo is read from.
pub const MOUNTINFO: &str = "proc/self/mountinfo";

/// The mounts of `mountinfo`'s text, in its order; lines that do not parse are skipped.
pub fn parse_mountinfo(text: &str) -> Vec<Mount> {
    text.lines()
        .filter_map(|line| {
            let (before, after) = line.split_once(" - ")?;
            let fields: Vec<&str> = before.split(' ').collect();
            let (major, minor) = fields.get(2)?.split_once(':')?;
            let mut after = after.split(' ');
            Some(Mount {
                major: major.parse().ok()?,
                minor: minor.parse().ok()?,
                mount_point: unescape(fields.get(4)?),
                fs_type: after.next()?.to_string(),
                source: unescape(after.next()?),
            })
        })
        .collect()
}

/// mountinfo writes space, tab, newline and backslash as `\040`-style octal escapes.
fn unescape(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && i + 4 <= bytes.len() {
            if let Some(n) = std::str::from_utf8(&bytes[i + 1..i + 4])
                .ok()
                .and_then(|digits| u8::from_str_radix(digits, 8).ok())
            {
                out.push(n);
                i += 4;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The mounts under `root`, or why they cannot be read.
pub fn mounts(root: &Root) -> Result<Vec<Mount>, klaar_facts::ProbeError> {
    let path = root.join(MOUNTINFO);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| klaar_facts::ProbeError::from_io(path.display().to_string(), &e))?;
    Ok(parse_mountinfo(&text))
}

/// The mount holding `path`: the last mount whose mount point is `path` or a parent folder of
/// it (later lines cover earlier ones).
pub fn mount_of<'m>(mounts: &'m [Mount], path: &str) -> Option<&'m Mount> {
    let path = Path::new(path);
    mounts
        .iter()
        .filter(|m| path.starts_with(&m.mount_point))
        .max_by_key(|m| Path::new(&m.mount_point).components().count())
        .and_then(|best| {
            // Among equally deep mounts on the same point, the last one is on top.
            mounts
                .iter()
                .rev()
                .find(|m| m.mount_point == best.mount_point)
        })
}

/// How a block device stack protects its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Protection {
    /// Encrypted, by these methods ("luks2", "bitlk"…).
    Encrypted(Vec<String>),
    Plain,
    /// The device could not be followed (a name that is not in sysfs, a stack too deep).
    Unknown,
}

impl Protection {
    /// Several devices together: encrypted only if every one is (their methods merged), plain
    /// if any is plain, else unknown; no devices at all is unknown.
    pub fn all(parts: Vec<Protection>) -> Protection {
        if parts.is_empty() {
            return Protection::Unknown;
        }
        if parts.contains(&Protection::Plain) {
            return Protection::Plain;
        }
        let mut methods = Vec::new();
        for part in parts {
            match part {
                Protection::Encrypted(m) => methods.extend(m),
                _ => return Protection::Unknown,
            }
        }
        methods.sort();
        methods.dedup();
        Protection::Encrypted(methods)
    }
}

/// Block devices and mounts below one root.
pub struct Blocks<'r> {
    root: &'r Root,
    pub mounts: Vec<Mount>,
}

impl<'r> Blocks<'r> {
    pub fn read(root: &'r Root) -> Result<Self, klaar_facts::ProbeError> {
        Ok(Blocks {
            root,
            mounts: mounts(root)?,
        })
    }

    /// The sysfs directories (`sys/devices/…/block/sda/sda2`, relative to the root) of the
    /// devices a mount lives on: one, or each member of a multi-device btrfs.
    pub fn devices_of(&self, mount: &Mount) -> Vec<PathBuf> {
        if mount.major != 0 {
            let link = format!("sys/dev/block/{}:{}", mount.major, mount.minor);
            return self.real(&link).into_iter().collect();
        }
        // An anonymous device (btrfs): the source names one member.
        let Some(first) = self.named(&mount.source) else {
            return Vec::new();
        };
        if mount.fs_type == "btrfs" {
            let members = self.btrfs_members(&first);
            if !members.is_empty() {
                return members;
            }
        }
        vec![first]
    }

    /// A mount source's device: `/dev/mapper/NAME` (the dm device whose `dm/name` is NAME),
    /// `/dev/dm-N`, `/dev/sda2`, `/dev/nvme0n1p2`.
    fn named(&self, source: &str) -> Option<PathBuf> {
        let name = source.strip_prefix("/dev/")?;
        if let Some(mapped) = name.strip_prefix("mapper/") {
            let block = self.root.join("sys/class/block");
            return crate::sysfs::list_dir(&block)
                .ok()?
                .into_iter()
                .filter(|d| d.starts_with("dm-"))
                .find(|d| {
                    self.text(&format!("sys/class/block/{d}/dm/name"))
                        .as_deref()
                        == Some(mapped)
                })
                .and_then(|d| self.real(&format!("sys/class/block/{d}")));
        }
        self.real(&format!("sys/class/block/{name}"))
    }

    /// The members of the btrfs filesystem that has `device` among its members.
    fn btrfs_members(&self, device: &Path) -> Vec<PathBuf> {
        let name = device.file_name().map(|n| n.to_string_lossy().into_owned());
        let fs = self.root.join("sys/fs/btrfs");
        for fsid in crate::sysfs::list_dir(&fs).unwrap_or_default() {
            let dir = format!("sys/fs/btrfs/{fsid}/devices");
            let members = crate::sysfs::list_dir(&self.root.join(&dir)).unwrap_or_default();
            if name.as_ref().is_some_and(|n| members.contains(n)) {
                return members
                    .iter()
                    .filter_map(|m| self.real(&format!("sys/class/block/{m}")))
                    .collect();
            }
        }
        Vec::new()
    }

    /// Follows a link below the root to its real directory, relative to the root.
    fn real(&self, rel: &str) -> Option<PathBuf> {
        let base = std::fs::canonicalize(self.root.path()).ok()?;
        let real = std::fs::canonicalize(self.root.join(rel)).ok()?;
        real.strip_prefix(&base).ok().map(Path::to_path_buf)
    }

    fn text(&self, rel: &str) -> Option<String> {
        crate::sysfs::read_opt(&self.root.join(rel)).ok().flatten()
    }

    /// How the device at `dir` (a sysfs directory relative to the root) protects its data.
    pub fn protection(&self, dir: &Path) -> Protection {
        self.protection_at(dir, 0)
    }

    fn protection_at(&self, dir: &Path, depth: usize) -> Protection {
        // Real stacks are a few levels deep; a loop in a made-up tree must not hang.
        if depth > 16 {
            return Protection::Unknown;
        }
        let file = |name: &str| self.text(&dir.join(name).to_string_lossy());
        if let Some(uuid) = file("dm/uuid") {
            if let Some(kind) = uuid
                .strip_prefix("CRYPT-")
                .and_then(|r| r.split('-').next())
            {
                match kind {
                    "LUKS1" | "LUKS2" | "PLAIN" | "LOOPAES" | "TCRYPT" | "BITLK" | "FVAULT2" => {
                        return Protection::Encrypted(vec![kind.to_ascii_lowercase()]);
                    }
                    // VERITY, INTEGRITY, SUBDEV, TEMP: encrypt nothing themselves.
                    _ => {}
                }
            }
        }
        // VeraCrypt's own mappings carry no CRYPT- uuid (VeraCrypt#1178).
        if file("dm/name").is_some_and(|n| n.starts_with("veracrypt")) {
            return Protection::Encrypted(vec!["veracrypt".into()]);
        }
        let slaves_dir = self.root.join(dir).join("slaves");
        let slaves = crate::sysfs::list_dir(&slaves_dir).unwrap_or_default();
        if !slaves.is_empty() {
            let parts = slaves
                .iter()
                .map(
                    |s| match self.real(&dir.join("slaves").join(s).to_string_lossy()) {
                        Some(below) => self.protection_at(&below, depth + 1),
                        None => Protection::Unknown,
                    },
                )
                .collect();
            return Protection::all(parts);
        }
        // A loop device: its data is as safe as the filesystem holding its backing file.
        if let Some(file) = file("loop/backing_file") {
            return match mount_of(&self.mounts, &file) {
                Some(m) => Protection::all(
                    self.devices_of(m)
                        .iter()
                        .map(|d| self.protection_at(d, depth + 1))
                        .collect(),
                ),
                None => Protection::Unknown,
            };
        }
        Protection::Plain
    }

    /// Whether the device at `dir`, or one below it, is USB storage, a removable disk or an SD
    /// card (`removable` is 0 for many USB SSDs, so the USB path decides first).
    pub fn removable(&self, dir: &Path) -> bool {
        self.removable_at(dir, 0)
    }

    fn removable_at(&self, dir: &Path, depth: usize) -> bool {
        if depth > 16 {
            return false;
        }
        let path = dir.to_string_lossy();
        if path.split('/').any(|part| part.starts_with("usb")) {
            return true;
        }
        // A partition's disk is the directory above it.
        let disk = if self.root.join(dir).join("partition").exists() {
            dir.parent().unwrap_or(dir)
        } else {
            dir
        };
        let flag = self.text(&disk.join("removable").to_string_lossy());
        let sd_card = self
            .text(&disk.join("device/type").to_string_lossy())
            .as_deref()
            == Some("SD");
        if flag.as_deref() == Some("1") || sd_card {
            return true;
        }
        let slaves =
            crate::sysfs::list_dir(&self.root.join(dir).join("slaves")).unwrap_or_default();
        slaves.iter().any(|s| {
            self.real(&dir.join("slaves").join(s).to_string_lossy())
                .is_some_and(|below| self.removable_at(&below, depth + 1))
        })
    }
}

/// Copies what [`Blocks`] reads: mountinfo, the block devices' links and the files named
/// above, and the btrfs member lists.
pub fn capture(w: &crate::capture::Writer) -> Result<(), crate::capture::CaptureError> {
    w.file(Path::new(MOUNTINFO))?;
    for class in ["sys/class/block", "sys/dev/block"] {
        for name in crate::sysfs::list_dir(&w.from.join(class)).unwrap_or_default() {
            let dir = w.class_entry(class, &name)?;
            for file in [
                "dev",
                "partition",
                "removable",
                "dm/name",
                "dm/uuid",
                "loop/backing_file",
                "device/type",
            ] {
                w.file(&dir.join(file))?;
            }
            for slave in
                crate::sysfs::list_dir(&w.from.join(&dir).join("slaves")).unwrap_or_default()
            {
                w.link(&dir.join("slaves").join(slave))?;
            }
        }
    }
    for fsid in crate::sysfs::list_dir(&w.from.join("sys/fs/btrfs")).unwrap_or_default() {
        let dir = Path::new("sys/fs/btrfs").join(fsid).join("devices");
        for member in crate::sysfs::list_dir(&w.from.join(&dir)).unwrap_or_default() {
            w.link(&dir.join(member))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mountinfo_lines_parse_with_escapes_and_optional_fields() {
        let text = "\
22 1 253:1 / / rw,relatime shared:1 - ext4 /dev/mapper/vg-root rw
40 22 0:45 /@home /home rw shared:30 master:2 - btrfs /dev/mapper/luks-1 rw,ssd
41 22 8:17 / /media/anna/MY\\040STICK rw,nosuid - vfat /dev/sdb1 rw
garbage line
";
        let mounts = parse_mountinfo(text);
        assert_eq!(mounts.len(), 3);
        assert_eq!(mounts[1].fs_type, "btrfs");
        assert_eq!((mounts[1].major, mounts[1].minor), (0, 45));
        assert_eq!(mounts[2].mount_point, "/media/anna/MY STICK");
        assert_eq!(
            mount_of(&mounts, "/home/anna").unwrap().mount_point,
            "/home"
        );
        assert_eq!(mount_of(&mounts, "/homeless").unwrap().mount_point, "/");
    }
}
