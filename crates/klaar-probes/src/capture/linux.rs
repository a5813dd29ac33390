//! Copies what the probes read, keeping sysfs's shape (class entries are relative links into
//! `devices/`), and leaves out what identifies the machine: MAC addresses, serial numbers, and
//! every command-line argument after argv[0].

use super::{CaptureError, Summary};
use crate::processes::hints;
use crate::sysfs::list_dir;
use crate::Root;
use std::fs;
use std::path::{Path, PathBuf};

const POWER_FILES: &[&str] = &[
    "type",
    "scope",
    "present",
    "voltage_min_design",
    "voltage_now",
    "online",
    "status",
    "capacity",
    "energy_now",
    "energy_full",
    "charge_now",
    "charge_full",
    "power_now",
    "current_now",
    "uevent",
];
const NET_FILES: &[&str] = &[
    "type",
    "flags",
    "uevent",
    "tun_flags",
    "operstate",
    "bonding/slaves",
];
const NET_DIRS: &[&str] = &["wireless", "brport", "bridge", "bonding", "brif"];
const NET_LINKS: &[&str] = &["phy80211", "master"];
/// What a USB network interface and its device say of themselves (never the serial number).
const USB_INTERFACE_FILES: &[&str] = &[
    "bInterfaceClass",
    "bInterfaceSubClass",
    "bInterfaceProtocol",
];
const USB_DEVICE_FILES: &[&str] = &["idVendor", "product"];
const PROC_NET: &[&str] = &[
    "proc/net/route",
    "proc/net/ipv6_route",
    "proc/net/wireless",
    "proc/net/pppoe",
];

pub fn capture(from: &Root, to: &Path) -> Result<Summary, CaptureError> {
    if fs::read_dir(to).is_ok_and(|mut d| d.next().is_some()) {
        return Err(CaptureError::NotEmpty(to.display().to_string()));
    }
    let source_root = fs::canonicalize(from.path()).unwrap_or_else(|_| from.path().to_path_buf());
    let w = Writer {
        from: source_root,
        to: to.to_path_buf(),
    };
    let mut summary = Summary::default();
    w.dir(Path::new("sys/class/power_supply"))?;
    for name in list_dir(&w.from.join("sys/class/power_supply")).unwrap_or_default() {
        let dir = w.class_entry("sys/class/power_supply", &name)?;
        for file in POWER_FILES {
            w.file(&dir.join(file))?;
        }
        summary.power_supplies += 1;
    }
    w.dir(Path::new("sys/class/net"))?;
    for name in list_dir(&w.from.join("sys/class/net")).unwrap_or_default() {
        let dir = w.class_entry("sys/class/net", &name)?;
        for file in NET_FILES {
            w.file(&dir.join(file))?;
        }
        for sub in NET_DIRS
            .iter()
            .filter(|d| w.from.join(&dir).join(d).is_dir())
        {
            w.dir(&dir.join(sub))?;
        }
        for link in NET_LINKS {
            w.link(&dir.join(link))?;
        }
        // What this link is built on: lower links, a bridge's ports.
        for entry in list_dir(&w.from.join(&dir)).unwrap_or_default() {
            if entry.starts_with("lower_") {
                w.link(&dir.join(entry))?;
            }
        }
        for port in list_dir(&w.from.join(&dir).join("brif")).unwrap_or_default() {
            w.link(&dir.join("brif").join(port))?;
        }
        if w.link(&dir.join("device"))? {
            if let Some(device) = w.resolve(&dir.join("device")) {
                w.dir(&device)?;
                w.link(&device.join("driver"))?;
                for file in USB_INTERFACE_FILES {
                    w.file(&device.join(file))?;
                }
                if let Some(parent) = device.parent() {
                    for file in USB_DEVICE_FILES {
                        w.file(&parent.join(file))?;
                    }
                }
            }
        }
        summary.interfaces += 1;
    }
    // Policy routing, every table, addresses and IPsec policies: what the live network check
    // decides by. Read from the kernel, or copied when capturing a replayed tree.
    let routing =
        crate::network::routing_of(from).map_err(|e| CaptureError::Read(e.to_string()))?;
    let json = serde_json::to_string_pretty(&routing).expect("routing serialises");
    w.write(Path::new(crate::network::ROUTING_FILE), json.as_bytes())?;
    w.dir(Path::new("sys/class/video4linux"))?;
    for name in list_dir(&w.from.join("sys/class/video4linux")).unwrap_or_default() {
        let dir = w.class_entry("sys/class/video4linux", &name)?;
        for file in ["name", "index"] {
            w.file(&dir.join(file))?;
        }
    }
    // What each camera node can do: which one is the colour camera call apps use.
    let nodes = crate::camera::platform_nodes(from);
    let json = serde_json::to_string_pretty(&nodes).expect("camera nodes serialise");
    w.write(Path::new(crate::camera::NODES_FILE), json.as_bytes())?;
    for file in PROC_NET {
        w.file(Path::new(file))?;
    }
    for pid in list_dir(&w.from.join("proc"))
        .unwrap_or_default()
        .into_iter()
        .filter(|p| p.bytes().all(|b| b.is_ascii_digit()))
    {
        let dir = Path::new("proc").join(&pid);
        let Ok(comm) = fs::read(w.from.join(&dir).join("comm")) else {
            continue;
        };
        w.write(&dir.join("comm"), &comm)?;
        if let Ok(cmdline) = fs::read(w.from.join(&dir).join("cmdline")) {
            // argv[0] and the arguments that name the app (a web app's id, an Electron app's
            // folder), or for pppd what its link runs over; every other argument stays private.
            let exe = fs::read_link(w.from.join(&dir).join("exe"))
                .ok()
                .map(|p| crate::processes::exe_path(&p.to_string_lossy()));
            let (argv0, args) = crate::processes::split_cmdline(&cmdline, exe.as_deref());
            let mut kept = argv0.clone().unwrap_or_default();
            kept.push('\0');
            let pppd = argv0.as_deref().is_some_and(|a| a.ends_with("pppd"));
            let kept_args = if pppd {
                hints::ppp_args(args.iter().map(String::as_str))
            } else {
                hints::kept_args(args.iter().map(String::as_str))
            };
            for arg in kept_args {
                kept.push_str(&arg);
                kept.push('\0');
            }
            w.write(&dir.join("cmdline"), kept.as_bytes())?;
        }
        if let Some(scope) = fs::read_to_string(w.from.join(&dir).join("cgroup"))
            .ok()
            .and_then(|c| hints::cgroup_scope_line(&c))
        {
            w.write(&dir.join("cgroup"), scope.as_bytes())?;
        }
        w.link(&dir.join("exe"))?;
        // Only the open camera devices: who holds the camera. Other open files stay private.
        for fd in list_dir(&w.from.join(&dir).join("fd")).unwrap_or_default() {
            let rel = dir.join("fd").join(&fd);
            if fs::read_link(w.from.join(&rel))
                .is_ok_and(|t| t.to_string_lossy().starts_with("/dev/video"))
            {
                w.link(&rel)?;
            }
        }
        summary.processes += 1;
    }
    Ok(summary)
}

struct Writer {
    from: PathBuf,
    to: PathBuf,
}

impl Writer {
    fn err(&self, rel: &Path, source: std::io::Error) -> CaptureError {
        CaptureError::Write {
            path: self.to.join(rel).display().to_string(),
            source,
        }
    }

    fn dir(&self, rel: &Path) -> Result<(), CaptureError> {
        fs::create_dir_all(self.to.join(rel)).map_err(|e| self.err(rel, e))
    }

    fn write(&self, rel: &Path, bytes: &[u8]) -> Result<(), CaptureError> {
        if let Some(parent) = rel.parent() {
            self.dir(parent)?;
        }
        fs::write(self.to.join(rel), bytes).map_err(|e| self.err(rel, e))
    }

    /// Copies a text attribute if it is readable, without serial numbers.
    fn file(&self, rel: &Path) -> Result<(), CaptureError> {
        let Ok(bytes) = fs::read(self.from.join(rel)) else {
            return Ok(());
        };
        let text = String::from_utf8_lossy(&bytes);
        let kept: String = text
            .lines()
            .filter(|l| !l.contains("SERIAL"))
            .map(|l| format!("{l}\n"))
            .collect();
        self.write(rel, kept.as_bytes())
    }

    /// Recreates a symbolic link with the same (usually relative) target; false if there is none.
    fn link(&self, rel: &Path) -> Result<bool, CaptureError> {
        let Ok(target) = fs::read_link(self.from.join(rel)) else {
            return Ok(false);
        };
        if let Some(parent) = rel.parent() {
            self.dir(parent)?;
        }
        std::os::unix::fs::symlink(&target, self.to.join(rel)).map_err(|e| self.err(rel, e))?;
        Ok(true)
    }

    /// Where a link leads, relative to the root, when it stays inside it.
    fn resolve(&self, rel: &Path) -> Option<PathBuf> {
        let real = fs::canonicalize(self.from.join(rel)).ok()?;
        real.strip_prefix(&self.from).ok().map(Path::to_path_buf)
    }

    /// A class entry is a link into `devices/`: recreate the link and return the real directory.
    fn class_entry(&self, class: &str, name: &str) -> Result<PathBuf, CaptureError> {
        let rel = Path::new(class).join(name);
        if self.link(&rel)? {
            if let Some(real) = self.resolve(&rel) {
                self.dir(&real)?;
                return Ok(real);
            }
        }
        self.dir(&rel)?;
        Ok(rel)
    }
}
