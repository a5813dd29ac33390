//! Linux: cameras are V4L2 capture devices (`/sys/class/video4linux/videoN`). Presence and names
//! come from sysfs under the root, so a captured machine replays; frames come from the device.

use super::holders::holder;
use super::native::Native;
use crate::sysfs::{read_opt, require_dir};
use crate::Root;
use klaar_facts::{CameraFacts, ProbeError};
use std::time::Instant;

/// A V4L2 node: its number N (`/dev/videoN`), the name the driver gives, and what Klaar knows
/// of what it can do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub index: u32,
    pub name: String,
    /// sysfs `index`: 0 for a camera's picture node, 1 for a UVC camera's metadata node.
    pub node_index: Option<u32>,
    /// Made by software (v4l2loopback: OBS's virtual camera, an IPU6 relay), not a camera.
    pub is_virtual: bool,
    /// Capabilities and formats, from the device (live) or from the capture (replay).
    pub info: Option<NodeInfo>,
}

/// What a node says of itself through `VIDIOC_QUERYCAP` and `VIDIOC_ENUM_FMT`, kept by
/// `klaar debug capture` in `klaar/video4linux.json`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NodeInfo {
    /// `device_caps`: the V4L2_CAP_* bits of this node.
    pub device_caps: u32,
    /// FourCC codes of the capture formats it offers ("YUYV", "MJPG", "GREY"…).
    pub formats: Vec<String>,
}

/// Where a capture keeps the nodes' [`NodeInfo`], relative to the root.
pub const NODES_FILE: &str = "klaar/video4linux.json";

const CAP_VIDEO_CAPTURE: u32 = 0x0000_0001;
const CAP_VIDEO_CAPTURE_MPLANE: u32 = 0x0000_1000;
/// The node is part of a media-controller pipeline (IPU3, IPU6, Qualcomm camss, Rockchip ISP):
/// a raw sensor or ISP node that needs a camera service, never set on a UVC webcam.
const CAP_IO_MC: u32 = 0x2000_0000;
/// Formats of infrared and depth sensors (face login, Windows Hello cameras): grey levels only.
const IR_FORMATS: &[&str] = &[
    "GREY", "Y8", "Y10", "Y12", "Y16", "Y8I", "Y12I", "Y10B", "Z16", "INZI", "INVZ",
];

impl Device {
    /// How suitable the node is as the camera a call app shows, lower is better; `None` when it
    /// gives no pictures at all (a metadata node, an output-only loopback). A real colour camera
    /// first, then a virtual one (OBS, or the relay of a MIPI camera), then an infrared sensor,
    /// then a MIPI camera's raw sensor node, which needs a camera service to give a picture.
    pub fn rank(&self) -> Option<u8> {
        match &self.info {
            Some(info)
                if info.device_caps & (CAP_VIDEO_CAPTURE | CAP_VIDEO_CAPTURE_MPLANE) == 0 =>
            {
                return None
            }
            None if self.node_index.is_some_and(|i| i != 0) => return None,
            _ => {}
        }
        let formats = self
            .info
            .as_ref()
            .map(|i| i.formats.as_slice())
            .unwrap_or_default();
        let only =
            |pred: &dyn Fn(&str) -> bool| !formats.is_empty() && formats.iter().all(|f| pred(f));
        let name = self.name.to_lowercase();
        let media_controller = self
            .info
            .as_ref()
            .is_some_and(|i| i.device_caps & CAP_IO_MC != 0);
        let raw = media_controller
            || name.contains("isys")
            || (name.contains("ipu") && name.contains("capture"))
            || only(&|f| is_bayer(f));
        let infrared = self
            .name
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|word| word == "IR")
            || name.contains("infrared")
            || only(&|f| IR_FORMATS.contains(&f));
        Some(if raw {
            4
        } else if infrared {
            3
        } else if self.is_virtual {
            1
        } else {
            0
        })
    }
}

/// Raw Bayer formats of image sensors: the 8-bit ones (BA81, GBRG, GRBG, RGGB), the 10- to
/// 16-bit ones (BG10, GB10, BA10, RG10 …) and the packed MIPI ones (pBAA, pRAA, ip3G …).
fn is_bayer(fourcc: &str) -> bool {
    let b = fourcc.as_bytes();
    matches!(fourcc, "BA81" | "GBRG" | "GRBG" | "RGGB" | "BYR2")
        || (b.len() == 4
            && [&b"BA"[..], b"BG", b"GB", b"GR", b"RG"].contains(&&b[..2])
            && b[2..].iter().all(u8::is_ascii_digit))
        || (b.len() == 4 && b[0] == b'p' && b"BGgR".contains(&b[1]))
        || fourcc.starts_with("ip3")
}

/// Video nodes, the best camera first ([`Device::rank`]), then by number. Nodes that give no
/// pictures are left out.
pub fn devices(root: &Root) -> Vec<Device> {
    let class = root.join("sys/class/video4linux");
    let Ok(entries) = std::fs::read_dir(&class) else {
        return Vec::new();
    };
    let recorded = if root.is_replay() {
        recorded_infos(root)
    } else {
        None
    };
    let mut found: Vec<(u8, Device)> = entries
        .flatten()
        .filter_map(|e| {
            let node = e
                .file_name()
                .to_str()?
                .strip_prefix("video")?
                .parse()
                .ok()?;
            let dir = e.path();
            let name = read_opt(&dir.join("name")).ok().flatten()?;
            let info = match &recorded {
                Some(map) => map.get(&format!("video{node}")).cloned(),
                None if root.is_replay() => None,
                None => query(node),
            };
            let device = Device {
                index: node,
                name: name.trim().to_string(),
                node_index: read_opt(&dir.join("index"))
                    .ok()
                    .flatten()
                    .and_then(|i| i.trim().parse().ok()),
                is_virtual: std::fs::canonicalize(&dir)
                    .is_ok_and(|p| p.to_string_lossy().contains("/devices/virtual/")),
                info,
            };
            Some((device.rank()?, device))
        })
        .collect();
    found.sort_by_key(|(rank, d)| (*rank, d.index));
    found.into_iter().map(|(_, d)| d).collect()
}

/// The nodes' capabilities and formats as a capture recorded them.
fn recorded_infos(root: &Root) -> Option<std::collections::BTreeMap<String, NodeInfo>> {
    let text = std::fs::read_to_string(root.join(NODES_FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Asks `/dev/videoN` what it can do. `None` when it cannot be opened (busy devices still
/// answer; a node that vanished or that this user may not open does not).
///
/// `VIDIOC_QUERYCAP` and `VIDIOC_ENUM_FMT` are asked by hand: only `device_caps` and the pixel
/// formats are needed, and the bindings' own readers insist on driver texts in UTF-8, which a
/// name cut at 31 bytes need not be. Multi-planar nodes (IPU3, Qualcomm, Rockchip) list their
/// formats under their own buffer type.
pub fn query(node: u32) -> Option<NodeInfo> {
    use v4l::v4l2::vidioc::{VIDIOC_ENUM_FMT, VIDIOC_QUERYCAP};
    use v4l::v4l_sys::{v4l2_capability, v4l2_fmtdesc};
    const BUF_TYPE_VIDEO_CAPTURE: u32 = 1;
    const BUF_TYPE_VIDEO_CAPTURE_MPLANE: u32 = 9;
    let device = v4l::Device::new(node as usize).ok()?;
    let fd = device.handle().fd();
    let mut caps: v4l2_capability = unsafe { std::mem::zeroed() };
    // SAFETY: `caps` is a zeroed v4l2_capability, the type VIDIOC_QUERYCAP writes, and lives
    // for the whole call; the fd is open until `device` drops.
    unsafe {
        v4l::v4l2::ioctl(
            fd,
            VIDIOC_QUERYCAP,
            &mut caps as *mut _ as *mut std::os::raw::c_void,
        )
    }
    .ok()?;
    let buf_type = if caps.device_caps & CAP_VIDEO_CAPTURE == 0
        && caps.device_caps & CAP_VIDEO_CAPTURE_MPLANE != 0
    {
        BUF_TYPE_VIDEO_CAPTURE_MPLANE
    } else {
        BUF_TYPE_VIDEO_CAPTURE
    };
    let mut formats = Vec::new();
    // A driver lists a handful; the bound keeps a broken one from looping.
    for index in 0..64 {
        let mut desc: v4l2_fmtdesc = unsafe { std::mem::zeroed() };
        desc.index = index;
        desc.type_ = buf_type;
        // SAFETY: as above, with the v4l2_fmtdesc VIDIOC_ENUM_FMT reads and writes.
        let asked = unsafe {
            v4l::v4l2::ioctl(
                fd,
                VIDIOC_ENUM_FMT,
                &mut desc as *mut _ as *mut std::os::raw::c_void,
            )
        };
        if asked.is_err() {
            break;
        }
        let fourcc = desc.pixelformat.to_le_bytes();
        formats.push(String::from_utf8_lossy(&fourcc).trim().to_string());
    }
    Some(NodeInfo {
        device_caps: caps.device_caps,
        formats,
    })
}

/// Every node's [`NodeInfo`], for `klaar debug capture`.
pub fn node_infos(root: &Root) -> std::collections::BTreeMap<String, NodeInfo> {
    if root.is_replay() {
        return recorded_infos(root).unwrap_or_default();
    }
    crate::sysfs::list_dir(&root.join("sys/class/video4linux"))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|n| {
            let node = n.strip_prefix("video")?.parse().ok()?;
            Some((n, query(node)?))
        })
        .collect()
}

/// The chosen camera if it is there, else the best one.
fn pick(root: &Root) -> Option<Device> {
    let all = devices(root);
    let chosen = crate::devices::chosen().camera;
    let at = all
        .iter()
        .position(|d| chosen.as_deref() == Some(&*d.name))
        .unwrap_or(0);
    all.into_iter().nth(at)
}

/// Cameras to choose from, the best first. The id is the driver's name for the camera, which
/// stays the same when it is plugged in again (its `/dev/videoN` number may not).
pub fn choices(root: &Root) -> Vec<crate::devices::Choice> {
    devices(root)
        .into_iter()
        .map(|d| crate::devices::Choice {
            id: d.name.clone(),
            name: d.name,
        })
        .collect()
}

pub fn probe(root: &Root) -> Result<CameraFacts, ProbeError> {
    // A root without /sys is a broken capture, not a machine without a camera.
    require_dir(&root.join("sys"))?;
    let Some(device) = pick(root) else {
        return Ok(CameraFacts::default());
    };
    let node = format!("/dev/video{}", device.index);
    let mut facts = CameraFacts {
        present: true,
        name: Some(device.name.clone()),
        ..CameraFacts::default()
    };
    // A virtual camera is always held open by the program that feeds it (OBS, v4l2-relayd,
    // ffmpeg) while others can still watch it: that program is not "using the camera".
    let holder_of = |except| {
        (!device.is_virtual)
            .then(|| holder(root, &node, except))
            .flatten()
    };
    if root.is_replay() {
        // A captured machine has no device to open; who held it is still on record.
        facts.busy_by = holder_of(None);
        return Ok(facts);
    }
    if let Err(e) = std::fs::File::open(&node) {
        if e.kind() == std::io::ErrorKind::PermissionDenied {
            facts.denied = true;
            return Ok(facts);
        }
    }
    let opened = Instant::now();
    match Native::open(device.index, device.name) {
        Ok(camera) => Ok(super::observe(camera, opened, super::FRAME_BUDGET)),
        Err(_) => {
            // V4L2 lets several programs open a camera, but only one stream: a failed start
            // while someone holds the device means it is busy. Without a holder the camera
            // simply gave no picture. (Access was tried above, by the system's error kind.)
            facts.busy_by = holder_of(Some(std::process::id()));
            Ok(facts)
        }
    }
}

pub fn open_live(root: &Root) -> Result<Box<dyn super::FrameSource>, ProbeError> {
    let device = pick(root).ok_or_else(|| ProbeError::Missing {
        path: root.join("sys/class/video4linux").display().to_string(),
    })?;
    let node = format!("/dev/video{}", device.index);
    Native::open(device.index, device.name)
        .map(|camera| Box::new(camera) as Box<dyn super::FrameSource>)
        .map_err(|e| ProbeError::Unreadable {
            path: node,
            reason: e.0,
        })
}

/// What `klaar debug capture` copies for this probe: each video node's name and index, and what
/// each can do (`klaar/video4linux.json`).
pub fn capture(
    w: &crate::capture::Writer,
    from: &Root,
    _summary: &mut crate::capture::Summary,
) -> Result<(), crate::capture::CaptureError> {
    w.dir(std::path::Path::new("sys/class/video4linux"))?;
    for name in crate::sysfs::list_dir(&w.from.join("sys/class/video4linux")).unwrap_or_default() {
        let dir = w.class_entry("sys/class/video4linux", &name)?;
        for file in ["name", "index"] {
            w.file(&dir.join(file))?;
        }
    }
    // What each camera node can do: which one is the colour camera call apps use.
    let nodes = node_infos(from);
    let json = serde_json::to_string_pretty(&nodes).expect("camera nodes serialise");
    w.write(std::path::Path::new(NODES_FILE), json.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(root: &std::path::Path, n: u32, name: &str, index: &str) {
        let dir = root.join(format!("sys/class/video4linux/video{n}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("name"), format!("{name}\n")).unwrap();
        std::fs::write(dir.join("index"), format!("{index}\n")).unwrap();
    }

    #[test]
    fn capture_nodes_count_and_metadata_nodes_do_not() {
        let tree = tempfile::tempdir().unwrap();
        node(tree.path(), 1, "Integrated Camera: Integrated C", "1");
        node(tree.path(), 0, "Integrated Camera: Integrated C", "0");
        node(tree.path(), 2, "Logitech BRIO", "0");
        let found: Vec<(u32, String)> = devices(&Root::replay(tree.path()))
            .into_iter()
            .map(|d| (d.index, d.name))
            .collect();
        assert_eq!(
            found,
            vec![
                (0, "Integrated Camera: Integrated C".into()),
                (2, "Logitech BRIO".into()),
            ]
        );
    }

    fn device(index: u32, name: &str, caps: Option<(u32, &[&str])>) -> Device {
        Device {
            index,
            name: name.into(),
            node_index: Some(0),
            is_virtual: false,
            info: caps.map(|(device_caps, formats)| NodeInfo {
                device_caps,
                formats: formats.iter().map(|f| f.to_string()).collect(),
            }),
        }
    }

    #[test]
    fn the_colour_camera_comes_before_infrared_raw_and_virtual_nodes() {
        const CAPTURE: u32 = 0x0420_0001;
        const METADATA: u32 = 0x04a0_0000;
        const LOOPBACK_OUTPUT_ONLY: u32 = 0x0520_0002;
        let rank = |d: Device| d.rank();
        // A ThinkPad's IR camera by its name, an ASUS one that also offers MJPG, an IR sensor
        // known only by its grey formats.
        assert_eq!(
            rank(device(0, "Integrated IR Camera: Integrate", None)),
            Some(3)
        );
        assert_eq!(
            rank(device(
                2,
                "USB2.0 HD UVC WebCam: USB2.0 IR",
                Some((CAPTURE, &["GREY", "MJPG"]))
            )),
            Some(3)
        );
        assert_eq!(
            rank(device(4, "HP HD Camera: HP I", Some((CAPTURE, &["GREY"])))),
            Some(3)
        );
        assert_eq!(
            rank(device(
                0,
                "Integrated Camera: Integrated C",
                Some((CAPTURE, &["MJPG", "YUYV"]))
            )),
            Some(0)
        );
        // Metadata nodes and an output-only loopback give no pictures.
        assert_eq!(
            rank(device(
                1,
                "Integrated Camera: Integrated C",
                Some((METADATA, &[]))
            )),
            None
        );
        let mut metadata = device(1, "Integrated Camera: Integrated C", None);
        metadata.node_index = Some(1);
        assert_eq!(rank(metadata), None);
        assert_eq!(
            rank(device(
                9,
                "OBS Virtual Camera",
                Some((LOOPBACK_OUTPUT_ONLY, &[]))
            )),
            None
        );
        // IPU3's multi-plane CIO2 nodes list no formats; they are media-controller nodes.
        assert_eq!(
            rank(device(0, "ipu3-cio2 0", Some((0x2420_1000, &[])))),
            Some(4)
        );
        // An IPU6 laptop: raw sensor nodes last, the relayed camera (virtual) before them.
        assert_eq!(
            rank(device(
                0,
                "Intel IPU6 ISYS Capture 0",
                Some((CAPTURE, &["BA10"]))
            )),
            Some(4)
        );
        assert_eq!(
            rank(device(5, "ipu6 capture", Some((CAPTURE, &["pRAA"])))),
            Some(4)
        );
        let mut relay = device(42, "Intel MIPI Camera", Some((CAPTURE, &["NV12"])));
        relay.is_virtual = true;
        assert_eq!(rank(relay), Some(1));
    }

    #[test]
    fn bayer_formats() {
        for f in ["BA81", "GRBG", "BA10", "RG12", "pRAA", "pgAA", "ip3G"] {
            assert!(is_bayer(f), "{f}");
        }
        for f in ["GREY", "RGB3", "RGBP", "YUYV", "MJPG", "NV12", "BGR3"] {
            assert!(!is_bayer(f), "{f}");
        }
    }

    #[test]
    fn devices_are_ordered_by_rank_then_number() {
        let tree = tempfile::tempdir().unwrap();
        node(tree.path(), 0, "Integrated IR Camera: Integrate", "0");
        node(tree.path(), 1, "Integrated IR Camera: Integrate", "1");
        node(tree.path(), 2, "Integrated Camera: Integrated C", "0");
        node(tree.path(), 3, "Integrated Camera: Integrated C", "1");
        let found: Vec<u32> = devices(&Root::replay(tree.path()))
            .into_iter()
            .map(|d| d.index)
            .collect();
        assert_eq!(found, [2, 0]);
        // What a capture recorded decides when present: two cameras with the same name, the
        // first of which offers grey pictures only (an infrared sensor).
        let tree = tempfile::tempdir().unwrap();
        node(tree.path(), 0, "Laptop Camera", "0");
        node(tree.path(), 2, "Laptop Camera", "0");
        let order = |root: &std::path::Path| -> Vec<u32> {
            devices(&Root::replay(root))
                .into_iter()
                .map(|d| d.index)
                .collect()
        };
        assert_eq!(order(tree.path()), [0, 2]);
        std::fs::create_dir_all(tree.path().join("klaar")).unwrap();
        std::fs::write(
            tree.path().join(NODES_FILE),
            r#"{"video0": {"device_caps": 69206017, "formats": ["GREY"]},
                "video2": {"device_caps": 69206017, "formats": ["YUYV", "MJPG"]}}"#,
        )
        .unwrap();
        assert_eq!(order(tree.path()), [2, 0]);
    }

    #[test]
    fn no_video4linux_means_no_camera() {
        let tree = tempfile::tempdir().unwrap();
        std::fs::create_dir(tree.path().join("sys")).unwrap();
        let facts = probe(&Root::replay(tree.path())).unwrap();
        assert!(!facts.present);
        assert_eq!(facts.name, None);
    }

    #[test]
    fn this_machine_has_no_camera_and_says_so_quickly() {
        // No /dev/video* can exist here; on a machine with a camera this reports it instead.
        let facts = probe(&Root::live()).unwrap();
        assert_eq!(facts.present, !devices(&Root::live()).is_empty());
    }
}
