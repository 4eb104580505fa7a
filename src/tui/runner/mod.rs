//! Carries out `update`'s commands off the UI task: jobs (with a concurrency limit and
//! cancellation), history queries, deletes. Results come back as `AppEvent`s on one channel.

mod drafts;
mod history;

use std::collections::HashMap;
use std::path::PathBuf;

use crate::tui::state::draft::Draft;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{Semaphore, mpsc};
use tokio_util::sync::CancellationToken;

use super::event::{AppEvent, Command, JobEnd, SubmitFailure};
use crate::api::{Client, ImagesResult, Progress, RequestControl};
use crate::jobs::{self, JobOutcome};
use crate::preview::thumbs::ThumbCache;
use crate::preview::{CellSize, DecodedImages, PreviewKey, WarmPixels, prepare};
use crate::store::{Admitted, ImageRequest, JobId, JobStatus, SharedStore, now_ms};

/// How long a submit may wait for the history before the app says it waits.
const SUBMIT_WAIT_SAID: std::time::Duration = std::time::Duration::from_secs(1);
/// How long a submitted job waits before it is sent, for keys typed with the submit.
const SAME_BURST: std::time::Duration = std::time::Duration::from_millis(150);
/// When the start looks again for a draft an imgtui leaving at that moment left.
const LATE_DRAFT_AFTER: std::time::Duration = std::time::Duration::from_millis(1000);
/// How many times it looks (one a second).
const LATE_DRAFT_LOOKS: usize = 5;

#[derive(Clone)]
pub struct Runner {
    client: Arc<Client>,
    /// What jobs are priced at (estimates for budgets, the cost of answers).
    prices: Arc<crate::cost::PriceTable>,
    store: SharedStore,
    /// Where images go: the output folder, then the rescue folder.
    folders: jobs::Folders,
    events: mpsc::UnboundedSender<AppEvent>,
    slots: Arc<Semaphore>,
    cancels: Arc<Mutex<HashMap<JobId, CancellationToken>>>,
    /// Images no folder could take, per job, with the request (for their metadata).
    unsaved: Arc<Mutex<Vec<(JobId, ImageRequest, ImagesResult)>>>,
    /// First images decoded while they are written, for their preview (none without previews).
    warm: Option<WarmPixels>,
    /// The last images shown, decoded: the viewer, zoom and pan do not decode again.
    decoded: DecodedImages,
    /// Gallery thumbnails on disk.
    thumbs: Option<ThumbCache>,
    /// Where painted masks are written (the data dir's `masks/`).
    masks: Option<PathBuf>,
    /// Where the unsent draft is kept.
    drafts: Option<drafts::DraftKeeper>,
    /// While true, queued jobs wait (the quit question is open).
    queue_held: Arc<tokio::sync::watch::Sender<bool>>,
    /// Cancelled on a hang-up: no failed attempt is tried again (a retry is a new request).
    no_retry: CancellationToken,
    /// The history's pages are read here, beside the writer, when a reader could be opened.
    pages: Option<PageReader>,
}

/// The connection the history's pages are read on, and what stops a page a newer one replaced.
#[derive(Clone)]
struct PageReader {
    store: SharedStore,
    stop: Arc<rusqlite::InterruptHandle>,
    /// The newest page asked for (its generation).
    newest: Arc<std::sync::atomic::AtomicU64>,
}

impl Runner {
    pub fn new(
        client: Arc<Client>,
        store: SharedStore,
        folders: jobs::Folders,
        concurrency: usize,
        events: mpsc::UnboundedSender<AppEvent>,
    ) -> Self {
        Self {
            client,
            prices: Arc::new(crate::cost::PriceTable::builtin()),
            store,
            folders,
            events,
            slots: Arc::new(Semaphore::new(concurrency.max(1))),
            cancels: Arc::default(),
            unsaved: Arc::default(),
            warm: None,
            decoded: DecodedImages::default(),
            thumbs: None,
            masks: None,
            drafts: None,
            queue_held: Arc::new(tokio::sync::watch::Sender::new(false)),
            no_retry: CancellationToken::new(),
            pages: None,
        }
    }

    /// Reads the history's pages on `reader` (`Store::open_reader`), beside the writer: a
    /// search typed further stops the page it replaces instead of waiting behind it.
    pub fn with_page_reader(mut self, reader: crate::store::Store) -> Self {
        let stop = Arc::new(reader.interrupt_handle());
        self.pages = Some(PageReader { store: SharedStore::new(reader), stop, newest: Arc::default() });
        self
    }

    /// Prices jobs with `prices` (the config's over the built-in list).
    pub fn with_prices(mut self, prices: crate::cost::PriceTable) -> Self {
        self.prices = Arc::new(prices);
        self
    }

    /// Keeps the unsent draft in `dir` (the state dir).
    pub fn with_drafts_dir(mut self, dir: PathBuf) -> Self {
        self.drafts = Some(drafts::DraftKeeper::new(dir));
        self
    }

    /// Keeps `draft` (written a moment later; the newest wins).
    pub fn keep_draft(&self, draft: crate::tui::state::draft::Draft) {
        if let Some(keeper) = &self.drafts {
            keeper.keep(draft);
        }
    }

    /// Writes the newest draft now: the app is leaving.
    pub fn flush_draft(&self) {
        if let Some(keeper) = &self.drafts {
            keeper.flush();
        }
    }

    /// Keeps gallery thumbnails in `cache`.
    pub fn with_thumbnails(mut self, cache: ThumbCache) -> Self {
        self.thumbs = Some(cache);
        self
    }

    /// Writes painted masks into `dir`.
    pub fn with_masks_dir(mut self, dir: PathBuf) -> Self {
        self.masks = Some(dir);
        self
    }

    /// Decodes each answer's first image while it is written, for `warm`'s previews.
    pub fn with_warm_pixels(mut self, warm: WarmPixels) -> Self {
        self.warm = Some(warm);
        self
    }

    fn send(&self, event: AppEvent) {
        // The receiver lives as long as the app; after quit nobody listens, which is fine.
        let _ = self.events.send(event);
    }

    fn cancels(&self) -> std::sync::MutexGuard<'_, HashMap<JobId, CancellationToken>> {
        self.cancels.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts `command`; never blocks the caller (Suspend is the app's own business).
    pub fn execute(&self, command: Command) {
        let this = self.clone();
        match command {
            Command::Submit { requests, parent, budget } => {
                tokio::spawn(async move { this.check_then_run(requests, parent, budget).await });
            }
            Command::CancelJob(id) => {
                if let Some(token) = self.cancels().get(&id) {
                    token.cancel();
                }
            }
            Command::RetrySave => {
                tokio::spawn(async move { this.retry_save().await });
            }
            Command::Suspend => {}
            Command::PreparePreview { key, cell, thumb } => self.prepare_preview(key, cell, thumb),
            Command::HoldQueue(hold) => {
                self.queue_held.send_replace(hold);
            }
            Command::LookForLateDraft => {
                let Some(dir) = self.drafts.as_ref().map(|k| k.dir().to_path_buf()) else { return };
                tokio::spawn(async move {
                    // An imgtui that got its SIGHUP as this one started writes its draft and
                    // goes within a moment: looked for a few times (the form decides whether
                    // it still takes it).
                    for _ in 0..LATE_DRAFT_LOOKS {
                        tokio::time::sleep(LATE_DRAFT_AFTER).await;
                        let dir = dir.clone();
                        let found = tokio::task::spawn_blocking(move || Draft::left_behind(&dir)).await;
                        if let Ok(Some((draft, path))) = found {
                            return this.send(AppEvent::LateDraft { draft: Box::new(draft), path });
                        }
                    }
                });
            }
            Command::ForgetDraft(path) => {
                tokio::task::spawn_blocking(move || {
                    if let Err(e) = std::fs::remove_file(&path) {
                        tracing::warn!("cannot remove the adopted draft {}: {e}", path.display());
                    }
                });
            }
            Command::SaveMask { plan, image } => {
                tokio::task::spawn_blocking(move || {
                    this.send(super::file_work::save_mask(this.masks.as_deref(), &plan, &image))
                });
            }
            Command::SaveMarkup { plan, image } => {
                tokio::task::spawn_blocking(move || {
                    this.send(super::file_work::save_markup(this.masks.as_deref(), &plan, &image))
                });
            }
            Command::Store(ask) => {
                tokio::spawn(async move { this.ask_store(ask).await });
            }
            // The event loop writes these between frames: they are the terminal's, not work.
            Command::Terminal(_) => {}
            Command::Files(ask) => {
                // File system work: off the async workers.
                tokio::task::spawn_blocking(move || this.send(super::file_work::look_at_files(ask)));
            }
        }
    }

    /// Decodes and fits an image off the UI task; the result comes back as an event.
    /// A fresh answer's first image is usually decoded already (`WarmPixels`).
    fn prepare_preview(&self, key: PreviewKey, cell: CellSize, thumb: Option<String>) {
        tracing::debug!(path = %key.path.display(), "preview wanted");
        let (warm, this) = (self.warm.clone(), self.clone());
        tokio::task::spawn_blocking(move || {
            if let (Some(sha256), Some(cache)) = (thumb, &this.thumbs) {
                let mut prepared = prepare::prepare_thumbnail(&key, cell, cache, &sha256);
                // A gallery tile of a GIF plays too where the terminal plays it (kitty, iTerm2).
                if let Ok(prepared) = &mut prepared
                    && key.path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gif"))
                    && let Err(e) = prepare::add_gif_frames(prepared, &key.path)
                {
                    tracing::warn!(path = %key.path.display(), "the GIF's other frames cannot be read: {e}");
                }
                return this.send(match prepared {
                    Ok(prepared) => AppEvent::PreviewReady(Arc::new(prepared)),
                    Err(message) => AppEvent::PreviewFailed { key, message },
                });
            }
            if prepare::is_vector(&key.path) {
                return this.send(match prepare::prepare_vector(&key, cell) {
                    Ok(prepared) => AppEvent::PreviewReady(Arc::new(prepared)),
                    Err(message) => AppEvent::PreviewFailed { key, message },
                });
            }
            let pixels = match key.frame {
                0 => this.decoded.pixels(&key.path, warm.as_ref()),
                n => prepare::gif_frame(&key.path, n).map(Arc::new),
            };
            let pixels = pixels.map(|pixels| match &key.markup {
                Some(markup) => prepare::under_markup(pixels, markup),
                None => pixels,
            });
            let mut prepared = pixels.and_then(|pixels| prepare::prepare_image(&key, &pixels, cell));
            if let Ok(prepared) = &mut prepared
                && key.path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gif"))
            {
                if let Err(e) = prepare::add_gif_frames(prepared, &key.path) {
                    // The first frame still shows.
                    tracing::warn!(path = %key.path.display(), "the GIF's other frames cannot be read: {e}");
                }
                // What the file has, not what was asked: the viewer steps these (kitty's frames
                // told it already).
                if key.frame == 0 && prepared.animation.is_none() {
                    prepared.animation = prepare::gif_facts(&key.path);
                }
            }
            this.send(match prepared {
                Ok(prepared) => AppEvent::PreviewReady(Arc::new(prepared)),
                Err(message) => AppEvent::PreviewFailed { key, message },
            });
        });
    }

    /// Runs the job, unless it would pass a budget by the history's spend of this moment (this
    /// imgtui's and another's jobs, the running ones by their estimate): then the app asks.
    async fn check_then_run(
        &self,
        requests: Vec<ImageRequest>,
        parent: Option<JobId>,
        budget: Option<crate::cost::BudgetCheck>,
    ) {
        // A history another process holds makes the submit wait: said after a moment, not
        // left looking like a job that vanished.
        let admitted = {
            let submitting =
                jobs::submit(&self.store, &self.client, &self.prices, &requests, parent, budget, None, None);
            tokio::pin!(submitting);
            tokio::select! {
                admitted = &mut submitting => admitted,
                () = tokio::time::sleep(SUBMIT_WAIT_SAID) => {
                    self.send(AppEvent::SubmitWaiting);
                    submitting.await
                }
            }
        };
        let ids = match admitted {
            Ok(Admitted::Queued(ids)) => ids,
            Ok(Admitted::OverBudget(message)) => {
                return self.send(AppEvent::OverBudget { requests, parent, message });
            }
            Ok(Admitted::RunningElsewhere { job, pid }) => {
                return self.send(AppEvent::SubmitFailed(SubmitFailure::RunningElsewhere { job, pid }));
            }
            Err(e) => return self.send(AppEvent::SubmitFailed(SubmitFailure::Store(e))),
        };
        self.send(AppEvent::Submitted(ids.clone()));
        let runs = ids.into_iter().zip(requests).map(|(id, request)| self.run_job(id, request));
        futures::future::join_all(runs).await;
    }

    async fn run_job(&self, id: JobId, request: ImageRequest) {
        let cancel = CancellationToken::new();
        self.cancels().insert(id, cancel.clone());
        self.send(AppEvent::JobQueued { id });
        // A slot, and the queue not held (the quit question is open: nothing new starts
        // while the user decides whether to cancel it all).
        let mut held = self.queue_held.subscribe();
        let permit = tokio::select! {
            permit = async {
                let permit = self.slots.clone().acquire_owned().await.ok()?;
                // Keys typed in the same burst as the submit (Ctrl-S, then q) reach the app a
                // frame later: a quit question they open holds the job before it is sent.
                tokio::time::sleep(SAME_BURST).await;
                while *held.borrow_and_update() {
                    held.changed().await.ok()?;
                }
                Some(permit)
            } => permit,
            _ = cancel.cancelled() => None,
        };
        let end = match permit {
            None => {
                let recorded = self
                    .store
                    .run(move |s| s.finish_failed(id, JobStatus::Cancelled, "cancelled", None, 0, now_ms()))
                    .await;
                if let Err(e) = recorded {
                    tracing::error!("history: {e}");
                }
                tracing::info!(job = id, "job cancelled before it started");
                JobEnd::Cancelled { started: false }
            }
            Some(_permit) => {
                self.send(AppEvent::JobStarted { id });
                let (tx, rx) = mpsc::unbounded_channel();
                let forward = tokio::spawn(self.clone().forward_progress(id, rx));
                let ctl = RequestControl {
                    cancel: cancel.clone(),
                    no_retry: self.no_retry.clone(),
                    progress: Some(tx),
                    ..RequestControl::default()
                };
                let outcome =
                    jobs::execute(&self.client, &self.prices, &self.store, id, &request, &self.folders, ctl).await;
                let _ = forward.await;
                self.warm_saved(id, &outcome);
                self.keep_unsaved(id, &request, &outcome);
                end_of(outcome)
            }
        };
        self.cancels().remove(&id);
        self.send(AppEvent::JobFinished { id, end });
    }

    /// Passes job `id`'s progress on to the app, in order. A partial image is written first and
    /// announced by its path; a finished answer starts the decode of its first image.
    async fn forward_progress(self, id: JobId, mut progress: mpsc::UnboundedReceiver<Progress>) {
        let images_dir = self.folders.out.clone();
        while let Some(progress) = progress.recv().await {
            match &progress {
                Progress::Partial { index, image } => {
                    match jobs::save_partial(images_dir.clone(), id, *index, image.clone()).await {
                        Ok(path) => self.send(AppEvent::PartialImage { id, index: *index, path }),
                        Err(why) => tracing::warn!("job {id}: {why}"),
                    }
                    continue;
                }
                Progress::Received { answer } if let Some(warm) = &self.warm => {
                    let answer = answer.clone();
                    warm.start(id, move || {
                        let first = answer.images.first()?;
                        image::load_from_memory(&first.bytes).ok().map(image::DynamicImage::into_rgba8)
                    });
                }
                _ => {}
            }
            self.send(AppEvent::JobProgress { id, progress });
        }
    }

    /// Tells the warm pixels where the first image went, before anyone hears the job is done.
    fn warm_saved(&self, id: JobId, outcome: &JobOutcome) {
        let Some(warm) = &self.warm else { return };
        match outcome {
            JobOutcome::Done { saved, .. } if let Some(first) = saved.iter().find(|i| i.index == 0) => {
                warm.saved(id, &first.path);
            }
            _ => warm.drop_job(id),
        }
    }

    /// Images that no folder took stay in memory, so nothing the API returned is lost.
    fn keep_unsaved(&self, id: JobId, request: &ImageRequest, outcome: &JobOutcome) {
        let JobOutcome::Done { result, unsaved, .. } = outcome else { return };
        if unsaved.is_empty() {
            return;
        }
        let reason = unsaved.first().map(|(_, why)| why.clone()).unwrap_or_default();
        let waiting =
            ImagesResult { images: unsaved.iter().map(|(image, _)| image.clone()).collect(), ..(**result).clone() };
        let total = {
            let mut kept = self.unsaved.lock().unwrap_or_else(PoisonError::into_inner);
            kept.push((id, request.clone(), waiting));
            kept.iter().map(|(_, _, r)| r.images.len()).sum()
        };
        self.send(AppEvent::Unsaved { id, count: unsaved.len(), waiting: total, reason });
    }

    /// Writes the waiting images again: the output folder, else the rescue folder.
    async fn retry_save(&self) {
        let waiting = std::mem::take(&mut *self.unsaved.lock().unwrap_or_else(PoisonError::into_inner));
        let folders = self.folders.clone();
        let (mut written, mut problems) = (0, Vec::new());
        for (id, request, result) in waiting {
            let (folders, req, res) = (folders.clone(), request.clone(), result.clone());
            let attempt =
                tokio::task::spawn_blocking(move || jobs::write_with_fallback(&folders, &req, &res, &|_| {})).await;
            // A write that died on the way wrote nothing we know of: the images keep waiting.
            let Ok(jobs::Written { saved, unsaved, .. }) = attempt else {
                problems.push(format!("job {id}: the write stopped unexpectedly"));
                self.unsaved.lock().unwrap_or_else(PoisonError::into_inner).push((id, request, result));
                continue;
            };
            written += saved.len();
            if !saved.is_empty()
                && let Err(e) = self.store.run(move |s| s.add_images(id, &saved)).await
            {
                problems.push(e.to_string());
            }
            if !unsaved.is_empty() {
                problems.extend(unsaved.first().map(|(_, why)| why.clone()));
                let left = ImagesResult { images: unsaved.into_iter().map(|(image, _)| image).collect(), ..result };
                self.unsaved.lock().unwrap_or_else(PoisonError::into_inner).push((id, request, left));
            }
        }
        let waiting =
            self.unsaved.lock().unwrap_or_else(PoisonError::into_inner).iter().map(|(_, _, r)| r.images.len()).sum();
        let message = if problems.is_empty() { String::new() } else { format!(": {}", problems.join("; ")) };
        self.send(AppEvent::SaveRetried { written, waiting, message });
    }

    /// Marks this process's unfinished jobs interrupted (stopped by a signal). They are not
    /// cancelled: that would record them as cancelled by the user.
    pub async fn interrupt_own(&self) {
        match self.store.run_patiently(move |s| s.mark_own_interrupted(now_ms())).await {
            Ok(0) => {}
            Ok(n) => tracing::info!("{n} unfinished job(s) marked interrupted"),
            Err(e) => tracing::error!("history: {e}"),
        }
    }

    /// Cancels every running job (on quit).
    pub fn cancel_all(&self) -> usize {
        let cancels = self.cancels();
        cancels.values().for_each(CancellationToken::cancel);
        cancels.len()
    }

    /// The terminal hung up: jobs waiting to retry end instead (see `RequestControl::no_retry`).
    pub fn stop_retries(&self) {
        self.no_retry.cancel();
    }

    pub fn running(&self) -> usize {
        self.cancels().len()
    }
}

fn end_of(outcome: JobOutcome) -> JobEnd {
    match outcome {
        JobOutcome::Done { saved, lost, warnings, recorded, .. } => JobEnd::Answered {
            saved: saved.len(),
            notes: lost.into_iter().chain(warnings).collect(),
            not_recorded: recorded.err(),
        },
        JobOutcome::Failed { error, .. } => JobEnd::Failed(error),
        JobOutcome::Cancelled => JobEnd::Cancelled { started: true },
    }
}

/// Removes `paths`; what stays (other than files already gone) is said, one line each.
fn remove_files(paths: &[PathBuf]) -> Vec<String> {
    paths
        .iter()
        .filter_map(|p| match std::fs::remove_file(p) {
            Ok(()) => None,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => Some(format!("{} stays: {e}", p.display())),
        })
        .collect()
}
