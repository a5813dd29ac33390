//! Every probe in one table: its id (and facts type, declared in `klaar_facts::with_probes!`,
//! the one list of probes), how it runs, and what `klaar debug capture` records for it. The
//! table is made from that list, each entry being the `PROBE` of the module the list names; the
//! dispatch ([`crate::probe`]) and the capture follow from it.

use crate::Root;
use klaar_facts::{Facts, ProbeError, ProbeId};

/// How one probe runs, and what a capture records for it.
pub struct ProbeDef {
    pub id: ProbeId,
    /// Runs the probe to completion on the calling thread.
    pub run: fn(&Root) -> Result<Facts, ProbeError>,
    /// Copies what the probe reads into a capture; `None` when a replay asks the live source
    /// anyway (the microphone asks the sound server).
    #[cfg(target_os = "linux")]
    pub capture: Option<crate::capture::CaptureFn>,
}

/// For a probe implemented on Linux only (no cross-platform crate answers): its `probe`, which
/// is `Unsupported` elsewhere, and its `PROBE`. The module has a `linux` submodule with
/// `probe(&Root) -> Result<Facts, ProbeError>`; `capture` is the capture function.
///
/// `linux_only_probe!(WifiSecurity, WifiSecurityFacts, capture = |w, from, _| …)`.
#[macro_export]
#[doc(hidden)]
macro_rules! linux_only_probe {
    ($id:ident, $facts:ident, capture = $capture:expr) => {
        pub fn probe(root: &$crate::Root) -> Result<klaar_facts::$facts, klaar_facts::ProbeError> {
            #[cfg(target_os = "linux")]
            return linux::probe(root);
            #[cfg(not(target_os = "linux"))]
            {
                let _ = root;
                Err(klaar_facts::ProbeError::Unsupported)
            }
        }

        /// This probe in the registry (`crate::registry`).
        pub const PROBE: $crate::registry::ProbeDef = $crate::registry::ProbeDef {
            id: klaar_facts::ProbeId::$id,
            run: |root| probe(root).map(klaar_facts::Facts::$id),
            #[cfg(target_os = "linux")]
            capture: Some($capture),
        };
    };
}

/// Makes [`PROBES`] and [`def`] from `klaar_facts::with_probes!`'s list: a probe listed there
/// without a module here, or a module whose `PROBE` carries another id, does not compile.
macro_rules! registry {
    ($(
        $(#[$doc:meta])*
        $id:ident = $name:literal, module = $module:ident, $variant:ident($facts:ty),
            min_deadline_ms = $min:expr;
    )*) => {
        $(const _: () = assert!(
            matches!(crate::$module::PROBE.id, ProbeId::$id),
            concat!("the PROBE of module ", stringify!($module), " is not ", $name),
        );)*

        /// Every probe, in `ProbeId::ALL`'s order.
        pub const PROBES: &[ProbeDef] = &[$(crate::$module::PROBE),*];

        /// The probe with this id.
        pub fn def(id: ProbeId) -> &'static ProbeDef {
            match id {
                $(ProbeId::$id => &crate::$module::PROBE),*
            }
        }
    };
}

klaar_facts::with_probes!(registry);
