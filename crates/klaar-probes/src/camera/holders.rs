//! Which program has a camera device open: `/proc/PID/fd/*` links to `/dev/video*`, read under
//! the root so a captured machine replays. PipeWire and WirePlumber keep camera nodes open to
//! watch for them; they are not using the camera.

use crate::Root;
use std::path::Path;

/// Programs that open cameras only to list them.
const WATCHERS: &[&str] = &["pipewire", "wireplumber", "pipewire-media-session"];

/// The name of the first program, other than `except` (our own pid) and the watchers, that
/// holds `device` (like `/dev/video0`) open.
pub fn holder(root: &Root, device: &str, except: Option<u32>) -> Option<String> {
    holder_of_any(root, &[device], except)
}

/// The name of the first program, other than `except` and the watchers, that holds any of
/// `devices` open: one pass over `/proc` for all of them.
pub fn holder_of_any(root: &Root, devices: &[&str], except: Option<u32>) -> Option<String> {
    if devices.is_empty() {
        return None;
    }
    let proc_dir = root.join("proc");
    let mut pids: Vec<u32> = std::fs::read_dir(&proc_dir)
        .ok()?
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .filter(|pid| Some(*pid) != except)
        .collect();
    pids.sort_unstable();
    pids.into_iter().find_map(|pid| {
        let dir = proc_dir.join(pid.to_string());
        devices
            .iter()
            .any(|device| holds(&dir, device))
            .then(|| program_name(&dir))
            .flatten()
            .filter(|name| !WATCHERS.contains(&name.as_str()))
    })
}

/// The camera nodes (`/dev/videoN`) the kernel lists in `sys/class/video4linux` under the root,
/// without opening them.
pub fn nodes(root: &Root) -> Vec<String> {
    let mut nodes: Vec<String> = std::fs::read_dir(root.join("sys/class/video4linux"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            name.starts_with("video").then(|| format!("/dev/{name}"))
        })
        .collect();
    nodes.sort();
    nodes
}

fn holds(dir: &Path, device: &str) -> bool {
    std::fs::read_dir(dir.join("fd")).is_ok_and(|fds| {
        fds.flatten()
            .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|target| target == Path::new(device)))
    })
}

/// The executable's file name, else `comm`.
fn program_name(dir: &Path) -> Option<String> {
    let exe = std::fs::read_link(dir.join("exe")).ok().and_then(|p| {
        // The kernel appends " (deleted)" when the binary was updated while running.
        let link = p
            .to_string_lossy()
            .trim_end_matches(" (deleted)")
            .to_string();
        Path::new(&link)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
    });
    exe.or_else(|| {
        std::fs::read_to_string(dir.join("comm"))
            .ok()
            .map(|c| c.trim_end().to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn process(root: &Path, pid: u32, comm: &str, fds: &[&str]) {
        let dir = root.join("proc").join(pid.to_string());
        std::fs::create_dir_all(dir.join("fd")).unwrap();
        std::fs::write(dir.join("comm"), format!("{comm}\n")).unwrap();
        for (i, target) in fds.iter().enumerate() {
            symlink(target, dir.join("fd").join(i.to_string())).unwrap();
        }
    }

    #[test]
    fn the_program_holding_the_camera_is_named_and_watchers_do_not_count() {
        let tree = tempfile::tempdir().unwrap();
        process(
            tree.path(),
            300,
            "pipewire",
            &["/dev/video0", "/dev/snd/controlC0"],
        );
        process(tree.path(), 301, "wireplumber", &["/dev/video0"]);
        process(tree.path(), 420, "bash", &["/dev/pts/0"]);
        process(tree.path(), 512, "zoom", &["/dev/null", "/dev/video0"]);
        let root = Root::replay(tree.path());
        assert_eq!(holder(&root, "/dev/video0", None).as_deref(), Some("zoom"));
        assert_eq!(
            holder(&root, "/dev/video0", Some(512)),
            None,
            "our own pid is skipped"
        );
        assert_eq!(holder(&root, "/dev/video2", None), None);
    }

    #[test]
    fn a_missing_proc_is_no_holder() {
        let tree = tempfile::tempdir().unwrap();
        assert_eq!(
            holder(&Root::replay(tree.path()), "/dev/video0", None),
            None
        );
    }
}
