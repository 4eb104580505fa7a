//! What flows into `update` (messages) and out of it (commands for the app to carry out).

use std::path::PathBuf;
use std::time::Instant;

use crossterm::event::KeyEvent;

use crate::api::Progress;
use crate::api::validate::InputFile;
use crate::store::{ImageRequest, JobId, JobQuery, JobRecord, JobStatus, JobSummary, StoreError};

/// Results of work done off the UI task.
#[derive(Debug)]
pub enum AppEvent {
    /// The mask at `path` as pixels (painted where transparent), or why it cannot be used.
    /// The markup picked before, read for the painter (or why it cannot be used).
    StartingMarkup {
        path: PathBuf,
        pixels: Result<std::sync::Arc<image::RgbaImage>, String>,
    },
    StartingMask {
        path: PathBuf,
        painted: Result<std::sync::Arc<Vec<bool>>, String>,
    },
    /// The painted mask was written at `path`; `share` of the image is to edit.
    MaskSaved {
        path: PathBuf,
        share: f64,
    },
    /// What the history says was spent today and this month.
    Spent(crate::cost::Spent),
    OutputHistory(crate::cost::OutputHistory),
    SpendLoaded {
        days: Vec<crate::store::spend::SpendRow>,
        models: Vec<crate::store::spend::SpendRow>,
    },
    /// A request was held back: it would pass a budget (what to ask, and the request to send
    /// if the answer is yes).
    OverBudget {
        requests: Vec<ImageRequest>,
        parent: Option<JobId>,
        message: String,
    },
    /// Job `id` is no longer in the history (another imgtui deleted it).
    JobGone(JobId),
    /// Earlier prompts, newest first: of every job (`after: None`), or of the jobs after
    /// `after` only, to go before the ones the app has.
    Prompts {
        after: Option<JobId>,
        recent: crate::store::RecentPrompts,
    },
    /// Another process wrote to the history (new jobs, their ends, deletions).
    HistoryChanged,
    /// The jobs of a group with their first images, by id.
    Group {
        id: JobId,
        members: Vec<crate::store::GroupMember>,
    },
    /// The painted mask could not be written (the painter stays open).
    /// The painted markup is on disk, `marks` marks.
    MarkupSaved {
        path: PathBuf,
        marks: usize,
    },
    /// The mask or markup could not be written: why, naming which.
    MaskNotSaved(String),
    /// One submit's jobs have their history rows (the first is followed: selected when shown).
    Submitted(Vec<JobId>),
    /// A submitted job waits for a slot.
    JobQueued {
        id: JobId,
    },
    /// The job left the queue (a concurrency slot was free).
    JobStarted {
        id: JobId,
    },
    JobProgress {
        id: JobId,
        progress: Progress,
    },
    /// Partial image `index` (0-based) of a streamed answer, written at `path`.
    PartialImage {
        id: JobId,
        index: u32,
        path: PathBuf,
    },
    JobFinished {
        id: JobId,
        end: JobEnd,
    },
    /// Submitting failed before the job existed: nothing was sent.
    SubmitFailed(SubmitFailure),
    /// The history is held by another process: the submit waits for it (about a minute).
    SubmitWaiting,
    HistoryPage {
        rows: Vec<JobSummary>,
        append: bool,
        generation: u64,
    },
    /// A page could not be read: the list stops waiting for it.
    HistoryPageFailed {
        generation: u64,
        error: StoreError,
    },
    /// A draft left by an imgtui that was still leaving when this one started.
    LateDraft {
        draft: Box<crate::tui::state::draft::Draft>,
        path: PathBuf,
    },
    /// Rows of jobs that changed (queued, started, ended), to patch into the list.
    HistoryRows(Vec<JobSummary>),
    /// A job in full, with the image files that were missing from disk.
    Details {
        record: Box<JobRecord>,
        missing_files: Vec<std::path::PathBuf>,
    },
    /// The job to re-run, loaded from the history.
    Rerun(Box<JobRecord>),
    Deleted {
        id: JobId,
        problems: Vec<String>,
    },
    /// The history could not do what it was asked.
    StoreFailed {
        work: StoreWork,
        error: StoreError,
    },
    /// A directory listing for the browser.
    DirListed {
        generation: u64,
        listing: Result<Vec<crate::browse::Entry>, String>,
    },
    /// Header facts (and, for masks, transparency) of files.
    FilesInspected(Vec<(PathBuf, InputFile)>),
    /// The path line, completed.
    Completed {
        typed: String,
        completed: String,
    },
    /// What a typed path is.
    PathResolved {
        path: PathBuf,
        kind: Option<crate::browse::EntryKind>,
    },
    /// Images of a finished job that no folder could take: they wait in memory.
    Unsaved {
        id: JobId,
        count: usize,
        /// All the images waiting in memory now, this job's included (a total, not a step:
        /// events crossing a retry never count one image twice).
        waiting: usize,
        reason: String,
    },
    /// A retry to write waiting images: how many were written, how many still wait.
    SaveRetried {
        written: usize,
        waiting: usize,
        message: String,
    },
    /// A preview was decoded and fitted.
    PreviewReady(std::sync::Arc<crate::preview::Prepared>),
    PreviewFailed {
        key: crate::preview::PreviewKey,
        message: String,
    },
    /// The first image file (and its SHA-256) of each job asked for that has one.
    FirstImages(Vec<(JobId, PathBuf, String)>),
    /// The provider's list of models (or the built-in one, when it could not be had).
    ModelsListed(crate::catalog::Listing),
    /// How a job's recorded inputs differ from the files now at their paths (empty: the same).
    InputsChecked {
        id: JobId,
        changed: Vec<String>,
    },
}

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    /// The terminal's new size, in columns and rows.
    Resize(u16, u16),
    /// Time passes (only while something animates).
    Tick(Instant),
    /// The time now, sent before each key, paste and click (answers to a question count from
    /// when it was up), and every 20 ms while a GIF plays in the viewer.
    Now(Instant),
    /// What the frame just drawn showed: the rows the lists had (when they were on screen),
    /// for scrolling, and where a click can land.
    Drawn {
        history: Option<u16>,
        browser: Option<u16>,
        /// The help's last page, when it was drawn.
        help_last_page: Option<u16>,
        hits: Vec<crate::tui::state::hits::Hit>,
    },
    /// A mouse button, drag or wheel notch, and when it came (for double clicks).
    Mouse(crossterm::event::MouseEvent, Instant),
    /// Pixels per terminal cell, at start and after a resize.
    CellSize(crate::preview::CellSize),
    /// The terminal gained (true) or lost the focus: a job watched there ends without a notice.
    Focus(bool),
    /// The frame just drawn shows this preview, measured in cells of `cell`'s pixel size.
    PreviewWanted {
        key: crate::preview::PreviewKey,
        cell: crate::preview::CellSize,
    },
    App(AppEvent),
}

/// Work for the app: everything with I/O.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// One job, or a group (the variants of a prompt, a setting varied).
    Submit {
        requests: Vec<ImageRequest>,
        parent: Option<JobId>,
        /// Checked against the budgets first (with the history's spend of the moment).
        budget: Option<crate::cost::BudgetCheck>,
    },
    CancelJob(JobId),
    /// Queued jobs wait (true) or may start again (false): the quit question is open.
    HoldQueue(bool),
    /// Looks once more, a moment after the start, for a draft an imgtui still leaving then
    /// left behind (`AppEvent::LateDraft`).
    LookForLateDraft,
    /// The draft file at this path was taken into this imgtui's: it goes.
    ForgetDraft(PathBuf),
    Suspend,
    /// Try again to write the images that wait in memory.
    RetrySave,
    /// Decode and fit an image for the preview, off the UI task; a gallery tile names its
    /// image's SHA-256, the key of its cached thumbnail.
    PreparePreview {
        key: crate::preview::PreviewKey,
        cell: crate::preview::CellSize,
        thumb: Option<String>,
    },
    /// Write the painted mask (for `image`) under the data dir's `masks/`.
    SaveMask {
        plan: crate::mask::MaskPlan,
        image: PathBuf,
    },
    /// Write the drawn markup (for `image`) beside the masks.
    SaveMarkup {
        plan: crate::mask::markup::MarkupPlan,
        image: PathBuf,
    },
    /// Bytes for the terminal itself, written between frames: the clipboard, a notification.
    Terminal(TerminalAsk),
    /// A question to the history, or a change to it (answered as an event).
    Store(StoreAsk),
    /// File system work for the browser, the form and the painter (answered as an event).
    Files(FileAsk),
}

/// The history's work: each is answered as an event, a failure as `AppEvent::StoreFailed`.
#[derive(Clone, Debug, PartialEq)]
pub enum StoreAsk {
    Rerun(JobId),
    LoadHistory {
        query: JobQuery,
        append: bool,
        generation: u64,
    },
    /// The rows of these jobs, to patch into the list (`AppEvent::HistoryRows`).
    LoadRows(Vec<JobId>),
    LoadDetails(JobId),
    DeleteJob(JobId),
    /// The first image file of each of these jobs, for the gallery.
    LoadFirstImages(Vec<JobId>),
    /// The first image of every job of group `id` (the viewer's `G`).
    LoadGroup(JobId),
    /// What priced jobs cost today and this month.
    LoadSpent,
    /// The output tokens earlier jobs reported, for estimates.
    LoadOutputHistory,
    /// Earlier prompts, newest first (Ctrl-P, Ctrl-R): of every job, or of the jobs after
    /// `after` (those the app does not have yet).
    LoadPrompts {
        after: Option<JobId>,
    },
    /// Ask the imgtui running job `id` (another process: an agent's, a batch) to cancel it.
    AskCancel(JobId),
    /// Star job `id`, or take its star away.
    Star {
        id: JobId,
        starred: bool,
    },
    /// What done jobs cost per day and per model, for the Spend view.
    LoadSpend,
}

/// File system work, run off the async workers and answered as an event.
#[derive(Clone, Debug, PartialEq)]
pub enum FileAsk {
    ListDir {
        dir: PathBuf,
        generation: u64,
    },
    /// Compare a job's recorded inputs (hashes) with the files now at their paths.
    CheckInputs {
        id: JobId,
        inputs: Vec<crate::store::InputRecord>,
    },
    InspectFiles {
        paths: Vec<PathBuf>,
        masks: bool,
    },
    /// Read the mask picked for the form as pixels, for the painter to start from; it must be
    /// `size` (the first input image's).
    ReadStartingMask {
        path: PathBuf,
        size: (u32, u32),
    },
    /// The markup picked in the form, as pixels of the image's `size`: the painter draws over it.
    ReadStartingMarkup {
        path: PathBuf,
        size: (u32, u32),
    },
    CompletePath(String),
    ResolvePath(PathBuf),
}

/// What the history was asked to do, kept to word its failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreWork {
    Rerun(JobId),
    Page,
    Rows,
    Details(JobId),
    Delete(JobId),
    FirstImages,
    Group(JobId),
    Spent,
    Spend,
    OutputHistory,
    Prompts,
    Star(JobId),
    AskCancel(JobId),
}

impl StoreAsk {
    pub fn work(&self) -> StoreWork {
        match self {
            StoreAsk::Rerun(id) => StoreWork::Rerun(*id),
            StoreAsk::LoadHistory { .. } => StoreWork::Page,
            StoreAsk::LoadRows(_) => StoreWork::Rows,
            StoreAsk::LoadDetails(id) => StoreWork::Details(*id),
            StoreAsk::DeleteJob(id) => StoreWork::Delete(*id),
            StoreAsk::LoadFirstImages(_) => StoreWork::FirstImages,
            StoreAsk::LoadGroup(id) => StoreWork::Group(*id),
            StoreAsk::LoadSpent => StoreWork::Spent,
            StoreAsk::LoadSpend => StoreWork::Spend,
            StoreAsk::LoadOutputHistory => StoreWork::OutputHistory,
            StoreAsk::LoadPrompts { .. } => StoreWork::Prompts,
            StoreAsk::Star { id, .. } => StoreWork::Star(*id),
            StoreAsk::AskCancel(id) => StoreWork::AskCancel(*id),
        }
    }
}

/// How a job ended, as facts (`update` words them).
#[derive(Debug)]
pub enum JobEnd {
    /// The API answered: `saved` images were written (none: they wait in memory for Alt-W),
    /// with what was lost or went wrong on the way, and why the history did not record it.
    Answered {
        saved: usize,
        notes: Vec<String>,
        not_recorded: Option<String>,
    },
    Failed(crate::api::ApiError),
    /// Cancelled, before it was sent (`started: false`) or while it ran.
    Cancelled {
        started: bool,
    },
}

impl JobEnd {
    pub fn status(&self) -> JobStatus {
        match self {
            // Not one image kept: not done.
            JobEnd::Answered { saved: 0, .. } => JobStatus::Failed,
            JobEnd::Answered { .. } => JobStatus::Done,
            JobEnd::Failed(_) => JobStatus::Failed,
            JobEnd::Cancelled { .. } => JobStatus::Cancelled,
        }
    }
}

/// Why a submit made no job.
#[derive(Debug)]
pub enum SubmitFailure {
    /// The history could not record it (held by another process past the wait, or broken).
    Store(StoreError),
    /// A batch entry's job runs in another imgtui.
    RunningElsewhere { job: JobId, pid: u32 },
}

/// What the terminal is asked for besides the picture (see `osc`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TerminalAsk {
    /// Put this text on the clipboard (OSC 52).
    Copy(String),
    /// A long job ended: a notification with this title and body (or the bell). `watched`:
    /// the job is the one selected in the focused terminal: only if tmux says its window is
    /// not the one shown (focus reports do not pass through tmux by default).
    Notify { title: String, body: String, watched: bool },
}
