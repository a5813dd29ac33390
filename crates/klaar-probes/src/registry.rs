//! Every probe in one table: its id (and facts type, declared in `klaar_facts`), how it runs,
//! and what `klaar debug capture` records for it. The dispatch ([`crate::probe`]) and the
//! capture follow from this table; a test holds it to `ProbeId::ALL`.

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

/// Every probe, in `ProbeId::ALL`'s order.
pub const PROBES: &[ProbeDef] = &[
    crate::power::PROBE,
    crate::network::PROBE,
    crate::processes::PROBE,
    crate::camera::PROBE,
    crate::microphone::PROBE,
    crate::wifi_security::PROBE,
    crate::captive_portal::PROBE,
    crate::disk_encryption::PROBE,
    crate::usb_storage::PROBE,
    crate::screen_lock::PROBE,
    crate::updates::PROBE,
    crate::connection::PROBE,
];

/// The probe with this id.
///
/// # Panics
/// Never for an id of `ProbeId::ALL` (a test checks the table holds each once).
pub fn def(id: ProbeId) -> &'static ProbeDef {
    PROBES
        .iter()
        .find(|p| p.id == id)
        .expect("every probe is registered")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_holds_every_probe_once_in_order() {
        let ids: Vec<ProbeId> = PROBES.iter().map(|p| p.id).collect();
        assert_eq!(ids, ProbeId::ALL);
    }
}
