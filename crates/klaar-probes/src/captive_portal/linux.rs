//! `Connectivity` (`NMConnectivityState`: 0 unknown, 1 none, 2 portal, 3 limited, 4 full) and
//! `ConnectivityCheckEnabled` of NetworkManager's manager object. Never `CheckConnectivity()`,
//! which would make NetworkManager send a request now.

use crate::bus::Bus;
use crate::nm;
use crate::root::Unanswered;
use crate::Root;
use klaar_facts::{ConnectivityState, PortalFacts, ProbeError};

pub fn probe(root: &Root) -> Result<PortalFacts, ProbeError> {
    let bus = Bus::system(root);
    let state = match nm::as_u64(nm::manager(&bus, "Connectivity")) {
        // Without NetworkManager nobody checks for a sign-in page (iwd, systemd-networkd and
        // ifupdown have no such check): the same as a check switched off, not a failure.
        Err(Unanswered::Absent) => {
            return Ok(PortalFacts {
                state: ConnectivityState::Unknown,
                check_enabled: None,
            })
        }
        other => other,
    };
    let state = state.map_err(|u| u.probe_error("NetworkManager"))?;
    let state = match state {
        1 => ConnectivityState::None,
        2 => ConnectivityState::Portal,
        3 => ConnectivityState::Limited,
        4 => ConnectivityState::Full,
        _ => ConnectivityState::Unknown,
    };
    // Missing before NetworkManager 1.10.
    let check_enabled = nm::manager(&bus, "ConnectivityCheckEnabled")
        .ok()
        .and_then(|v| v.as_bool());
    Ok(PortalFacts {
        state,
        check_enabled,
    })
}
