//! The history as the list shows it, the selected job in full, and the jobs this process runs.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use super::HistoryView;
use crate::jobs::Phase;
use crate::store::{JobId, JobRecord};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Jobs {
    pub history: HistoryView,
    /// Jobs this process runs, by id.
    pub live: HashMap<JobId, LiveJob>,
    /// The selected job in full, once loaded, and which of its images is shown.
    pub job: JobView,
    /// A re-run of an edit waiting for its input files to be checked.
    pub rerun_after_check: Option<JobRecord>,
    /// Images received but not yet written anywhere (they wait in the runner's memory).
    pub unsaved: usize,
    /// Submits handed to the runner whose jobs are not in the history yet: quitting asks
    /// about them as about running jobs.
    pub sending: usize,
    /// Queued jobs are held while the quit question is open.
    pub queue_held: bool,
}

/// A job this process is running, for the spinner, elapsed time and retries.
#[derive(Clone, Debug, PartialEq)]
pub struct LiveJob {
    pub started: Instant,
    pub retries: u32,
    pub phase: Phase,
    /// The newest partial image of a streamed answer, written to disk, with its number.
    pub partial: Option<(u32, PathBuf)>,
}

impl LiveJob {
    pub fn new(started: Instant, phase: Phase) -> Self {
        Self { started, retries: 0, phase, partial: None }
    }
}

/// The selected job as the preview pane shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct JobView {
    /// The selected job, in full, once loaded.
    pub details: Option<JobRecord>,
    /// Image files of `details` that were not on disk when it was loaded.
    pub missing_files: Vec<std::path::PathBuf>,
    /// Which of its images the preview shows.
    pub image_index: usize,
    /// Load the selected job into the form as soon as its details arrive.
    pub load_when_ready: Option<JobId>,
    /// A job of several images shows them side by side (`g` toggles).
    pub grid: bool,
}

impl Default for JobView {
    fn default() -> Self {
        Self { details: None, missing_files: Vec::new(), image_index: 0, load_when_ready: None, grid: true }
    }
}

impl Jobs {
    pub fn selected_job_id(&self) -> Option<JobId> {
        self.history.selected_row().map(|r| r.id)
    }

    /// A running job's newest partial image, if its answer streams.
    pub fn live_partial(&self, id: JobId) -> Option<&(u32, PathBuf)> {
        self.live.get(&id)?.partial.as_ref()
    }

    /// Jobs of this process that are running, and that wait for a free slot.
    pub fn running_and_queued(&self) -> (usize, usize) {
        let queued = self.live.values().filter(|job| job.phase == Phase::Queued).count();
        (self.live.len() - queued, queued)
    }
}
