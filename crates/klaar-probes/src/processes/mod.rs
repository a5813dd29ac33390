//! Running processes, as far as recognising apps needs: executable path, name, argv[0], and the
//! arguments and sandbox that name the app a browser or shared runtime runs ([`hints`]).

pub mod hints;

use crate::Root;
use klaar_facts::{ProbeError, ProcessList};

#[cfg_attr(target_os = "linux", path = "linux.rs")]
#[cfg_attr(any(target_os = "macos", target_os = "windows"), path = "portable.rs")]
#[cfg_attr(
    not(any(target_os = "linux", target_os = "macos", target_os = "windows")),
    path = "unsupported.rs"
)]
mod platform;

#[cfg(all(test, target_os = "linux"))]
#[path = "portable.rs"]
mod portable_on_linux;

pub fn probe(root: &Root) -> Result<ProcessList, ProbeError> {
    platform::probe(root)
}

#[cfg(target_os = "linux")]
pub(crate) use platform::split_cmdline;

/// The process list for a watch that looks every few seconds; on Linux only new processes are
/// read in full.
#[cfg(target_os = "linux")]
pub use platform::Cache;

/// The process list for a watch that looks every few seconds (elsewhere: the whole list each
/// time).
#[cfg(not(target_os = "linux"))]
#[derive(Debug, Default)]
pub struct Cache;

#[cfg(not(target_os = "linux"))]
impl Cache {
    /// The processes now.
    ///
    /// # Errors
    /// As [`probe`].
    pub fn look(&mut self, root: &Root) -> Result<ProcessList, ProbeError> {
        probe(root)
    }
}

/// This probe in the registry (`crate::registry`).
pub const PROBE: crate::registry::ProbeDef = crate::registry::ProbeDef {
    id: klaar_facts::ProbeId::Processes,
    run: |root| probe(root).map(klaar_facts::Facts::Processes),
    #[cfg(target_os = "linux")]
    capture: Some(platform::capture),
};

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn portable_and_linux_both_see_this_test() {
        let me = std::env::current_exe().unwrap().display().to_string();
        for list in [
            super::portable_on_linux::probe(&crate::Root::live()).unwrap(),
            super::probe(&crate::Root::live()).unwrap(),
        ] {
            assert!(
                list.processes
                    .iter()
                    .any(|p| p.exe.as_deref() == Some(me.as_str())),
                "{me} not in {list:?}"
            );
        }
    }
}
