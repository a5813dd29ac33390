//! macOS and Windows: sysinfo, asking only for what matching needs (a full refresh is slow).

use crate::Root;
use klaar_facts::{ProbeError, Process, ProcessList};
use sysinfo::{ProcessRefreshKind, ProcessesToUpdate, System, UpdateKind};

pub fn probe(_root: &Root) -> Result<ProcessList, ProbeError> {
    let mut system = System::new().map_err(|e| match e {
        sysinfo::Error::Unsupported => ProbeError::Unsupported,
        other => ProbeError::Unreadable {
            path: "process table".into(),
            reason: other.to_string(),
        },
    })?;
    system.refresh_processes_specifics(
        ProcessesToUpdate::All,
        true,
        ProcessRefreshKind::nothing()
            .with_exe(UpdateKind::OnlyIfNotSet)
            .with_cmd(UpdateKind::OnlyIfNotSet),
    );
    let processes = system
        .processes()
        .values()
        .map(|p| Process {
            exe: p.exe().map(|e| e.display().to_string()),
            name: p.name().to_string_lossy().into_owned(),
            argv0: p.cmd().first().map(|a| a.to_string_lossy().into_owned()),
            hints: {
                let args: Vec<String> = p
                    .cmd()
                    .iter()
                    .skip(1)
                    .map(|a| a.to_string_lossy().into_owned())
                    .collect();
                super::hints::from_args(args.iter().map(String::as_str))
            },
        })
        .collect();
    Ok(ProcessList { processes })
}
