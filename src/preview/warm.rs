//! Pixels decoded from a fresh answer while its files are being written, so the first preview
//! of a new image does not read and decode the file again: decoding is most of a preview's
//! cost, and writing (hash, fsync) takes about as long, so the two overlap.
//!
//! The answer's first image is decoded as soon as it arrives; once written, its path is
//! attached; the preview for that path takes the pixels (once). Only a few are kept, since each
//! holds a full-size RGBA image.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use image::RgbaImage;

use crate::store::JobId;

/// Decoded images kept at once (6 MB each at 1536x1024).
const KEPT: usize = 2;
/// A preview waits this long at most for a decode that is still running.
const WAIT: Duration = Duration::from_secs(5);

#[derive(Clone, Default)]
pub struct WarmPixels {
    entries: Arc<Mutex<VecDeque<Entry>>>,
}

struct Entry {
    job: JobId,
    path: Option<PathBuf>,
    /// The decoder's one message; a failed or panicking decoder drops its sender, so a
    /// waiting preview hears "nothing" at once.
    pixels: Receiver<RgbaImage>,
}

impl WarmPixels {
    /// Decodes job `job`'s first image on its own thread.
    pub fn start(&self, job: JobId, decode: impl FnOnce() -> Option<RgbaImage> + Send + 'static) {
        let (sender, pixels) = sync_channel(1);
        {
            let mut entries = self.lock();
            entries.push_back(Entry { job, path: None, pixels });
            while entries.len() > KEPT {
                entries.pop_front();
            }
        }
        std::thread::spawn(move || {
            if let Some(decoded) = decode() {
                let _ = sender.send(decoded);
            }
        });
    }

    /// Job `job`'s first image now lives at `path`.
    pub fn saved(&self, job: JobId, path: &Path) {
        if let Some(entry) = self.lock().iter_mut().find(|e| e.job == job) {
            entry.path = Some(path.to_path_buf());
        }
    }

    /// Forgets job `job` (it failed, or its image was not written).
    pub fn drop_job(&self, job: JobId) {
        self.lock().retain(|e| e.job != job);
    }

    /// The decoded pixels of the image at `path`, waiting for the decode if it still runs.
    /// Taken once: a later preview of the same file (another size) reads the file.
    pub fn take(&self, path: &Path) -> Option<RgbaImage> {
        let pixels = {
            let mut entries = self.lock();
            let at = entries.iter().position(|e| e.path.as_deref() == Some(path))?;
            entries.remove(at)?.pixels
        };
        pixels.recv_timeout(WAIT).ok()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Entry>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preview_gets_the_pixels_once_the_path_is_known() {
        let warm = WarmPixels::default();
        warm.start(7, || Some(RgbaImage::new(3, 2)));
        assert!(warm.take(Path::new("/x.png")).is_none(), "no path yet");
        warm.saved(7, Path::new("/x.png"));
        assert_eq!(warm.take(Path::new("/x.png")).map(|p| p.dimensions()), Some((3, 2)));
        assert!(warm.take(Path::new("/x.png")).is_none(), "taken once");
    }

    #[test]
    fn a_failed_or_panicking_decode_gives_nothing_without_waiting() {
        let warm = WarmPixels::default();
        warm.start(1, || None);
        warm.start(2, || panic!("decoder bug"));
        warm.saved(1, Path::new("/a.png"));
        warm.saved(2, Path::new("/b.png"));
        let started = std::time::Instant::now();
        assert!(warm.take(Path::new("/a.png")).is_none());
        assert!(warm.take(Path::new("/b.png")).is_none());
        assert!(started.elapsed() < WAIT, "the panic filled the slot");
    }

    #[test]
    fn only_the_newest_few_are_kept() {
        let warm = WarmPixels::default();
        for job in 0..5 {
            warm.start(job, || Some(RgbaImage::new(1, 1)));
            warm.saved(job, &PathBuf::from(format!("/{job}.png")));
        }
        assert!(warm.take(Path::new("/0.png")).is_none());
        assert!(warm.take(Path::new("/4.png")).is_some());
    }
}
