//! Pending updates from dnf's cache, for systems without PackageKit: `dnf -q -C check-update`
//! (`-C`: the metadata already downloaded, never a refresh; without it dnf fetches expired
//! metadata). It exits 100 when updates are waiting and 0 when none are (dnf(8)); 1 is an
//! error, such as no cache for this user (dnf keeps a cache per user, rpm-software-management/
//! dnf#2033). The list is `NAME.ARCH VERSION REPO`, three columns, which dnf wraps onto the
//! next line when a name is long; a section "Obsoleting Packages" may follow. Security updates
//! would need a second, slower run (`--security`), so they are not counted.

use crate::root::Unanswered;
use serde_json::{json, Value};

/// How long dnf may take to list what its cache holds (cached metadata, no plan to solve).
pub const DEADLINE: std::time::Duration = std::time::Duration::from_millis(3500);

/// Asks dnf; the count only.
pub fn ask() -> Result<Value, Unanswered> {
    let out = crate::command::run("dnf", &["-q", "-C", "check-update"], &[0, 100], DEADLINE)?;
    Ok(json!({ "pending": count(&out), "security": Value::Null }))
}

/// The updates in `check-update`'s list: its words, three per update, up to a blank line or
/// the obsoletes section.
pub fn count(out: &str) -> u32 {
    let mut words = 0;
    let mut started = false;
    for line in out.lines() {
        let line = line.trim();
        if line.starts_with("Obsoleting") || (started && line.is_empty()) {
            break;
        }
        if line.is_empty() || line.starts_with("Last metadata expiration") {
            continue;
        }
        started = true;
        words += line.split_whitespace().count();
    }
    (words / 3) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_names_and_obsoletes_are_counted_once() {
        let out = "
bluez.x86_64                          5.71-2.fc39                 updates
a-very-long-package-name-for-the-column.noarch
                                      1.2-3.fc39                  updates
xerces-c.x86_64                       3.2.5-1.fc39                updates
Obsoleting Packages
grub2-tools.x86_64                    1:2.06-1.fc39               updates
    grub2-tools.x86_64                1:2.04-1.fc39               @updates
";
        assert_eq!(count(out), 3);
        assert_eq!(count(""), 0);
    }
}
