//! Where a job's images go: the output folder, then (when it cannot take them) another usual
//! folder, then the private rescue folder. Named places, not positions in a list.

use std::path::{Path, PathBuf};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Folders {
    /// Where the user wants the images.
    pub out: PathBuf,
    /// The usual images folder, when `out` is another one.
    pub fallback: Option<PathBuf>,
    /// The last resort; made private before it is used.
    pub rescue: PathBuf,
}

impl Folders {
    /// `out`, then the rescue folder.
    pub fn new(out: PathBuf) -> Self {
        Self { out, fallback: None, rescue: super::rescue_dir() }
    }

    /// Tries `dir` after `out` (unless it is `out`).
    pub fn with_fallback(mut self, dir: PathBuf) -> Self {
        self.fallback = (dir != self.out).then_some(dir);
        self
    }

    /// Another last resort (tests use a folder of their own).
    #[cfg(any(test, feature = "internals"))]
    pub fn with_rescue(mut self, dir: PathBuf) -> Self {
        self.rescue = dir;
        self
    }

    /// The folders in the order they are tried, each with whether it is the rescue folder.
    pub fn in_order(&self) -> impl Iterator<Item = (&Path, bool)> {
        [(self.out.as_path(), false)]
            .into_iter()
            .chain(self.fallback.as_deref().map(|dir| (dir, false)))
            .chain([(self.rescue.as_path(), true)])
    }
}
