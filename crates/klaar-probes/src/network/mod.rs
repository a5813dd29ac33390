//! The link that carries internet traffic (and its kind), and the VPN tunnels that are up.

use crate::Root;
use klaar_facts::{Connectivity, ProbeError};

#[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
mod egress;

#[cfg_attr(target_os = "linux", path = "linux/mod.rs")]
#[cfg_attr(any(target_os = "macos", target_os = "windows"), path = "portable.rs")]
#[cfg_attr(
    not(any(target_os = "linux", target_os = "macos", target_os = "windows")),
    path = "unsupported.rs"
)]
mod platform;

#[cfg(all(test, target_os = "linux"))]
#[path = "portable.rs"]
mod portable_on_linux;

pub fn probe(root: &Root) -> Result<Connectivity, ProbeError> {
    platform::probe(root)
}

#[cfg(target_os = "linux")]
pub use platform::{routing, routing_of, ROUTING_FILE};

/// This probe in the registry (`crate::registry`).
pub const PROBE: crate::registry::ProbeDef = crate::registry::ProbeDef {
    id: klaar_facts::ProbeId::Network,
    run: |root| probe(root).map(klaar_facts::Facts::Connectivity),
    #[cfg(target_os = "linux")]
    capture: Some(platform::capture),
};

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn portable_agrees_with_linux_on_the_egress_interface() {
        let linux = super::probe(&crate::Root::live()).unwrap();
        let portable = super::portable_on_linux::probe(&crate::Root::live()).unwrap();
        assert_eq!(linux.network.interface, portable.network.interface);
        assert_eq!(linux.vpn.active, portable.vpn.active);
    }
}
