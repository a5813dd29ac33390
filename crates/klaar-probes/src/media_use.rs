//! What a call shows on the computer, for the app's call watch, which looks every few seconds:
//! the process list, whether another program holds a camera, and whether another program
//! records from a microphone. No device is opened.
//!
//! - Processes: [`crate::processes::Cache`]: only processes new since the last look are read in
//!   full.
//! - Camera: a program other than Klaar holds a `/dev/videoN` open (its `/proc/PID/fd`, under the
//!   root so a captured machine replays; PipeWire's watchers do not count). Scanning every
//!   process's open files is the dear part (about 40 ms for 400 processes with 60 files each),
//!   so it is done only when the kernel reports (inotify) that a camera node was opened or
//!   closed, when the camera nodes change, and at least every [`RESCAN`] in case an event was
//!   missed. With no camera node, nothing is scanned.
//! - Microphone: the sound server says a microphone records (PulseAudio's or pipewire-pulse's
//!   source state), while Klaar itself records nothing.
//!
//! Elsewhere than Linux the camera and microphone are `false`: the call watch then goes by the
//! call apps alone.

use crate::Root;
use klaar_facts::ProcessList;
use std::time::{Duration, Instant};

/// The longest the camera holders go unscanned while no event came.
pub const RESCAN: Duration = Duration::from_secs(30);

/// One look.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    pub processes: ProcessList,
    /// The program other than Klaar that holds a camera.
    pub camera: Option<String>,
    /// Another program records from a microphone; `None` when that cannot be told now (Klaar
    /// records itself, or the sound server has not answered for [`MIC_STALE`]).
    pub microphone: Option<bool>,
}

/// An answer of the sound server older than this no longer counts (the server hangs).
pub const MIC_STALE: Duration = Duration::from_secs(10);

/// How often the sound server is asked, on a thread of its own.
pub const MIC_EVERY: Duration = Duration::from_secs(2);

/// The watch's memory between looks.
#[derive(Default)]
pub struct Signals {
    processes: crate::processes::Cache,
    camera: CameraWatch,
    microphone: MicWatch,
}

impl Signals {
    pub fn new() -> Signals {
        Signals::default()
    }

    /// Looks now. A process table that cannot be read gives an empty list.
    pub fn look(&mut self, root: &Root) -> Seen {
        Seen {
            processes: self.processes.look(root).unwrap_or_default(),
            camera: self.camera.holder(root),
            microphone: self.microphone.taken(),
        }
    }
}

/// The sound server's answer, asked every [`MIC_EVERY`] on a thread of its own, so a server
/// that hangs never stops a look: its answer just grows stale.
#[derive(Default)]
struct MicWatch {
    last: std::sync::Arc<std::sync::Mutex<Option<(bool, Instant)>>>,
    started: bool,
}

impl MicWatch {
    fn taken(&mut self) -> Option<bool> {
        if !self.started {
            self.started = true;
            let last = self.last.clone();
            let _ = std::thread::Builder::new()
                .name("klaar-microphone-watch".into())
                .spawn(move || loop {
                    let records = microphone_records();
                    *last.lock().unwrap_or_else(|e| e.into_inner()) =
                        Some((records, Instant::now()));
                    std::thread::sleep(MIC_EVERY);
                });
        }
        if klaar_records() {
            return None;
        }
        let last = *self.last.lock().unwrap_or_else(|e| e.into_inner());
        last.filter(|(_, at)| at.elapsed() < MIC_STALE)
            .map(|(records, _)| records)
    }
}

#[derive(Default)]
struct CameraWatch {
    /// The camera nodes watched, and the kernel's reports of their opening and closing.
    #[cfg(target_os = "linux")]
    events: Option<(Vec<String>, inotify::Inotify)>,
    holder: Option<String>,
    scanned: Option<Instant>,
}

impl CameraWatch {
    #[cfg(target_os = "linux")]
    fn holder(&mut self, root: &Root) -> Option<String> {
        let nodes = crate::camera::holders::nodes(root);
        if nodes.is_empty() {
            self.events = None;
            self.holder = None;
            return None;
        }
        let mut scan = self.scanned.is_none_or(|t| t.elapsed() >= RESCAN);
        if self.events.as_ref().map(|(watched, _)| watched) != Some(&nodes) {
            self.events = watch(root, &nodes).map(|i| (nodes.clone(), i));
            scan = true;
        }
        match &mut self.events {
            Some((_, inotify)) => {
                let mut buffer = [0u8; 1024];
                while let Ok(events) = inotify.read_events(&mut buffer) {
                    if events.count() == 0 {
                        break;
                    }
                    scan = true;
                }
            }
            // Without reports from the kernel, every look scans.
            None => scan = true,
        }
        if scan {
            let nodes: Vec<&str> = nodes.iter().map(String::as_str).collect();
            self.holder =
                crate::camera::holders::holder_of_any(root, &nodes, Some(std::process::id()));
            self.scanned = Some(Instant::now());
        }
        self.holder.clone()
    }

    #[cfg(not(target_os = "linux"))]
    fn holder(&mut self, _root: &Root) -> Option<String> {
        let _ = (&self.holder, &self.scanned);
        None
    }
}

/// Kernel reports of each node's opening and closing (`/dev/videoN` under the root).
#[cfg(target_os = "linux")]
fn watch(root: &Root, nodes: &[String]) -> Option<inotify::Inotify> {
    let inotify = inotify::Inotify::init().ok()?;
    for node in nodes {
        let path = root.join(node.trim_start_matches('/'));
        inotify
            .watches()
            .add(&path, inotify::WatchMask::OPEN | inotify::WatchMask::CLOSE)
            .ok()?;
    }
    Some(inotify)
}

/// Whether a microphone records for some program (no sound server: none does).
#[cfg(target_os = "linux")]
fn microphone_records() -> bool {
    crate::microphone::a_microphone_records().unwrap_or(false)
}

#[cfg(not(target_os = "linux"))]
fn microphone_records() -> bool {
    false
}

#[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
fn klaar_records() -> bool {
    crate::microphone::klaar_records()
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
fn klaar_records() -> bool {
    false
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// A made machine with a camera node whose `/dev` entry the kernel can report on.
    fn machine() -> tempfile::TempDir {
        let tree = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tree.path().join("sys/class/video4linux/video0")).unwrap();
        std::fs::create_dir_all(tree.path().join("dev")).unwrap();
        std::fs::write(tree.path().join("dev/video0"), "").unwrap();
        std::fs::create_dir_all(tree.path().join("proc/512/fd")).unwrap();
        std::fs::write(tree.path().join("proc/512/comm"), "zoom\n").unwrap();
        tree
    }

    #[test]
    fn the_camera_is_scanned_again_when_its_node_is_opened_not_on_every_look() {
        let tree = machine();
        let root = Root::replay(tree.path());
        let mut signals = Signals::new();
        assert_eq!(signals.look(&root).camera, None);
        // Zoom takes the camera; the kernel reports the node opened.
        std::os::unix::fs::symlink("/dev/video0", tree.path().join("proc/512/fd/7")).unwrap();
        assert_eq!(signals.look(&root).camera, None, "no report, no scan");
        drop(std::fs::File::open(tree.path().join("dev/video0")).unwrap());
        assert_eq!(signals.look(&root).camera.as_deref(), Some("zoom"));
        // Zoom lets go.
        std::fs::remove_file(tree.path().join("proc/512/fd/7")).unwrap();
        drop(std::fs::File::open(tree.path().join("dev/video0")).unwrap());
        assert_eq!(signals.look(&root).camera, None);
    }

    #[test]
    fn processes_seen_before_are_not_read_again_and_a_new_name_is() {
        let tree = machine();
        let root = Root::replay(tree.path());
        std::fs::write(tree.path().join("proc/512/cmdline"), "zoom\0").unwrap();
        let mut signals = Signals::new();
        let first = signals.look(&root).processes;
        assert_eq!(first.processes[0].argv0.as_deref(), Some("zoom"));
        // The command line changes under the same pid and name: the cached one stays.
        std::fs::write(tree.path().join("proc/512/cmdline"), "other\0").unwrap();
        assert_eq!(signals.look(&root).processes, first);
        // The same pid with a new name (an exec): read again.
        std::fs::write(tree.path().join("proc/512/comm"), "teams\n").unwrap();
        let now = signals.look(&root).processes;
        assert_eq!(now.processes[0].name, "teams");
        assert_eq!(now.processes[0].argv0.as_deref(), Some("other"));
    }
}
