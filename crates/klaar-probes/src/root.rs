use std::path::{Path, PathBuf};

/// Where `/sys` and `/proc` are read from: `/` on a live machine, or a captured tree named by the
/// environment variable `KLAAR_ROOT`. A replayed root also means: the routing state and the
/// camera nodes' capabilities come from its files (`klaar/*.json`, else `proc/net/route`), never
/// from the running kernel or the devices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    path: PathBuf,
    replay: bool,
}

impl Root {
    pub const ENV: &'static str = "KLAAR_ROOT";

    /// The live machine.
    pub fn live() -> Self {
        Root {
            path: PathBuf::from("/"),
            replay: false,
        }
    }

    /// A captured tree.
    pub fn replay(path: impl Into<PathBuf>) -> Self {
        Root {
            path: path.into(),
            replay: true,
        }
    }

    /// `KLAAR_ROOT` when set and not empty, else the live machine.
    pub fn from_env() -> Self {
        match std::env::var_os(Self::ENV) {
            Some(p) if !p.is_empty() => Root::replay(p),
            _ => Root::live(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn is_replay(&self) -> bool {
        self.replay
    }

    /// `rel` is relative, like `sys/class/net`.
    pub fn join(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.path.join(rel)
    }
}
