//! The painter's mask as pixels, kept up to date one change at a time, so a long brush stroke
//! costs each dab, not the whole stroke again; with a version that changes with every change
//! (a picture is prepared again only when it does).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::shapes::{Op, apply};

/// Versions are unique in the process: two painters never share one.
static NEXT_VERSION: AtomicU64 = AtomicU64::new(1);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Canvas {
    pub width: u32,
    pub height: u32,
    /// The mask the painting started from, if not an empty one.
    start: Option<Arc<Vec<bool>>>,
    painted: Arc<Vec<bool>>,
    count: usize,
    version: u64,
}

impl Canvas {
    pub fn new(width: u32, height: u32) -> Self {
        let painted = Arc::new(vec![false; width as usize * height as usize]);
        Self { width, height, start: None, painted, count: 0, version: NEXT_VERSION.fetch_add(1, Ordering::Relaxed) }
    }

    /// Starts from `start` (painted where true) with `ops` applied after it.
    pub fn start_from<'a>(&mut self, start: Arc<Vec<bool>>, ops: impl IntoIterator<Item = &'a Op>) {
        if start.len() == self.width as usize * self.height as usize {
            self.start = Some(start);
        }
        self.rebuild(ops);
    }

    /// Applies `op` (copying the pixels only if a picture still holds the previous ones).
    pub fn apply(&mut self, op: &Op) {
        let painted = Arc::make_mut(&mut self.painted);
        apply(op, painted, self.width, self.height);
        // Counting the whole image is a few milliseconds at most, once per change.
        self.count = painted.iter().filter(|p| **p).count();
        self.version = NEXT_VERSION.fetch_add(1, Ordering::Relaxed);
    }

    /// Starts over from `ops` (undo, redo).
    pub fn rebuild<'a>(&mut self, ops: impl IntoIterator<Item = &'a Op>) {
        let mut painted = match &self.start {
            Some(start) => start.as_ref().clone(),
            None => vec![false; self.width as usize * self.height as usize],
        };
        for op in ops {
            apply(op, &mut painted, self.width, self.height);
        }
        self.count = painted.iter().filter(|p| **p).count();
        self.painted = Arc::new(painted);
        self.version = NEXT_VERSION.fetch_add(1, Ordering::Relaxed);
    }

    pub fn pixels(&self) -> Arc<Vec<bool>> {
        self.painted.clone()
    }

    pub fn version(&self) -> u64 {
        self.version
    }

    /// The share painted, 0.0 to 1.0.
    pub fn coverage(&self) -> f64 {
        if self.painted.is_empty() { 0.0 } else { self.count as f64 / self.painted.len() as f64 }
    }
}
