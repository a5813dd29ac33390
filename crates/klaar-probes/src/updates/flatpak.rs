//! Flatpak updates from what Flatpak already has on disk, never from the network: `flatpak
//! remote-ls --updates --cached` is no such thing, it fetches the summary when none is cached
//! (`get_remote_state` in flatpak's `flatpak-builtins-utils.c`).
//!
//! An installation (the system one, `FLATPAK_SYSTEM_DIR` or `/var/lib/flatpak`, and the
//! user's, `FLATPAK_USER_DIR` or `$XDG_DATA_HOME/flatpak`) deploys each ref in
//! `{app,runtime}/ID/ARCH/BRANCH/active`, a link named after the deployed commit; the
//! `deploy` file there (GVariant `(ssasta{sv})`) names the remote it came from. What the
//! remote offers is the summary Flatpak cached the last time it looked, in a `summaries`
//! folder (the installation's `repo/tmp/cache`, and for the system installation read by a
//! user, `$XDG_CACHE_HOME/flatpak/system-cache`): an index `REMOTE.idx`
//! (`(a{s(ayaaya{sv})}a{sv})`, one sub-summary per architecture) pointing at
//! `REMOTE-ARCH-SHA256.sub`, or for remotes without an index the whole summary `REMOTE`; a
//! summary is `(a(s(taya{sv}))a{sv})`, each ref with its newest commit. A ref whose deployed
//! commit differs from the summary's is an update (as `flatpak remote-ls --updates` counts).
//! The data are read with GLib's own GVariant parser; data not in normal form (a damaged
//! file) count as no summary.

use crate::root::Unanswered;
use gio::glib;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One Flatpak installation and the folders its cached summaries may be in.
#[derive(Debug, Clone)]
pub struct Installation {
    pub dir: PathBuf,
    pub caches: Vec<PathBuf>,
}

/// What was found: updates among the deployed refs whose remote's summary is cached, and
/// the remotes with deployed refs but no cached summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub updates: u32,
    pub refs: u32,
    pub uncached: Vec<String>,
}

/// The system and user installations, from the same variables Flatpak itself reads.
pub fn installations() -> Vec<Installation> {
    let env = |name: &str| std::env::var_os(name).map(PathBuf::from);
    let home = env("HOME");
    let data = env("XDG_DATA_HOME").or_else(|| home.as_ref().map(|h| h.join(".local/share")));
    let cache = env("XDG_CACHE_HOME").or_else(|| home.as_ref().map(|h| h.join(".cache")));
    let system = env("FLATPAK_SYSTEM_DIR").unwrap_or_else(|| PathBuf::from("/var/lib/flatpak"));
    let mut list = vec![Installation {
        caches: std::iter::once(system.join("repo/tmp/cache/summaries"))
            .chain(cache.map(|c| c.join("flatpak/system-cache/summaries")))
            .collect(),
        dir: system,
    }];
    if let Some(user) = env("FLATPAK_USER_DIR").or_else(|| data.map(|d| d.join("flatpak"))) {
        list.push(Installation {
            caches: vec![user.join("repo/tmp/cache/summaries")],
            dir: user,
        });
    }
    list
}

/// Counts the updates across `installations`. `Err(Absent)` when none has a deployed ref
/// (Flatpak not in use).
pub fn updates(installations: &[Installation]) -> Result<Found, Unanswered> {
    let mut found = Found {
        updates: 0,
        refs: 0,
        uncached: Vec::new(),
    };
    for installation in installations {
        let mut summaries: HashMap<(String, String), Option<HashMap<String, String>>> =
            HashMap::new();
        for deployed in deployed(&installation.dir) {
            found.refs += 1;
            let key = (deployed.origin.clone(), deployed.arch.clone());
            let summary = summaries
                .entry(key)
                .or_insert_with(|| summary(&installation.caches, &deployed.origin, &deployed.arch));
            match summary {
                Some(refs) => {
                    if refs
                        .get(&deployed.name)
                        .is_some_and(|newest| *newest != deployed.commit)
                    {
                        found.updates += 1;
                    }
                }
                None => {
                    if !found.uncached.contains(&deployed.origin) {
                        found.uncached.push(deployed.origin.clone());
                    }
                }
            }
        }
    }
    if found.refs == 0 {
        return Err(Unanswered::Absent);
    }
    Ok(found)
}

/// A deployed ref: `app/org.example.App/x86_64/stable`, its commit and its remote.
struct Deployed {
    name: String,
    arch: String,
    commit: String,
    origin: String,
}

fn deployed(dir: &Path) -> Vec<Deployed> {
    let list = |p: &Path| crate::sysfs::list_dir(p).unwrap_or_default();
    let mut out = Vec::new();
    for kind in ["app", "runtime"] {
        for id in list(&dir.join(kind)) {
            for arch in list(&dir.join(kind).join(&id)) {
                for branch in list(&dir.join(kind).join(&id).join(&arch)) {
                    let base = dir.join(kind).join(&id).join(&arch).join(&branch);
                    let Ok(target) = std::fs::read_link(base.join("active")) else {
                        continue;
                    };
                    let Some(commit) = target.file_name().and_then(|n| n.to_str()) else {
                        continue;
                    };
                    let Some(origin) = origin(&base.join("active/deploy")) else {
                        continue;
                    };
                    out.push(Deployed {
                        name: format!("{kind}/{id}/{arch}/{branch}"),
                        arch: arch.clone(),
                        commit: commit.to_string(),
                        origin,
                    });
                }
            }
        }
    }
    out
}

/// The remote named in a `deploy` file.
fn origin(deploy: &Path) -> Option<String> {
    let data = std::fs::read(deploy).ok()?;
    let v = glib::Variant::from_data_with_type(data, glib::VariantTy::new("(ssasta{sv})").ok()?);
    if !v.is_normal_form() {
        return None;
    }
    let origin = v.try_child_value(0)?.str()?.to_string();
    (!origin.is_empty()).then_some(origin)
}

/// The newest commit of each ref `remote` offers for `arch`, from the most recently written
/// cached summary; `None` when none is cached.
fn summary(caches: &[PathBuf], remote: &str, arch: &str) -> Option<HashMap<String, String>> {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let mut candidates: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
    for cache in caches {
        let index = cache.join(format!("{remote}.idx"));
        if let Some(when) = modified(&index) {
            if let Some(sub) = subsummary(&index, arch) {
                let path = cache.join(format!("{remote}-{arch}-{sub}.sub"));
                if path.is_file() {
                    candidates.push((when, path));
                }
            }
        } else if let Some(when) = modified(&cache.join(remote)) {
            candidates.push((when, cache.join(remote)));
        }
    }
    candidates.sort();
    let (_, newest) = candidates.pop()?;
    refs(&std::fs::read(newest).ok()?)
}

/// The sub-summary for `arch` in an index: its SHA-256 in hex.
fn subsummary(index: &Path, arch: &str) -> Option<String> {
    let data = std::fs::read(index).ok()?;
    let v = glib::Variant::from_data_with_type(
        data,
        glib::VariantTy::new("(a{s(ayaaya{sv})}a{sv})").ok()?,
    );
    if !v.is_normal_form() {
        return None;
    }
    let map = v.try_child_value(0)?;
    (0..map.n_children()).find_map(|i| {
        let entry = map.try_child_value(i)?;
        if entry.try_child_value(0)?.str()? != arch {
            return None;
        }
        hex(entry
            .try_child_value(1)?
            .try_child_value(0)?
            .fixed_array::<u8>()
            .ok()?)
    })
}

/// A summary's refs and their commits in hex.
fn refs(data: &[u8]) -> Option<HashMap<String, String>> {
    let v = glib::Variant::from_data_with_type(
        data,
        glib::VariantTy::new("(a(s(taya{sv}))a{sv})").ok()?,
    );
    if !v.is_normal_form() {
        return None;
    }
    let list = v.try_child_value(0)?;
    let mut out = HashMap::new();
    for i in 0..list.n_children() {
        let Some(entry) = list.try_child_value(i) else {
            continue;
        };
        let name = entry
            .try_child_value(0)
            .and_then(|n| n.str().map(String::from));
        let commit = entry
            .try_child_value(1)
            .and_then(|info| info.try_child_value(1))
            .and_then(|c| c.fixed_array::<u8>().ok().and_then(hex));
        if let (Some(name), Some(commit)) = (name, commit) {
            out.insert(name, commit);
        }
    }
    Some(out)
}

/// A SHA-256 digest in lower-case hex; `None` unless it is 32 bytes.
fn hex(bytes: &[u8]) -> Option<String> {
    (bytes.len() == 32).then(|| bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::super::flatpak_fixture::*;
    use super::*;

    const APP: &str = "app/nl.example.Les/x86_64/stable";
    const RUNTIME: &str = "runtime/org.freedesktop.Platform/x86_64/24.08";

    fn installation(dir: &Path) -> Installation {
        Installation {
            dir: dir.join("flatpak"),
            caches: vec![
                dir.join("flatpak/repo/tmp/cache/summaries"),
                dir.join("cache/flatpak/system-cache/summaries"),
            ],
        }
    }

    #[test]
    fn a_deployed_ref_behind_the_cached_summary_is_an_update() {
        let t = tempfile::tempdir().unwrap();
        let i = installation(t.path());
        deploy(&i.dir, APP, "flathub", &digest(1));
        deploy(&i.dir, RUNTIME, "flathub", &digest(2));
        cache_indexed(
            &i.caches[1],
            "flathub",
            "x86_64",
            &[(APP, digest(9)), (RUNTIME, digest(2))],
        );
        let found = updates(&[i]).unwrap();
        assert_eq!(found.updates, 1, "only the app has a newer commit");
        assert_eq!(found.refs, 2);
        assert!(found.uncached.is_empty());
    }

    #[test]
    fn a_plain_summary_counts_the_same_and_the_newest_cache_wins() {
        let t = tempfile::tempdir().unwrap();
        let i = installation(t.path());
        deploy(&i.dir, APP, "flathub", &digest(1));
        cache_plain(&i.caches[0], "flathub", &[(APP, digest(1))]);
        assert_eq!(updates(std::slice::from_ref(&i)).unwrap().updates, 0);
        std::thread::sleep(std::time::Duration::from_millis(20));
        cache_indexed(&i.caches[1], "flathub", "x86_64", &[(APP, digest(7))]);
        assert_eq!(updates(&[i]).unwrap().updates, 1);
    }

    #[test]
    fn no_cached_summary_is_said_and_no_flatpak_is_absent() {
        let t = tempfile::tempdir().unwrap();
        let i = installation(t.path());
        assert_eq!(
            updates(std::slice::from_ref(&i)),
            Err(Unanswered::Absent),
            "nothing deployed: Flatpak not in use"
        );
        deploy(&i.dir, APP, "flathub", &digest(1));
        let found = updates(&[i]).unwrap();
        assert_eq!(found.updates, 0);
        assert_eq!(found.uncached, vec!["flathub".to_string()]);
    }

    #[test]
    fn garbage_in_the_cache_or_deploy_file_is_no_answer_and_no_panic() {
        let t = tempfile::tempdir().unwrap();
        let i = installation(t.path());
        deploy(&i.dir, APP, "flathub", &digest(1));
        std::fs::create_dir_all(&i.caches[0]).unwrap();
        std::fs::write(i.caches[0].join("flathub.idx"), b"\xff\x00garbage").unwrap();
        std::fs::write(i.caches[0].join("flathub"), b"not a summary").unwrap();
        let found = updates(std::slice::from_ref(&i)).unwrap();
        assert_eq!(found.updates, 0);
        assert_eq!(found.uncached, vec!["flathub".to_string()]);
        std::fs::write(i.dir.join(APP).join("active/deploy"), b"\x01").unwrap();
        assert_eq!(updates(&[i]), Err(Unanswered::Absent));
    }
}
