//! Gallery thumbnails kept on disk, keyed by the image's SHA-256 (from the history) and the
//! tile's size in pixels, so a gallery page opens without decoding the full images again. A
//! cache: anything wrong with it (unwritable, damaged, another user's) means decoding anew.

use std::io::Read;
use std::path::PathBuf;

use image::RgbaImage;

/// A thumbnail is small; a file larger than this is not one of ours.
const THUMB_MAX_BYTES: u64 = 8 << 20;

#[derive(Clone, Debug)]
pub struct ThumbCache {
    dir: PathBuf,
}

impl ThumbCache {
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    /// `None` for a key that is not a SHA-256 in hex: it never becomes part of a path.
    fn path(&self, sha256: &str, size: (u32, u32)) -> Option<PathBuf> {
        let hex = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit());
        hex.then(|| self.dir.join(format!("{sha256}-{}x{}.png", size.0, size.1)))
    }

    /// The thumbnail of `sha256` at `size`, unless `image` (the file it stands for) changed
    /// after it was made: a file replaced under the same name has a new picture.
    pub fn get(&self, sha256: &str, size: (u32, u32), image: &std::path::Path) -> Option<RgbaImage> {
        let path = self.path(sha256, size)?;
        let (file, _) = crate::files::open_regular(&path).ok()?;
        let modified = |meta: std::io::Result<std::fs::Metadata>| meta.ok().and_then(|m| m.modified().ok());
        if modified(std::fs::metadata(image)) > modified(file.metadata()) {
            return None;
        }
        let mut bytes = Vec::new();
        file.take(THUMB_MAX_BYTES).read_to_end(&mut bytes).ok()?;
        image::load_from_memory_with_format(&bytes, image::ImageFormat::Png).ok().map(|i| i.into_rgba8())
    }

    /// Keeps `thumb`; a failure is only logged (the next page decodes again).
    pub fn put(&self, sha256: &str, size: (u32, u32), thumb: &RgbaImage) {
        let Some(path) = self.path(sha256, size) else { return };
        let written = std::fs::create_dir_all(&self.dir).and_then(|()| {
            let temp = crate::files::temp_path(&self.dir, "thumb.png");
            let saved = thumb.save_with_format(&temp, image::ImageFormat::Png).map_err(std::io::Error::other);
            saved.and_then(|()| std::fs::rename(&temp, &path)).inspect_err(|_| {
                let _ = std::fs::remove_file(&temp);
            })
        });
        if let Err(e) = written {
            tracing::debug!(error = %e, "thumbnail not cached");
        }
    }

    /// The tile-sized picture of `full` for an area of `area` pixels: what is cached.
    pub fn shrink(full: &RgbaImage, area: (u32, u32)) -> RgbaImage {
        let (w, h) = full.dimensions();
        let scale = (f64::from(area.0) / f64::from(w.max(1))).min(f64::from(area.1) / f64::from(h.max(1))).min(1.0);
        let size = (((f64::from(w) * scale) as u32).max(1), ((f64::from(h) * scale) as u32).max(1));
        image::imageops::thumbnail(full, size.0, size.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thumbnail_comes_back_by_hash_and_size_and_odd_keys_are_no_paths() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ThumbCache::new(dir.path().join("thumbs"));
        let sha = "ab".repeat(32);
        let image = dir.path().join("image.png");
        RgbaImage::new(1536, 1024).save(&image).unwrap();
        let thumb = ThumbCache::shrink(&RgbaImage::new(1536, 1024), (200, 200));
        assert_eq!(thumb.dimensions(), (200, 133));
        cache.put(&sha, (200, 200), &thumb);
        assert_eq!(cache.get(&sha, (200, 200), &image).map(|t| t.dimensions()), Some((200, 133)));
        assert!(cache.get(&sha, (100, 100), &image).is_none(), "another size is another thumbnail");
        assert!(cache.path("../../etc/passwd", (1, 1)).is_none());
        // The image replaced after its thumbnail was made: the thumbnail no longer stands for it.
        let later = std::fs::metadata(&image).unwrap().modified().unwrap() + std::time::Duration::from_secs(5);
        std::fs::File::options().write(true).open(&image).unwrap().set_modified(later).unwrap();
        assert!(cache.get(&sha, (200, 200), &image).is_none());
    }
}
