//! Linux: our own WebKitNetworkProcess child, found in /proc; glibc's malloc_trim.

use std::path::Path;

const NETWORK_HELPER: &str = "WebKitNetworkProcess";

pub fn end_network_helper() {
    let me = std::process::id();
    for pid in children(Path::new("/proc"), me) {
        let exe = std::fs::read_link(format!("/proc/{pid}/exe")).ok();
        if exe.is_some_and(|e| e.file_name().is_some_and(|n| n == NETWORK_HELPER)) {
            // SAFETY: a plain signal to a process we started.
            unsafe {
                libc::kill(pid as i32, libc::SIGTERM);
            }
        }
    }
}

/// Processes whose parent is `parent`, read from `proc_root` (`/proc`, or a copy in tests).
pub fn children(proc_root: &Path, parent: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir(proc_root) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(proc_root.join(pid.to_string()).join("stat"))
                .ok()
                .and_then(|stat| parent_of(&stat))
                == Some(parent)
        })
        .collect()
}

/// The 4th field of /proc/PID/stat; the name before it may hold spaces and parentheses.
fn parent_of(stat: &str) -> Option<u32> {
    stat.rsplit_once(')')?
        .1
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

pub fn trim_heap() {
    #[cfg(target_env = "gnu")]
    // SAFETY: malloc_trim only returns free heap pages to the kernel.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parent_comes_after_the_last_parenthesis() {
        assert_eq!(parent_of("42 (a) b) S 7 42 42 0"), Some(7));
        assert_eq!(parent_of("42 (WebKitNetworkPr) S 1234 1 1"), Some(1234));
        assert_eq!(parent_of("garbage"), None);
        assert_eq!(parent_of(""), None);
    }

    #[test]
    fn children_are_found_in_a_proc_tree() {
        let dir = tempfile::tempdir().unwrap();
        for (pid, stat) in [
            ("10", "10 (klaar-app) S 1 10 10"),
            ("11", "11 (WebKitNetworkPr) S 10 10 10"),
            ("12", "12 (bash) S 1 12 12"),
        ] {
            std::fs::create_dir(dir.path().join(pid)).unwrap();
            std::fs::write(dir.path().join(pid).join("stat"), stat).unwrap();
        }
        std::fs::create_dir(dir.path().join("self")).unwrap();
        assert_eq!(children(dir.path(), 10), vec![11]);
        assert!(children(dir.path(), 99).is_empty());
    }
}
