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

/// Every probe, in `ProbeId::ALL`'s order.
pub const PROBES: &[ProbeDef] = &[
    crate::power::PROBE,
    crate::network::PROBE,
    crate::processes::PROBE,
    crate::camera::PROBE,
    crate::microphone::PROBE,
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
