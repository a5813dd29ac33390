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
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// How long apt may take: it builds its dependency solution first. Measured on Debian 12 with
/// 1 172 packages installed and 112 updates waiting (2 cores): 2,3 s with apt's binary package
/// cache, 4,5 s where the system switches that cache off (container images:
/// `Dir::Cache::pkgcache ""`) and apt rebuilds it on every run. Only the first check after
/// apt's state changed waits this long ([`ask`] keeps the answer).
pub const DEADLINE: Duration = Duration::from_millis(6500);

/// Asks apt; counts only. `APT_CONFIG` in the environment is honoured (as apt does).
///
/// The simulation costs seconds of CPU with many updates waiting, so the answer is kept while
/// nothing it depends on has changed ([`State`]): in memory, and in
/// `$XDG_CACHE_HOME/klaar/apt-updates.json` (counts and the state only), so neither the app's
/// next check nor the next `klaar check` runs apt again.
pub fn ask() -> Result<Value, Unanswered> {
    static LAST: Mutex<Option<(State, Value)>> = Mutex::new(None);
    cached(&LAST, cache_file().as_deref(), State::now(), || {
        let out = crate::command::run(
            "apt-get",
            &["-s", "-q", "-o", "Debug::NoLocking=true", "dist-upgrade"],
            &[0],
            DEADLINE,
        )?;
        let (pending, security) = count(&out);
        Ok(json!({ "pending": pending, "security": security }))
    })
}

/// What apt's answer depends on, as the time each file or folder last changed and its size
/// (`None` where it is missing): the installed packages (dpkg's status file, rewritten by every
/// install, removal and hold), the package lists (their folder changes when `apt update`
/// replaces one), pinning and apt's configuration, and `APT_CONFIG` with the file it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State(Vec<(PathBuf, Option<(SystemTime, u64)>)>);

impl State {
    /// The state of this system's apt now.
    pub fn now() -> State {
        let mut paths: Vec<PathBuf> = [
            "/var/lib/dpkg/status",
            "/var/lib/dpkg/arch",
            "/var/lib/apt/lists",
            "/etc/apt/preferences",
            "/etc/apt/apt.conf",
            "/etc/apt/sources.list",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        // A folder's own time changes when a file is added or removed, not when one is edited in
        // place (a pin changed with an editor): each file counts.
        for dir in [
            "/etc/apt/preferences.d",
            "/etc/apt/apt.conf.d",
            "/etc/apt/sources.list.d",
        ] {
            paths.push(PathBuf::from(dir));
            let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
                .into_iter()
                .flatten()
                .flatten()
                .map(|entry| entry.path())
                .collect();
            files.sort();
            paths.extend(files);
        }
        paths.extend(std::env::var_os("APT_CONFIG").map(PathBuf::from));
        State::of(paths)
    }

    /// The state of `paths`.
    pub fn of(paths: Vec<PathBuf>) -> State {
        let stamp = |p: &PathBuf| {
            let meta = std::fs::metadata(p).ok()?;
            Some((meta.modified().ok()?, meta.len()))
        };
        State(paths.into_iter().map(|p| (p.clone(), stamp(&p))).collect())
    }
}

impl State {
    /// One line per path: the path, the time it last changed (ns since the epoch) and its size,
    /// or "-" where it is missing. Equal texts are equal states.
    fn text(&self) -> String {
        self.0
            .iter()
            .map(|(path, stamp)| {
                let stamp = stamp.map_or_else(
                    || "-".to_string(),
                    |(time, size)| {
                        let ns = time
                            .duration_since(SystemTime::UNIX_EPOCH)
                            .map_or(0, |d| d.as_nanos());
                        format!("{ns} {size}")
                    },
                );
                format!("{}\t{stamp}\n", path.display())
            })
            .collect()
    }
}

/// Where the last answer is kept between runs: `$XDG_CACHE_HOME/klaar/apt-updates.json`, else
/// `~/.cache/klaar/…`; `None` without either, or when that cache folder belongs to another
/// user (`sudo -E klaar check` must not leave a folder of root's in the person's home).
fn cache_file() -> Option<PathBuf> {
    use std::os::unix::fs::MetadataExt;
    let absolute = |v: std::ffi::OsString| Some(PathBuf::from(v)).filter(|p| p.is_absolute());
    let base = std::env::var_os("XDG_CACHE_HOME")
        .and_then(absolute)
        .or_else(|| {
            std::env::var_os("HOME")
                .and_then(absolute)
                .map(|h| h.join(".cache"))
        })?;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    let owner = base
        .ancestors()
        .find_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.uid())?;
    (owner == me).then(|| base.join("klaar/apt-updates.json"))
}

/// `live()`'s answer, or the one it gave last while `state` is the same: from memory, else
/// from `file` (written by an earlier run; a file that is unreadable, of another state or not
/// Klaar's is passed over and replaced). Only answers are kept, never a failure (the next check
/// asks again). A file that cannot be written costs only the next run's time.
fn cached(
    last: &Mutex<Option<(State, Value)>>,
    file: Option<&std::path::Path>,
    state: State,
    live: impl FnOnce() -> Result<Value, Unanswered>,
) -> Result<Value, Unanswered> {
    let mut last = last.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((seen, value)) = last.as_ref() {
        if *seen == state {
            return Ok(value.clone());
        }
    }
    let text = state.text();
    let kept = file
        .and_then(|f| std::fs::read(f).ok())
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        .filter(|kept| kept["state"] == text.as_str() && kept["answer"].is_object());
    let value = match kept {
        Some(kept) => kept["answer"].clone(),
        None => {
            let value = live()?;
            if let Some(file) = file {
                let _ = keep(file, &json!({ "state": text, "answer": value }));
            }
            value
        }
    };
    *last = Some((state, value.clone()));
    Ok(value)
}

/// Writes `kept` to `file` whole (a temporary file renamed over it), readable by this user
/// only (0600; a folder it makes is 0700, as Klaar's calendar cache): how many security updates
/// wait is nobody else's business. The temporary file is removed when anything fails.
fn keep(file: &std::path::Path, kept: &Value) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    let dir = file.parent().unwrap_or(std::path::Path::new("."));
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let temp = dir.join(format!(".apt-updates.{}.tmp", std::process::id()));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&temp)
        .and_then(|mut f| f.write_all(&serde_json::to_vec(kept)?))
        .and_then(|()| std::fs::rename(&temp, file));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
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
    fn apt_is_asked_again_only_when_its_packages_or_lists_changed() {
        let dir = tempfile::tempdir().unwrap();
        let status = dir.path().join("status");
        let lists = dir.path().join("lists");
        std::fs::write(&status, "Package: bash\n").unwrap();
        std::fs::create_dir(&lists).unwrap();
        let state = || State::of(vec![status.clone(), lists.clone()]);
        let last = Mutex::new(None);
        let asked = std::cell::Cell::new(0);
        let ask = |pending: u32| {
            asked.set(asked.get() + 1);
            Ok(json!({ "pending": pending, "security": 0 }))
        };
        let first = cached(&last, None, state(), || ask(3)).unwrap();
        let again = cached(&last, None, state(), || ask(99)).unwrap();
        assert_eq!(
            (first["pending"].clone(), again["pending"].clone()),
            (json!(3), json!(3))
        );
        assert_eq!(asked.get(), 1, "the same state: apt is not run again");

        // `apt update` replaced a list; then an upgrade rewrote dpkg's status.
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(lists.join("deb.debian.org_Packages"), "x").unwrap();
        assert_eq!(
            cached(&last, None, state(), || ask(5)).unwrap()["pending"],
            5
        );
        std::fs::write(&status, "Package: bash\nVersion: 2\n").unwrap();
        assert_eq!(
            cached(&last, None, state(), || ask(0)).unwrap()["pending"],
            0
        );
        assert_eq!(asked.get(), 3);

        // A failure is not kept: the next check asks again.
        std::fs::remove_file(&status).unwrap();
        assert!(cached(&last, None, state(), || Err(Unanswered::Timeout)).is_err());
        assert_eq!(
            cached(&last, None, state(), || ask(1)).unwrap()["pending"],
            1
        );
    }

    #[test]
    fn the_answer_is_kept_on_disk_for_the_next_run_of_the_same_state() {
        let dir = tempfile::tempdir().unwrap();
        let status = dir.path().join("status");
        std::fs::write(&status, "Package: bash\n").unwrap();
        let file = dir.path().join("cache/klaar/apt-updates.json");
        let state = || State::of(vec![status.clone()]);
        let asked = std::cell::Cell::new(0);
        let ask = |pending: u32| {
            asked.set(asked.get() + 1);
            Ok(json!({ "pending": pending, "security": 1 }))
        };
        // Three runs of `klaar check`, each a new process (a new memory).
        let run = |pending| cached(&Mutex::new(None), Some(&file), state(), || ask(pending));
        assert_eq!(run(7).unwrap()["pending"], 7);
        assert_eq!(run(99).unwrap()["pending"], 7, "kept from the first run");
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode();
            assert_eq!(mode(&file) & 0o777, 0o600, "this user's only");
            assert_eq!(mode(file.parent().unwrap()) & 0o777, 0o700);
        }
        assert_eq!(asked.get(), 1);
        // dpkg's status rewritten (an upgrade): asked again, and that answer is kept.
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&status, "Package: bash\nVersion: 2\n").unwrap();
        assert_eq!(run(0).unwrap()["pending"], 0);
        assert_eq!(run(99).unwrap()["pending"], 0);
        assert_eq!(asked.get(), 2);
        // A spoilt file is passed over and replaced; a failure leaves the file as it was.
        std::fs::write(&file, "{\"state\": 3, garbage").unwrap();
        assert_eq!(run(4).unwrap()["pending"], 4);
        assert_eq!(run(99).unwrap()["pending"], 4);
        let before = std::fs::read(&file).unwrap();
        std::fs::write(&status, "changed").unwrap();
        assert!(cached(&Mutex::new(None), Some(&file), state(), || Err(
            Unanswered::Timeout
        ))
        .is_err());
        assert_eq!(std::fs::read(&file).unwrap(), before);
        assert_eq!(asked.get(), 3);
    }

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
