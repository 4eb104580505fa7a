//! Keeping the unsent draft on disk: a change is written at once, and while keys keep coming at
//! most one write per `GAP` (a held key costs ten writes a second, not one a keystroke); at
//! once too when the app leaves. A SIGKILL loses at most the last `GAP` of typing.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::Notify;

use crate::tui::state::draft::Draft;

/// The least time between two writes.
const GAP: Duration = Duration::from_millis(100);

#[derive(Clone)]
pub struct DraftKeeper {
    /// The newest draft not yet written.
    latest: Arc<Mutex<Option<Draft>>>,
    /// Held while a draft is written, so the last write is the newest.
    writing: Arc<Mutex<()>>,
    changed: Arc<Notify>,
    dir: PathBuf,
}

impl DraftKeeper {
    /// Keeps drafts in `dir` (the state dir); the writer runs on the current runtime.
    pub fn new(dir: PathBuf) -> Self {
        let keeper = Self {
            latest: Arc::new(Mutex::new(None)),
            writing: Arc::new(Mutex::new(())),
            changed: Arc::new(Notify::new()),
            dir,
        };
        let writer = keeper.clone();
        tokio::spawn(async move {
            loop {
                writer.changed.notified().await;
                let this = writer.clone();
                let _ = tokio::task::spawn_blocking(move || this.write_latest()).await;
                // Changes meanwhile are one notification: written together after the gap.
                tokio::time::sleep(GAP).await;
            }
        });
        keeper
    }

    /// The state dir the drafts are kept in.
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    pub fn keep(&self, draft: Draft) {
        *self.latest.lock().unwrap_or_else(PoisonError::into_inner) = Some(draft);
        self.changed.notify_one();
    }

    /// Writes the newest draft now (the app is leaving).
    pub fn flush(&self) {
        self.write_latest();
    }

    fn write_latest(&self) {
        let _writing = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(draft) = self.latest.lock().unwrap_or_else(PoisonError::into_inner).take() else { return };
        if let Err(e) = draft.save(&self.dir) {
            tracing::warn!("cannot keep the draft in {}: {e}", self.dir.display());
        }
    }
}
