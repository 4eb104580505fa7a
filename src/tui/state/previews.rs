//! The previews' one owner: which prepared images are at hand, which could not be made, and
//! which are being prepared (so each is asked for once, and again after it was dropped).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::preview::{Prepared, PreviewKey};

/// Prepared previews kept for going back and forth between images (a grid holds several).
const KEPT: usize = 24;
/// And no more than this in encoded bytes (viewer-sized sixel or PNG payloads are large).
const KEPT_BYTES: usize = 32 << 20;

#[derive(Debug, Default)]
pub struct Previews {
    /// Prepared previews by (image, area, protocol), newest last.
    ready: Vec<Arc<Prepared>>,
    /// Previews that could not be made, with the reason.
    errors: HashMap<PreviewKey, String>,
    /// Previews asked for whose answer has not come back.
    asked: HashSet<PreviewKey>,
    /// Files the app replaced, and how many times (the keys' `version`).
    versions: HashMap<std::path::PathBuf, u32>,
    /// Animated GIFs as their files have them: frames and the first one's time (ms).
    animations: HashMap<std::path::PathBuf, (u32, u32)>,
}

impl Previews {
    /// An animated GIF's frames and first frame time, as its file has them, once a preview of
    /// it was made.
    pub fn animation_of(&self, path: &std::path::Path) -> Option<(u32, u32)> {
        self.animations.get(path).copied()
    }

    /// The version of `path` previews are keyed with now.
    pub fn version_of(&self, path: &std::path::Path) -> u32 {
        self.versions.get(path).copied().unwrap_or(0)
    }

    /// The app wrote a new `path` over the old one: what was prepared from it is dropped, and
    /// its keys change, so the terminal's copy (kitty holds images by key) is not placed again.
    pub fn replaced(&mut self, path: &std::path::Path) {
        *self.versions.entry(path.to_path_buf()).or_default() += 1;
        self.ready.retain(|p| p.key.path != path);
        self.errors.retain(|key, _| key.path != path);
    }

    pub fn ready_for(&self, key: &PreviewKey) -> Option<&Arc<Prepared>> {
        self.ready.iter().find(|p| p.key == *key)
    }

    pub fn error_for(&self, key: &PreviewKey) -> Option<&str> {
        self.errors.get(key).map(String::as_str)
    }

    /// How `path` fills the largest area it was prepared for (the viewer's): what zooming it
    /// can show.
    pub fn frame_of(&self, path: &std::path::Path) -> Option<crate::preview::zoom::Frame> {
        let of_path = self.ready.iter().filter(|p| p.key.path == path);
        of_path.max_by_key(|p| u32::from(p.key.cols) * u32::from(p.key.rows)).map(|p| p.frame())
    }

    /// Whether `key` should be prepared now: not at hand, not failed, not already asked for.
    /// Asking marks it asked.
    pub fn ask(&mut self, key: &PreviewKey) -> bool {
        if self.ready_for(key).is_some() || self.errors.contains_key(key) {
            return false;
        }
        self.asked.insert(key.clone())
    }

    /// A preparation came back; it is kept only if its image is still the one to show
    /// (`wanted`). Either way it may be asked for again.
    pub fn arrived(&mut self, prepared: Arc<Prepared>, wanted: bool) {
        if let Some(animation) = prepared.animation {
            self.animations.insert(prepared.key.path.clone(), animation);
        }
        self.asked.remove(&prepared.key);
        if wanted {
            self.ready.retain(|p| p.key != prepared.key);
            self.ready.push(prepared);
            let excess = self.ready.len().saturating_sub(KEPT);
            self.ready.drain(..excess);
            let size = |p: &Arc<Prepared>| p.payload.len() + p.pixels.as_ref().map_or(0, |px| px.as_raw().len());
            while self.ready.len() > 1 && self.ready.iter().map(size).sum::<usize>() > KEPT_BYTES {
                self.ready.remove(0);
            }
        }
    }

    pub fn failed(&mut self, key: PreviewKey, message: String) {
        self.asked.remove(&key);
        self.errors.insert(key, message);
    }

    /// Whether `key` is being prepared.
    #[cfg(any(test, feature = "internals"))]
    pub fn is_asked(&self, key: &PreviewKey) -> bool {
        self.asked.contains(key)
    }
}
