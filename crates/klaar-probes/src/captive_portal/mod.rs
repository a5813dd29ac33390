//! Whether the network sends you to a sign-in page first: NetworkManager's `Connectivity`, as
//! its own check last found it. Klaar sends nothing to find out. Without NetworkManager (iwd
//! has no such check; other systems): cannot tell.

#[cfg(target_os = "linux")]
mod linux;

crate::linux_only_probe!(
    CaptivePortal,
    PortalFacts,
    capture = |w, from, _| w.answers(from, probe)
);
