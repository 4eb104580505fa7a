//! The gallery: the history's jobs as thumbnails, a page at a time. Its selection is the
//! history's, so e/r/E/d act on the same job as there.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::store::JobId;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Gallery {
    /// Each job's first image, once asked for (`None`: it has none, or the answer is coming).
    pub first_images: HashMap<JobId, Option<Thumb>>,
}

/// A job's first image: its file, and its SHA-256 (the thumbnail cache's key).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Thumb {
    pub path: PathBuf,
    pub sha256: String,
}

impl Gallery {
    /// The SHA-256 of the tile image at `path`, if the gallery shows it.
    pub fn sha256_of(&self, path: &std::path::Path) -> Option<&str> {
        self.first_images.values().flatten().find(|t| t.path == path).map(|t| t.sha256.as_str())
    }
}

/// Thumbnails across and down on a screen of `width` x `height` (one row is the status row):
/// 4x3 at 120x40, 4x2 at 80x24.
pub fn layout(width: u16, height: u16) -> (u16, u16) {
    let tile_width = if width >= 100 { 28 } else { 20 };
    let tile_height = if height >= 30 { 13 } else { 11 };
    ((width / tile_width).max(1), (height.saturating_sub(1) / tile_height).max(1))
}
