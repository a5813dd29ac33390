//! Linux: cameras are V4L2 capture devices (`/sys/class/video4linux/videoN`). Presence and names
//! come from sysfs under the root, so a captured machine replays; frames come from the device.

use super::holders::holder;
use super::native::Native;
use crate::sysfs::{read_opt, require_dir};
use crate::Root;
use klaar_facts::{CameraFacts, ProbeError};
use std::time::Instant;

/// A capture device: its number N (`/dev/videoN`) and the name the driver gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub index: u32,
    pub name: String,
}

/// Video capture devices, lowest number first. UVC cameras also register a metadata node
/// (`index` 1 under the same camera), which cannot give pictures: only `index` 0 counts.
pub fn devices(root: &Root) -> Vec<Device> {
    let class = root.join("sys/class/video4linux");
    let Ok(entries) = std::fs::read_dir(&class) else {
        return Vec::new();
    };
    let mut found: Vec<Device> = entries
        .flatten()
        .filter_map(|e| {
            let node = e
                .file_name()
                .to_str()?
                .strip_prefix("video")?
                .parse()
                .ok()?;
            let dir = e.path();
            let index = read_opt(&dir.join("index")).ok().flatten();
            if index.as_deref().is_some_and(|i| i.trim() != "0") {
                return None;
            }
            let name = read_opt(&dir.join("name")).ok().flatten()?;
            Some(Device {
                index: node,
                name: name.trim().to_string(),
            })
        })
        .collect();
    found.sort_by_key(|d| d.index);
    found
}

pub fn probe(root: &Root) -> Result<CameraFacts, ProbeError> {
    // A root without /sys is a broken capture, not a machine without a camera.
    require_dir(&root.join("sys"))?;
    let Some(device) = devices(root).into_iter().next() else {
        return Ok(CameraFacts::default());
    };
    let node = format!("/dev/video{}", device.index);
    let mut facts = CameraFacts {
        present: true,
        name: Some(device.name.clone()),
        ..CameraFacts::default()
    };
    if root.is_replay() {
        // A captured machine has no device to open; who held it is still on record.
        facts.busy_by = holder(root, &node, None);
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
        Err(e) => {
            // V4L2 lets several programs open a camera, but only one stream: a failed start
            // while someone holds the device means it is busy. Without a holder the camera
            // simply gave no picture.
            facts.denied = e.0.contains("Permission denied");
            facts.busy_by = holder(root, &node, Some(std::process::id()));
            Ok(facts)
        }
    }
}

pub fn open_live(root: &Root) -> Result<Box<dyn super::FrameSource>, ProbeError> {
    let device = devices(root)
        .into_iter()
        .next()
        .ok_or_else(|| ProbeError::Missing {
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
        let found = devices(&Root::replay(tree.path()));
        assert_eq!(
            found,
            vec![
                Device {
                    index: 0,
                    name: "Integrated Camera: Integrated C".into()
                },
                Device {
                    index: 2,
                    name: "Logitech BRIO".into()
                },
            ]
        );
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
