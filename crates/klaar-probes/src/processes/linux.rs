//! `/proc/PID/{exe,comm,cmdline}` under the root, so a captured process table replays.

use super::hints;
use crate::sysfs::{list_dir, require_dir};
use crate::Root;
use klaar_facts::{ProbeError, Process, ProcessList};
use std::path::Path;

pub fn probe(root: &Root) -> Result<ProcessList, ProbeError> {
    let proc_dir = root.join("proc");
    require_dir(&proc_dir)?;
    let processes = list_dir(&proc_dir)?
        .into_iter()
        .filter(|name| name.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|pid| read_process(&proc_dir.join(pid)))
        .collect();
    Ok(ProcessList { processes })
}

/// `None` for kernel threads and for processes that ended while we looked.
fn read_process(dir: &Path) -> Option<Process> {
    let name = std::fs::read(dir.join("comm"))
        .ok()
        .map(|b| String::from_utf8_lossy(&b).trim_end().to_string())?;
    // Another user's exe link is unreadable without privileges: argv[0] and comm still tell.
    let exe = std::fs::read_link(dir.join("exe"))
        .ok()
        .map(|p| exe_path(&p.to_string_lossy()));
    let cmdline = std::fs::read(dir.join("cmdline")).unwrap_or_default();
    let argv0 = parse_argv0(&cmdline);
    let mut hints = hints::from_args(args(&cmdline).iter().map(String::as_str));
    hints.package = std::fs::read_to_string(dir.join("cgroup"))
        .ok()
        .and_then(|c| hints::package_from_cgroup(&c));
    (exe.is_some() || argv0.is_some()).then_some(Process {
        exe,
        name,
        argv0,
        hints,
    })
}

/// The arguments after argv[0]. Programs that rewrite their command line with spaces instead of
/// NULs (Chromium's helpers) give one word per argument.
pub fn args(cmdline: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(cmdline);
    let words: Vec<&str> = if cmdline.contains(&0) {
        text.split('\0').collect()
    } else {
        text.split(' ').collect()
    };
    words
        .into_iter()
        .skip(1)
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The kernel appends " (deleted)" when the binary was replaced by an update while running.
pub fn exe_path(link: &str) -> String {
    link.strip_suffix(" (deleted)").unwrap_or(link).to_string()
}

/// argv[0] from a NUL-separated cmdline. Some programs rewrite their cmdline with spaces instead of
/// NULs (Chromium's helpers, for one): then argv[0] is the text up to the first space.
pub fn parse_argv0(cmdline: &[u8]) -> Option<String> {
    let first = cmdline.split(|&b| b == 0).next()?;
    let text = String::from_utf8_lossy(first);
    let text = if cmdline.contains(&0) {
        text.as_ref()
    } else {
        text.split(' ').next().unwrap_or_default()
    };
    (!text.is_empty()).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn argv0() {
        assert_eq!(
            parse_argv0(b"/usr/bin/zoom\0--url\0x\0").as_deref(),
            Some("/usr/bin/zoom")
        );
        assert_eq!(
            parse_argv0(b"/opt/slack/slack --type=renderer").as_deref(),
            Some("/opt/slack/slack")
        );
        assert_eq!(parse_argv0(b""), None);
        assert_eq!(args(b"/usr/bin/zoom\0--url\0x\0"), ["--url", "x"]);
        assert_eq!(
            args(b"/opt/msedge --type=renderer --app-id=abc"),
            ["--type=renderer", "--app-id=abc"]
        );
        assert_eq!(exe_path("/opt/zoom/zoom (deleted)"), "/opt/zoom/zoom");
    }

    proptest! {
        #[test]
        fn argv0_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = parse_argv0(&bytes);
        }
    }
}
