//! Flatpak installations and cached summaries written the way Flatpak writes them (GLib
//! serialises the same GVariant types), for the tests here and of crates that run `klaar`
//! (feature `test-fixtures`).
use gio::glib::{self, ToVariant};
use std::collections::HashMap;
use std::path::Path;

/// A 32-byte digest whose hex starts with `tag`'s bytes.
pub fn digest(tag: u8) -> Vec<u8> {
    (0..32).map(|i| tag.wrapping_add(i)).collect()
}

fn hex(d: &[u8]) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Deploys `name` (`app/ID/ARCH/BRANCH`) at `commit` from `origin`.
pub fn deploy(dir: &Path, name: &str, origin: &str, commit: &[u8]) {
    let base = dir.join(name);
    let target = base.join(hex(commit));
    std::fs::create_dir_all(&target).unwrap();
    let meta: HashMap<String, glib::Variant> = HashMap::new();
    let data = (
        origin.to_string(),
        hex(commit),
        Vec::<String>::new(),
        0u64,
        meta,
    )
        .to_variant();
    std::fs::write(target.join("deploy"), data.data()).unwrap();
    std::os::unix::fs::symlink(hex(commit), base.join("active")).unwrap();
}

fn summary(refs: &[(&str, Vec<u8>)]) -> glib::Variant {
    let list: Vec<glib::Variant> = refs
        .iter()
        .map(|(name, commit)| {
            let meta: HashMap<String, glib::Variant> = HashMap::new();
            (name.to_string(), (0u64, commit.clone(), meta)).to_variant()
        })
        .collect();
    let meta: HashMap<String, glib::Variant> = HashMap::new();
    glib::Variant::tuple_from_iter([
        glib::Variant::array_from_iter_with_type(
            glib::VariantTy::new("(s(taya{sv}))").unwrap(),
            list,
        ),
        meta.to_variant(),
    ])
}

/// Caches an indexed summary for `remote` and `arch` in `cache`.
pub fn cache_indexed(cache: &Path, remote: &str, arch: &str, refs: &[(&str, Vec<u8>)]) {
    std::fs::create_dir_all(cache).unwrap();
    let sub = summary(refs);
    let sub_digest = digest(0xa0);
    std::fs::write(
        cache.join(format!("{remote}-{arch}-{}.sub", hex(&sub_digest))),
        sub.data(),
    )
    .unwrap();
    let meta: HashMap<String, glib::Variant> = HashMap::new();
    let mut subsummaries: HashMap<String, SubsummaryEntry> = HashMap::new();
    subsummaries.insert(arch.to_string(), (sub_digest, Vec::new(), meta.clone()));
    let index = (subsummaries, meta).to_variant();
    std::fs::write(cache.join(format!("{remote}.idx")), index.data()).unwrap();
}

/// One entry of a summary index: the subsummary's digest, earlier digests, metadata
/// (`(ayaaya{sv})`).
type SubsummaryEntry = (Vec<u8>, Vec<Vec<u8>>, HashMap<String, glib::Variant>);

/// Caches a whole (not indexed) summary for `remote`.
pub fn cache_plain(cache: &Path, remote: &str, refs: &[(&str, Vec<u8>)]) {
    std::fs::create_dir_all(cache).unwrap();
    std::fs::write(cache.join(remote), summary(refs).data()).unwrap();
}
