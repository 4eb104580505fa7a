//! The full-resolution pixels of the last few images shown, so the viewer (a new size), each
//! zoom step and each pan only crop, fit and encode: decoding a 1536x1024 PNG is most of a
//! preview's cost. Only a few are kept, since each holds a full-size RGBA image.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use image::RgbaImage;

use super::WarmPixels;

/// Decoded images kept at once (6 MB each at 1536x1024): the shown one, the one compared with
/// it, and the one before.
const KEPT: usize = 3;
/// And no more than this in pixels (three 3072x1024 images would be 36 MB); the newest is kept
/// whatever its size.
const KEPT_BYTES: usize = 40 << 20;

#[derive(Clone, Default)]
pub struct DecodedImages {
    /// Least recently used first.
    entries: Arc<Mutex<VecDeque<Kept>>>,
}

type Kept = (FileVersion, Arc<RgbaImage>);

/// A file as it is now: a file replaced since (same path) is decoded again.
#[derive(Clone, Debug, PartialEq, Eq)]
struct FileVersion {
    path: PathBuf,
    len: u64,
    modified: Option<SystemTime>,
}

impl FileVersion {
    fn of(path: &Path) -> Result<Self, String> {
        let meta = std::fs::metadata(path).map_err(|e| format!("cannot show {}: {e}", path.display()))?;
        Ok(Self { path: path.to_path_buf(), len: meta.len(), modified: meta.modified().ok() })
    }
}

impl DecodedImages {
    /// The pixels of `path`: kept from before, decoded while a fresh answer was written
    /// (`warm`), or read and decoded now.
    pub fn pixels(&self, path: &Path, warm: Option<&WarmPixels>) -> Result<Arc<RgbaImage>, String> {
        let version = FileVersion::of(path)?;
        if let Some(pixels) = self.kept(&version) {
            return Ok(pixels);
        }
        let pixels = match warm.and_then(|w| w.take(path)) {
            Some(pixels) => Arc::new(pixels),
            // `into_rgba8` reuses the decoded buffer when the file is RGBA already.
            None => Arc::new(
                crate::files::load_image(path)
                    .map_err(|e| format!("cannot show {}: {e}", path.display()))?
                    .into_rgba8(),
            ),
        };
        let mut entries = self.lock();
        entries.retain(|(kept, _)| kept.path != version.path);
        entries.push_back((version, pixels.clone()));
        let bytes = |entries: &VecDeque<Kept>| entries.iter().map(|(_, p)| p.as_raw().len()).sum::<usize>();
        while entries.len() > KEPT || (entries.len() > 1 && bytes(&entries) > KEPT_BYTES) {
            entries.pop_front();
        }
        Ok(pixels)
    }

    /// Kept pixels of this version of the file, now the most recently used.
    fn kept(&self, version: &FileVersion) -> Option<Arc<RgbaImage>> {
        let mut entries = self.lock();
        let at = entries.iter().position(|(kept, _)| kept == version)?;
        let entry = entries.remove(at)?;
        let pixels = entry.1.clone();
        entries.push_back(entry);
        Some(pixels)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Kept>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(path: &Path, width: u32) {
        RgbaImage::new(width, 2).save(path).unwrap();
    }

    #[test]
    fn an_image_is_decoded_once_until_its_file_changes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.png");
        png(&path, 4);
        let decoded = DecodedImages::default();
        let first = decoded.pixels(&path, None).unwrap();
        assert!(Arc::ptr_eq(&first, &decoded.pixels(&path, None).unwrap()), "the kept pixels, not decoded again");
        png(&path, 7);
        assert_eq!(decoded.pixels(&path, None).unwrap().width(), 7, "a file replaced is read again");
        std::fs::remove_file(&path).unwrap();
        assert!(decoded.pixels(&path, None).unwrap_err().contains("a.png"), "a file gone is not shown from memory");
    }

    #[test]
    fn only_the_last_few_used_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let decoded = DecodedImages::default();
        let paths: Vec<PathBuf> = (0..4).map(|i| dir.path().join(format!("{i}.png"))).collect();
        for path in &paths {
            png(path, 3);
        }
        let first = decoded.pixels(&paths[0], None).unwrap();
        for path in &paths[1..] {
            decoded.pixels(path, None).unwrap();
        }
        assert!(!Arc::ptr_eq(&first, &decoded.pixels(&paths[0], None).unwrap()), "the oldest was let go");
        let fourth = decoded.pixels(&paths[3], None).unwrap();
        assert!(Arc::ptr_eq(&fourth, &decoded.pixels(&paths[3], None).unwrap()));
    }

    #[test]
    fn a_damaged_file_says_which() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.png");
        std::fs::write(&path, b"not a png").unwrap();
        assert!(DecodedImages::default().pixels(&path, None).unwrap_err().contains("bad.png"));
    }
}
