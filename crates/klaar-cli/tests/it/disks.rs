//! Disk encryption and USB storage on machines written as the kernel shows them (mountinfo and
//! the block devices' sysfs entries, links included), replayed through `KLAAR_ROOT`; and a real
//! loop-mounted filesystem in a mount namespace of the test's own.
//!
//! The machines are the layouts that tools reading the same files get wrong (util-linux#2349,
//! btop#1270, criu#1692: btrfs's anonymous device; cryptsetup's `CRYPT-VERITY` and
//! `CRYPT-INTEGRITY` mappings, which encrypt nothing; VeraCrypt#1178: mappings without a
//! `CRYPT-` uuid; USB SSDs whose `removable` is 0) and the usual ones (LVM on LUKS, ZFS,
//! fscrypt, systemd-homed).

use crate::util::{check_json, item};
use serde_json::{json, Value};
use std::path::{Component, Path, PathBuf};

/// A made machine: files and links below a temporary root.
struct Tree {
    dir: tempfile::TempDir,
}

const NVME: &str = "sys/devices/pci0000:00/0000:00:1d.0/0000:3d:00.0/nvme/nvme0/nvme0n1";
const USB_DISK: &str =
    "sys/devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host0/target0:0:0/0:0:0:0/block/sda";
const USB_DISK_2: &str =
    "sys/devices/pci0000:00/0000:00:14.0/usb2/2-2/2-2:1.0/host1/target1:0:0/1:0:0:0/block/sdb";
const SD_CARD: &str = "sys/devices/pci0000:00/0000:00:14.5/mmc_host/mmc0/mmc0:aaaa";

impl Tree {
    fn new(mountinfo: &str) -> Tree {
        let tree = Tree {
            dir: tempfile::tempdir().unwrap(),
        };
        tree.file("proc/self/mountinfo", mountinfo);
        tree
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn file(&self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, format!("{text}\n")).unwrap();
    }

    /// A relative link at `rel` to `target` (both relative to the root), as sysfs has them.
    fn link(&self, rel: &str, target: &str) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(relative(Path::new(rel).parent().unwrap(), target), path)
            .unwrap();
    }

    /// A block device at `devpath` with its class and dev links, files and lower devices.
    fn block(&self, devpath: &str, dev: &str, files: &[(&str, &str)], slaves: &[&str]) {
        let name = Path::new(devpath).file_name().unwrap().to_str().unwrap();
        std::fs::create_dir_all(self.root().join(devpath)).unwrap();
        self.file(&format!("{devpath}/dev"), dev);
        for (file, text) in files {
            self.file(&format!("{devpath}/{file}"), text);
        }
        for slave in slaves {
            let below = Path::new(slave).file_name().unwrap().to_str().unwrap();
            self.link(&format!("{devpath}/slaves/{below}"), slave);
        }
        self.link(&format!("sys/class/block/{name}"), devpath);
        self.link(&format!("sys/dev/block/{dev}"), devpath);
    }

    /// The built-in NVMe disk with these partitions; their sysfs paths.
    fn nvme(&self, partitions: &[u32]) -> Vec<String> {
        self.block(NVME, "259:0", &[("removable", "0")], &[]);
        partitions
            .iter()
            .map(|n| {
                let part = format!("{NVME}/nvme0n1p{n}");
                self.block(
                    &part,
                    &format!("259:{n}"),
                    &[("partition", &n.to_string())],
                    &[],
                );
                part
            })
            .collect()
    }

    /// A device-mapper device `dm-N` with this name and uuid over the lower devices.
    fn dm(&self, n: u32, name: &str, uuid: &str, lower: &[&str]) -> String {
        let path = format!("sys/devices/virtual/block/dm-{n}");
        self.block(
            &path,
            &format!("253:{n}"),
            &[("dm/name", name), ("dm/uuid", uuid)],
            lower,
        );
        path
    }

    fn answers(&self, answers: Value) {
        self.file("klaar/answers.json", &answers.to_string());
    }

    fn report(&self) -> Value {
        check_json(
            Some(self.root()),
            &["--only", "disk_encryption,usb_storage"],
        )
        .0
    }
}

/// `target` relative to the folder `from` (both relative to the same root).
fn relative(from: &Path, target: &str) -> PathBuf {
    let up = from
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .count();
    let mut out = PathBuf::new();
    for _ in 0..up {
        out.push("..");
    }
    out.join(target)
}

fn home(path: &str, fscrypt: bool) -> Value {
    json!({ "home folder": { "value": { "path": path, "fscrypt": fscrypt } } })
}

fn mountinfo(lines: &[(&str, &str, &str, &str)]) -> String {
    lines
        .iter()
        .enumerate()
        .map(|(i, (dev, point, fs, source))| {
            format!(
                "{} 1 {dev} / {point} rw,relatime shared:1 - {fs} {source} rw\n",
                20 + i
            )
        })
        .collect()
}

fn disk(report: &Value) -> (String, Value) {
    let item = item(report, "disk_encryption");
    (
        item["status"].as_str().unwrap().to_string(),
        item["facts"].clone(),
    )
}

#[test]
fn lvm_on_luks_is_encrypted_all_the_way_down() {
    let tree = Tree::new(&mountinfo(&[
        ("253:1", "/", "ext4", "/dev/mapper/vg-root"),
        ("253:2", "/home", "ext4", "/dev/mapper/vg-home"),
        ("259:2", "/boot", "ext4", "/dev/nvme0n1p2"),
    ]));
    let part = tree.nvme(&[3]).remove(0);
    let crypt = "sys/devices/virtual/block/dm-0";
    tree.block(
        crypt,
        "253:0",
        &[
            ("dm/name", "luks-5e3c"),
            (
                "dm/uuid",
                "CRYPT-LUKS2-5e3c9d0a1b2c4d5e8f90a1b2c3d4e5f6-luks-5e3c",
            ),
        ],
        &[&part],
    );
    for (n, lv) in [(1, "root"), (2, "home")] {
        tree.block(
            &format!("sys/devices/virtual/block/dm-{n}"),
            &format!("253:{n}"),
            &[("dm/name", &format!("vg-{lv}")), ("dm/uuid", "LVM-abcdef")],
            &[crypt],
        );
    }
    tree.answers(home("/home/anna", false));
    let report = tree.report();
    let (status, facts) = disk(&report);
    assert_eq!(status, "pass", "{facts:#}");
    assert_eq!(facts["method"], "luks2");
    assert_eq!(facts["checked"], json!(["/", "/home"]));
    assert_eq!(item(&report, "usb_storage")["status"], "pass");
}

#[test]
fn btrfs_on_luks_is_found_through_its_anonymous_device() {
    // mountinfo says 0:NN for btrfs; the source and the filesystem's member list lead on.
    let tree = Tree::new(&mountinfo(&[
        ("0:31", "/", "btrfs", "/dev/mapper/luks-root"),
        ("0:31", "/home", "btrfs", "/dev/mapper/luks-root"),
    ]));
    let part = tree.nvme(&[2]).remove(0);
    let crypt = "sys/devices/virtual/block/dm-0";
    tree.block(
        crypt,
        "253:0",
        &[
            ("dm/name", "luks-root"),
            ("dm/uuid", "CRYPT-LUKS1-77aa-luks-root"),
        ],
        &[&part],
    );
    tree.link(
        "sys/fs/btrfs/9b1c2d3e-0000-4000-8000-1234567890ab/devices/dm-0",
        crypt,
    );
    tree.answers(home("/home/anna", false));
    let (status, facts) = disk(&tree.report());
    assert_eq!(status, "pass", "{facts:#}");
    assert_eq!(facts["method"], "luks1");
    assert_eq!(facts["encrypted"], true);
}

#[test]
fn a_btrfs_with_one_plain_member_is_not_encrypted() {
    let tree = Tree::new(&mountinfo(&[("0:40", "/", "btrfs", "/dev/mapper/luks-a")]));
    let parts = tree.nvme(&[2, 3]);
    let (p2, p3) = (parts[0].as_str(), parts[1].as_str());
    let crypt = tree.dm(0, "luks-a", "CRYPT-LUKS2-aa-luks-a", &[p2]);
    let fs = "sys/fs/btrfs/11111111-2222-4333-8444-555555555555/devices";
    tree.link(&format!("{fs}/dm-0"), &crypt);
    tree.link(&format!("{fs}/nvme0n1p3"), p3);
    tree.answers(home("/home/anna", false));
    let (status, facts) = disk(&tree.report());
    assert_eq!(status, "fail", "{facts:#}");
    assert_eq!(facts["mounts"], json!(["/"]));
}

#[test]
fn verity_and_integrity_mappings_encrypt_nothing() {
    // An image-based system: a dm-verity root, and /home on dm-integrity alone.
    let tree = Tree::new(&mountinfo(&[
        ("253:0", "/", "erofs", "/dev/mapper/root"),
        ("253:1", "/home", "ext4", "/dev/mapper/home"),
    ]));
    let parts = tree.nvme(&[2, 3]);
    let (p2, p3) = (parts[0].as_str(), parts[1].as_str());
    tree.block(
        "sys/devices/virtual/block/dm-0",
        "253:0",
        &[
            ("dm/name", "root"),
            ("dm/uuid", "CRYPT-VERITY-0c1d2e3f-root"),
        ],
        &[p2],
    );
    tree.block(
        "sys/devices/virtual/block/dm-1",
        "253:1",
        &[
            ("dm/name", "home"),
            ("dm/uuid", "CRYPT-INTEGRITY-4a5b-home"),
        ],
        &[p3],
    );
    tree.answers(home("/home/anna", false));
    let (status, facts) = disk(&tree.report());
    assert_eq!(status, "fail", "{facts:#}");
    assert_eq!(facts["mounts"], json!(["/", "/home"]));
    assert_eq!(facts["encrypted"], false);
}

#[test]
fn luks2_with_integrity_is_encrypted() {
    // LUKS2 with authenticated encryption: the crypt mapping sits on a SUBDEV integrity one.
    let tree = Tree::new(&mountinfo(&[("253:1", "/", "ext4", "/dev/mapper/cr")]));
    let part = tree.nvme(&[2]).remove(0);
    let sub = tree.dm(0, "cr_dif", "CRYPT-SUBDEV-aa-cr_dif", &[&part]);
    tree.dm(1, "cr", "CRYPT-LUKS2-aa-cr", &[&sub]);
    tree.answers(home("/root", false));
    assert_eq!(disk(&tree.report()).0, "pass");
}

#[test]
fn zfs_asks_the_dataset_and_says_when_it_cannot() {
    let tree = Tree::new(&mountinfo(&[
        ("0:45", "/", "zfs", "rpool/ROOT/ubuntu_x1"),
        ("0:46", "/home/anna", "zfs", "rpool/USERDATA/anna_x1"),
    ]));
    let mut answers = home("/home/anna", false);
    answers["zfs get encryption rpool/ROOT/ubuntu_x1"] = json!({ "value": "aes-256-gcm" });
    answers["zfs get encryption rpool/USERDATA/anna_x1"] = json!({ "value": "aes-256-gcm" });
    tree.answers(answers.clone());
    let (status, facts) = disk(&tree.report());
    assert_eq!(status, "pass", "{facts:#}");
    assert_eq!(facts["method"], "zfs");

    answers["zfs get encryption rpool/USERDATA/anna_x1"] = json!({ "value": "off" });
    tree.answers(answers.clone());
    let (status, facts) = disk(&tree.report());
    assert_eq!(status, "fail", "{facts:#}");
    assert_eq!(facts["mounts"], json!(["/home/anna"]));

    // `zfs` not installed: cannot tell, and the item says so rather than guess.
    answers["zfs get encryption rpool/USERDATA/anna_x1"] = json!({ "unanswered": "absent" });
    tree.answers(answers);
    let report = tree.report();
    let (status, facts) = disk(&report);
    assert_eq!(status, "unknown", "{facts:#}");
    assert_eq!(facts["encrypted"], Value::Null);
}

#[test]
fn an_encrypted_home_folder_on_a_plain_disk_protects_the_persons_files() {
    // fscrypt on the home folder itself.
    let tree = Tree::new(&mountinfo(&[("259:2", "/", "ext4", "/dev/nvme0n1p2")]));
    tree.nvme(&[2]);
    tree.answers(home("/home/anna", true));
    let report = tree.report();
    let (status, facts) = disk(&report);
    assert_eq!(status, "pass", "{facts:#}");
    assert_eq!(facts["method"], "fscrypt");
    assert_eq!(facts["mounts"], json!(["/"]));
    let detail = item(&report, "disk_encryption")["detail"].as_str().unwrap();
    assert!(detail.contains("home folder is encrypted"), "{detail}");

    // systemd-homed: the home is a LUKS2 image on a loop device, mounted over the home folder.
    let tree = Tree::new(&mountinfo(&[
        ("259:2", "/", "ext4", "/dev/nvme0n1p2"),
        ("253:0", "/home/anna", "ext4", "/dev/mapper/home-anna"),
    ]));
    tree.nvme(&[2]);
    let loop_dev = "sys/devices/virtual/block/loop0";
    tree.block(
        loop_dev,
        "7:0",
        &[("loop/backing_file", "/home/anna.home")],
        &[],
    );
    tree.block(
        "sys/devices/virtual/block/dm-0",
        "253:0",
        &[
            ("dm/name", "home-anna"),
            ("dm/uuid", "CRYPT-LUKS2-bb-home-anna"),
        ],
        &[loop_dev],
    );
    tree.answers(home("/home/anna", false));
    let (status, facts) = disk(&tree.report());
    assert_eq!(status, "pass", "{facts:#}");
    assert_eq!(facts["checked"], json!(["/", "/home/anna"]));
    assert_eq!(facts["method"], "luks2");
}

#[test]
fn a_plain_disk_fails_and_names_what_is_not_encrypted() {
    let tree = Tree::new(&mountinfo(&[("259:2", "/", "ext4", "/dev/nvme0n1p2")]));
    tree.nvme(&[2]);
    tree.answers(home("/home/anna", false));
    let report = tree.report();
    let (status, facts) = disk(&report);
    assert_eq!(status, "fail");
    assert_eq!(facts["encrypted"], false);
    let details = item(&report, "disk_encryption")["details"].to_string();
    assert!(details.contains("Not encrypted: /"), "{details}");
}

#[test]
fn usb_sticks_sd_cards_and_usb_ssds_are_found_and_judged() {
    let tree = Tree::new(&mountinfo(&[
        ("259:2", "/", "ext4", "/dev/nvme0n1p2"),
        ("8:1", "/media/anna/STICK", "vfat", "/dev/sda1"),
        ("253:5", "/media/anna/SAFE", "ext4", "/dev/mapper/luks-usb"),
        ("179:1", "/media/anna/CAMERA", "exfat", "/dev/mmcblk0p1"),
        (
            "11:0",
            "/media/anna/Ubuntu\\04024.04",
            "iso9660",
            "/dev/sr0",
        ),
        ("259:3", "/data", "ext4", "/dev/nvme0n1p3"),
        ("8:1", "/mnt/again", "vfat", "/dev/sda1"),
    ]));
    tree.nvme(&[2]);
    tree.block(
        &format!("{NVME}/nvme0n1p3"),
        "259:3",
        &[("partition", "3")],
        &[],
    );
    // A USB SSD says removable 0; its USB path is what tells.
    tree.block(USB_DISK, "8:0", &[("removable", "0")], &[]);
    tree.block(
        &format!("{USB_DISK}/sda1"),
        "8:1",
        &[("partition", "1")],
        &[],
    );
    tree.block(USB_DISK_2, "8:16", &[("removable", "1")], &[]);
    let usb_part = format!("{USB_DISK_2}/sdb1");
    tree.block(&usb_part, "8:17", &[("partition", "1")], &[]);
    tree.block(
        "sys/devices/virtual/block/dm-5",
        "253:5",
        &[
            ("dm/name", "luks-usb"),
            ("dm/uuid", "CRYPT-LUKS2-cc-luks-usb"),
        ],
        &[&usb_part],
    );
    tree.file(&format!("{SD_CARD}/type"), "SD");
    let sd = format!("{SD_CARD}/block/mmcblk0");
    tree.block(&sd, "179:0", &[("removable", "0")], &[]);
    tree.link(&format!("{sd}/device"), SD_CARD);
    tree.block(
        &format!("{sd}/mmcblk0p1"),
        "179:1",
        &[("partition", "1")],
        &[],
    );
    tree.answers(home("/home/anna", false));
    let report = tree.report();
    let usb = item(&report, "usb_storage");
    assert_eq!(usb["status"], "warn", "{usb:#}");
    assert_eq!(
        usb["facts"]["unencrypted"],
        json!(["/media/anna/STICK", "/media/anna/CAMERA"])
    );
    assert_eq!(usb["facts"]["encrypted"], json!(["/media/anna/SAFE"]));
    assert!(usb["details"].to_string().contains("/media/anna/STICK"));
    assert!(!usb["detail"].as_str().unwrap().contains("/media"));
}

#[test]
fn a_broken_mountinfo_or_a_missing_one_is_unknown_with_the_file_named() {
    let tree = Tree::new("this is not mountinfo\n");
    tree.answers(home("/home/anna", false));
    let report = tree.report();
    let disk = item(&report, "disk_encryption");
    assert_eq!(disk["status"], "unknown", "{disk:#}");
    assert!(
        disk["details"].to_string().contains("mountinfo"),
        "{disk:#}"
    );
    std::fs::remove_file(tree.root().join("proc/self/mountinfo")).unwrap();
    let report = tree.report();
    for id in ["disk_encryption", "usb_storage"] {
        let it = item(&report, id);
        assert_eq!(it["status"], "unknown", "{it:#}");
        assert!(it["details"].to_string().contains("mountinfo"), "{it:#}");
    }
}

/// The live path on this machine's kernel: a filesystem image on a real loop device, mounted
/// over a home folder inside a mount namespace of its own (`unshare -m`), is plain. btrfs
/// shows its anonymous device in mountinfo, so the source leads to the loop device. The image
/// is no USB stick either. (A real USB stick or LUKS volume cannot be made here: this machine's
/// kernel has no device mapper and no `scsi_debug`; made trees stand for those.)
#[test]
fn a_real_loop_mounted_home_is_found_plain() {
    if !std::path::Path::new("/dev/loop-control").exists() {
        panic!("no loop devices here; cargo xtask test runs where there are");
    }
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    for fs in ["ext4", "btrfs"] {
        let image = dir.path().join(format!("{fs}.img"));
        std::fs::File::create(&image)
            .unwrap()
            .set_len(128 << 20)
            .unwrap();
        let made = std::process::Command::new(format!("mkfs.{fs}"))
            .arg("-q")
            .arg(&image)
            .output()
            .expect("mkfs (cargo xtask test installs e2fsprogs and btrfs-progs)");
        assert!(made.status.success(), "{made:?}");
        let script = format!(
            "mount -o loop {img} {home} && HOME={home} {klaar} check --json --lang en --only disk_encryption,usb_storage",
            img = image.display(),
            home = home.display(),
            klaar = env!("CARGO_BIN_EXE_klaar"),
        );
        let out = std::process::Command::new("unshare")
            .args(["-m", "--propagation", "private", "sh", "-c", &script])
            .env_remove("KLAAR_ROOT")
            .output()
            .unwrap();
        let report = crate::util::report(
            &String::from_utf8_lossy(&out.stdout),
            &String::from_utf8_lossy(&out.stderr),
        );
        let disk = item(&report, "disk_encryption");
        assert_eq!(disk["status"], "fail", "{fs}: {disk:#}");
        let home_text = home.display().to_string();
        assert_eq!(disk["facts"]["checked"][1], home_text, "{fs}: {disk:#}");
        assert!(
            disk["facts"]["mounts"]
                .as_array()
                .unwrap()
                .contains(&json!(home_text)),
            "{fs}: {disk:#}"
        );
        // A disk image on a loop device is no USB stick: the USB item has nothing to name.
        let usb = item(&report, "usb_storage");
        assert_eq!(usb["status"], "pass", "{fs}: {usb:#}");
        assert_eq!(usb["facts"]["unencrypted"], json!([]), "{fs}: {usb:#}");
    }
}
