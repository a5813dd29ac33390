//! `/proc/PID/{exe,comm,cmdline}` under the root, so a captured process table replays.

use super::hints;
use crate::sysfs::{list_dir, require_dir};
use crate::Root;
use klaar_facts::{ProbeError, Process, ProcessList};
use std::path::Path;

pub fn probe(root: &Root) -> Result<ProcessList, ProbeError> {
    Cache::default().look(root)
}

/// The process list for a watch that looks again and again (the app's call watch): a process
/// already seen under the same pid and name is not read again, so a look costs one read of
/// `comm` per process, plus the full read of the new ones. Kernel threads are remembered too
/// (as `None`), so they are not read again either.
#[derive(Debug, Default)]
pub struct Cache {
    known: std::collections::HashMap<(String, String), Option<Process>>,
}

impl Cache {
    /// The processes now.
    ///
    /// # Errors
    /// As [`probe`]: no process table under the root.
    pub fn look(&mut self, root: &Root) -> Result<ProcessList, ProbeError> {
        let proc_dir = root.join("proc");
        require_dir(&proc_dir)?;
        let mut known = std::collections::HashMap::new();
        let mut processes = Vec::new();
        for pid in list_dir(&proc_dir)?
            .into_iter()
            .filter(|name| name.bytes().all(|b| b.is_ascii_digit()))
        {
            let dir = proc_dir.join(&pid);
            let Some(name) = std::fs::read(dir.join("comm"))
                .ok()
                .map(|b| String::from_utf8_lossy(&b).trim_end().to_string())
            else {
                continue;
            };
            let key = (pid, name);
            let found = match self.known.remove(&key) {
                Some(found) => found,
                None => read_process(&dir, &key.1),
            };
            if let Some(process) = &found {
                processes.push(process.clone());
            }
            known.insert(key, found);
        }
        self.known = known;
        Ok(ProcessList { processes })
    }
}

/// The process in `dir`, whose `comm` reads `name`; `None` for kernel threads and for
/// processes that ended while we looked.
fn read_process(dir: &Path, name: &str) -> Option<Process> {
    let name = name.to_string();
    // Another user's exe link is unreadable without privileges: argv[0] and comm still tell.
    let exe = std::fs::read_link(dir.join("exe"))
        .ok()
        .map(|p| exe_path(&p.to_string_lossy()));
    let cmdline = std::fs::read(dir.join("cmdline")).unwrap_or_default();
    let (argv0, args) = split_cmdline(&cmdline, exe.as_deref());
    let mut hints = hints::from_args(args.iter().map(String::as_str));
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

/// The kernel appends " (deleted)" when the binary was replaced by an update while running.
pub fn exe_path(link: &str) -> String {
    link.strip_suffix(" (deleted)").unwrap_or(link).to_string()
}

/// argv[0] and the other arguments of a `/proc/PID/cmdline`, whose arguments are separated by
/// NULs. Chromium, Edge and Electron rewrite it as one title, `exe arg1 arg2…`, with spaces and a
/// single NUL at the end: then the executable's path (`exe`, when known) or the first space ends
/// argv[0], and spaces separate the arguments.
pub fn split_cmdline(cmdline: &[u8], exe: Option<&str>) -> (Option<String>, Vec<String>) {
    let text = String::from_utf8_lossy(cmdline);
    let mut fields: Vec<&str> = text.split('\0').collect();
    while fields.last().is_some_and(|f| f.is_empty()) {
        fields.pop();
    }
    let (argv0, rest): (&str, Vec<&str>) = match fields.as_slice() {
        [] => return (None, Vec::new()),
        [title] if title.contains(' ') => {
            let argv0_len = exe
                .filter(|e| {
                    title.starts_with(e)
                        && matches!(title.as_bytes().get(e.len()), None | Some(b' '))
                })
                .map(str::len)
                .unwrap_or_else(|| title.find(' ').unwrap_or(title.len()));
            let (argv0, rest) = title.split_at(argv0_len);
            (argv0, rest.split(' ').collect())
        }
        [argv0, rest @ ..] => (argv0, rest.to_vec()),
    };
    let args = rest
        .into_iter()
        .filter(|a| !a.is_empty())
        .map(str::to_string)
        .collect();
    ((!argv0.is_empty()).then(|| argv0.to_string()), args)
}

/// What `klaar debug capture` copies for this probe: each process's name, argv[0] and the
/// arguments that name its app, its app scope, its executable, and the camera devices it holds
/// (no other open file).
pub fn capture(
    w: &crate::capture::Writer,
    _from: &Root,
    summary: &mut crate::capture::Summary,
) -> Result<(), crate::capture::CaptureError> {
    for pid in crate::sysfs::list_dir(&w.from.join("proc"))
        .unwrap_or_default()
        .into_iter()
        .filter(|p| p.bytes().all(|b| b.is_ascii_digit()))
    {
        let dir = std::path::Path::new("proc").join(&pid);
        let Ok(comm) = std::fs::read(w.from.join(&dir).join("comm")) else {
            continue;
        };
        w.write(&dir.join("comm"), &comm)?;
        if let Ok(cmdline) = std::fs::read(w.from.join(&dir).join("cmdline")) {
            // argv[0] and the arguments that name the app (a web app's id, an Electron app's
            // folder), or for pppd what its link runs over; every other argument stays private.
            let exe = std::fs::read_link(w.from.join(&dir).join("exe"))
                .ok()
                .map(|p| exe_path(&p.to_string_lossy()));
            let (argv0, args) = split_cmdline(&cmdline, exe.as_deref());
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
        if let Some(scope) = std::fs::read_to_string(w.from.join(&dir).join("cgroup"))
            .ok()
            .and_then(|c| hints::cgroup_scope_line(&c))
        {
            w.write(&dir.join("cgroup"), scope.as_bytes())?;
        }
        w.link(&dir.join("exe"))?;
        // Only the open camera devices: who holds the camera. Other open files stay private.
        for fd in crate::sysfs::list_dir(&w.from.join(&dir).join("fd")).unwrap_or_default() {
            let rel = dir.join("fd").join(&fd);
            if std::fs::read_link(w.from.join(&rel))
                .is_ok_and(|t| t.to_string_lossy().starts_with("/dev/video"))
            {
                w.link(&rel)?;
            }
        }
        summary.processes += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn argv0_and_arguments() {
        let split = |cmdline: &[u8], exe: Option<&str>| split_cmdline(cmdline, exe);
        assert_eq!(
            split(b"/usr/bin/zoom\0--url\0x\0", None),
            (
                Some("/usr/bin/zoom".into()),
                vec!["--url".into(), "x".into()]
            )
        );
        // Rewritten with spaces, no NUL at all.
        assert_eq!(
            split(b"/opt/slack/slack --type=renderer", None),
            (
                Some("/opt/slack/slack".into()),
                vec!["--type=renderer".into()]
            )
        );
        // Chromium's title: spaces between the arguments and one NUL at the end.
        let edge = b"/opt/microsoft/msedge/msedge --profile-directory=Default --app-id=cifhbcnohmdccbgoicgdjpfamggdegmo\0";
        let (argv0, args) = split(edge, Some("/opt/microsoft/msedge/msedge"));
        assert_eq!(argv0.as_deref(), Some("/opt/microsoft/msedge/msedge"));
        assert_eq!(args[1], "--app-id=cifhbcnohmdccbgoicgdjpfamggdegmo");
        assert_eq!(
            split(edge, None).0.as_deref(),
            Some("/opt/microsoft/msedge/msedge")
        );
        // A program path with a space, no arguments: the executable says where argv[0] ends.
        assert_eq!(
            split(
                b"/opt/Prospect Mail/prospect-mail\0",
                Some("/opt/Prospect Mail/prospect-mail")
            ),
            (Some("/opt/Prospect Mail/prospect-mail".into()), vec![])
        );
        assert_eq!(split(b"", None), (None, vec![]));
        assert_eq!(exe_path("/opt/zoom/zoom (deleted)"), "/opt/zoom/zoom");
    }

    proptest! {
        #[test]
        fn argv0_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = split_cmdline(&bytes, None);
            let _ = split_cmdline(&bytes, Some("/a b"));
        }
    }
}
