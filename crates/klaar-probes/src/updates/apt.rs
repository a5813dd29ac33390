//! Pending updates from apt's own cache, for systems without PackageKit: a simulated
//! `apt-get dist-upgrade` (`-s`, no locking) reads the package lists apt already downloaded and
//! never fetches new ones. `dist-upgrade` rather than `upgrade`, which leaves out updates that
//! need a new package (librenms-agent#580 counted 23 where 216 were waiting); a simulation
//! rather than `apt list --upgradable`, which also lists updates Ubuntu is still phasing in and
//! will not install yet (lnxlink#234, kolide/launcher#2205), and packages on hold.
//!
//! Each update is one `Inst NAME [OLD] (NEW ORIGINS [ARCH])` line (a new dependency has no
//! `[OLD]` and is not counted); it is a security update when one of its origins is a
//! `-security` archive (`Debian-Security:12/stable-security`, `Ubuntu:24.04/noble-security`).

use crate::root::Unanswered;
use serde_json::{json, Value};
use std::time::Duration;

/// How long apt may take: it builds its dependency solution first (about a second on a
/// desktop with a hundred updates waiting).
pub const DEADLINE: Duration = Duration::from_millis(3500);

/// Asks apt; counts only. `APT_CONFIG` in the environment is honoured (as apt does).
pub fn ask() -> Result<Value, Unanswered> {
    let out = crate::command::run(
        "apt-get",
        &["-s", "-q", "-o", "Debug::NoLocking=true", "dist-upgrade"],
        &[0],
        DEADLINE,
    )?;
    let (pending, security) = count(&out);
    Ok(json!({ "pending": pending, "security": security }))
}

/// (updates, security updates) in a simulation's output.
pub fn count(out: &str) -> (u32, u32) {
    let mut pending = 0;
    let mut security = 0;
    for line in out.lines() {
        let Some(rest) = line.strip_prefix("Inst ") else {
            continue;
        };
        let mut parts = rest.splitn(2, ' ');
        let _name = parts.next();
        let rest = parts.next().unwrap_or("");
        if !rest.starts_with('[') {
            continue;
        }
        pending += 1;
        let origins = rest.split_once('(').map(|(_, o)| o).unwrap_or("");
        if origins
            .split([',', ' '])
            .any(|o| o.to_ascii_lowercase().ends_with("-security"))
        {
            security += 1;
        }
    }
    (pending, security)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updates_are_counted_and_new_dependencies_are_not() {
        let out = "\
NOTE: This is only a simulation!
The following packages will be upgraded:
  bash libgcrypt20 liblzma5
Inst bash [5.2.15-2+b8] (5.2.15-2+b13 Debian:12.15/oldstable [amd64])
Inst libgcrypt20 [1.10.1-3] (1.10.1-3+deb12u1 Debian:12.15/oldstable, Debian-Security:12/oldstable-security [amd64])
Inst liblzma5 [5.4.1-1] (5.4.1-1+deb12u2 Debian-Security:12/oldstable-security [amd64]) []
Inst linux-image-6.1.0-41-amd64 (6.1.158-1 Debian:12.15/oldstable [amd64])
Inst libnss3 [2:3.87.1-1] (2:3.87.1-1+deb12u1 Ubuntu:24.04/noble-security [amd64])
Conf bash (5.2.15-2+b13 Debian:12.15/oldstable [amd64])
";
        assert_eq!(count(out), (4, 3));
        assert_eq!(
            count("0 upgraded, 0 newly installed, 0 to remove and 3 not upgraded.\n"),
            (0, 0)
        );
    }
}
