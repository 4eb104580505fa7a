//! One job's life: queued → running → done / failed / cancelled, every step in the history.

use std::sync::Arc;

use super::Folders;
use crate::api::{ApiError, Client, ImagesResult, Progress, ReceivedImage, RequestControl};
use crate::cost::PriceTable;
use crate::store::{
    Admitted, DoneOutcome, ImageRecord, ImageRequest, InputRecord, JobId, JobStatus, NewJob, PendingImage, SharedStore,
    StoreError, now_ms, save_images,
};

/// How a job ended.
#[derive(Debug)]
pub enum JobOutcome {
    Done {
        result: Arc<ImagesResult>,
        saved: Vec<ImageRecord>,
        /// The API's own images, kept beside results imgtui changed (outside the mask).
        raw: Vec<ImageRecord>,
        /// Images that could not be written anywhere; the bytes are here to save elsewhere.
        unsaved: Vec<(ReceivedImage, String)>,
        /// Images of the answer that could not be received.
        lost: Vec<String>,
        /// What went wrong on the way that did not lose anything (e.g. a fallback folder used).
        warnings: Vec<String>,
        retries: u32,
        /// Whether the history recorded the outcome (a job is only "done" once it has).
        recorded: Result<(), String>,
        /// What it cost, when a price is known.
        cost: Option<crate::cost::JobCost>,
    },
    Failed {
        error: ApiError,
        retries: u32,
    },
    Cancelled,
}

/// Hashes of an edit's input files, read now so the history says what was sent.
pub fn input_records(request: &ImageRequest) -> Vec<InputRecord> {
    request
        .inputs()
        .into_iter()
        .map(|(role, path)| InputRecord {
            role: role.to_string(),
            sha256: crate::files::read_regular(&path, crate::files::IMAGE_FILE_MAX)
                .ok()
                .map(|bytes| crate::store::images_sha256(&bytes)),
            path: std::path::absolute(&path).unwrap_or(path),
        })
        .collect()
}

/// An agent that sends jobs through `imgtui mcp`: marked with its origin, and held back by the
/// agents' own budgets as well as the person's.
#[derive(Clone, Debug)]
pub struct Agent {
    /// `mcp:CLIENT`.
    pub origin: String,
    pub budgets: crate::cost::Budgets,
}

/// Records new jobs as queued (several: one group), unless `budget` holds them back by the
/// history's spend of this moment (checked and recorded in one transaction: see
/// `Store::admit_jobs`). `batch_key` marks a batch entry's job; `agent` the agent that sends
/// them (`imgtui mcp`), else the person does.
#[allow(clippy::too_many_arguments)]
pub async fn submit(
    store: &SharedStore,
    client: &Client,
    prices: &PriceTable,
    requests: &[ImageRequest],
    parent_id: Option<JobId>,
    budget: Option<crate::cost::BudgetCheck>,
    batch_key: Option<String>,
    agent: Option<Agent>,
) -> Result<Admitted, StoreError> {
    // Input files are hashed before the history is locked (they may be 16 files of 50 MB).
    let hashing = requests.to_vec();
    let inputs = tokio::task::spawn_blocking(move || hashing.iter().map(input_records).collect::<Vec<_>>())
        .await
        .unwrap_or_else(|_| vec![Vec::new(); requests.len()]);
    let provider = client.config().provider.name();
    let base_url = client.config().public_base_url();
    let estimates = estimates_of(client, prices, requests, budget.and_then(|b| b.estimate));
    let requests = requests.to_vec();
    let count = requests.len();
    let admitted = store
        .run_patiently(move |s| {
            let now = now_ms();
            let jobs: Vec<NewJob> = requests
                .iter()
                .zip(&inputs)
                .zip(&estimates)
                .map(|((request, inputs), estimate_usd)| NewJob {
                    request,
                    provider,
                    base_url: &base_url,
                    parent_id,
                    inputs,
                    now,
                    estimate_usd: *estimate_usd,
                    group_id: None,
                    batch_key: batch_key.clone(),
                    origin: agent.as_ref().map(|a| a.origin.clone()),
                })
                .collect();
            s.admit_jobs(&jobs, budget.as_ref().map(|b| &b.budgets), agent.as_ref().map(|a| &a.budgets))
        })
        .await?;
    match &admitted {
        Admitted::Queued(ids) if ids.len() == 1 => tracing::info!(job = ids[0], provider, "job submitted"),
        Admitted::Queued(ids) => tracing::info!(jobs = ?ids, count, provider, "jobs submitted as a group"),
        Admitted::OverBudget(why) => tracing::info!(count, "held back by a budget: {why}"),
        Admitted::RunningElsewhere { job, pid } => tracing::info!(job, pid, "the same batch entry runs elsewhere"),
    }
    Ok(admitted)
}

/// What each request counts for against the budgets while it runs: the submit's check (made
/// with the history's estimates) shared out in proportion to the price table's, else evenly;
/// without a check, the price table's own.
fn estimates_of(
    client: &Client,
    prices: &PriceTable,
    requests: &[ImageRequest],
    checked_total: Option<f64>,
) -> Vec<Option<f64>> {
    let table = |request: &ImageRequest| {
        let (provider, models) = (client.config().provider, client.models());
        crate::cost::for_request(request, prices, provider, models, &crate::cost::OutputHistory::default())
            .for_budgets()
    };
    let own: Vec<Option<f64>> = requests.iter().map(table).collect();
    let Some(total) = checked_total else { return own };
    let known: Option<Vec<f64>> = own.iter().copied().collect();
    match known.filter(|each| each.iter().sum::<f64>() > 0.0) {
        Some(each) => {
            let sum: f64 = each.iter().sum();
            each.iter().map(|e| Some(total * e / sum)).collect()
        }
        None => vec![Some(total / requests.len().max(1) as f64); requests.len()],
    }
}

/// Runs job `id`: sends `request`, writes the images into the first of `folders` that takes them
/// (the output folder, then a rescue folder), and records the outcome. Progress goes to
/// `ctl.progress`.
pub async fn execute(
    client: &Client,
    prices: &PriceTable,
    store: &SharedStore,
    id: JobId,
    request: &ImageRequest,
    folders: &Folders,
    ctl: RequestControl,
) -> JobOutcome {
    // A job that dies on the way (a bug, a panic in a library) still ends as failed, in the
    // history and on screen, instead of spinning "running" for ever.
    let run = std::panic::AssertUnwindSafe(execute_unguarded(client, prices, store, id, request, folders, ctl));
    match futures::FutureExt::catch_unwind(run).await {
        Ok(outcome) => {
            match &outcome {
                JobOutcome::Done { saved, lost, retries, .. } => {
                    tracing::info!(job = id, images = saved.len(), lost = lost.len(), retries, "job done");
                }
                JobOutcome::Failed { error, retries } => {
                    tracing::info!(job = id, status = ?error.status(), retries, "job failed: {error}");
                }
                JobOutcome::Cancelled => tracing::info!(job = id, "job cancelled"),
            }
            outcome
        }
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "an internal error".into());
            tracing::error!(job = id, "the job stopped: {why}");
            let message = format!("imgtui stopped this job after an internal error ({why}); see the log");
            let recorded = message.clone();
            log_store_error(
                store
                    .run_patiently(move |s| s.finish_failed(id, JobStatus::Failed, &recorded, None, 0, now_ms()))
                    .await,
            );
            JobOutcome::Failed { error: ApiError::Input(message), retries: 0 }
        }
    }
}

/// How often a running job looks whether another imgtui asked to cancel it.
const CANCEL_LOOK_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

async fn execute_unguarded(
    client: &Client,
    prices: &PriceTable,
    store: &SharedStore,
    id: JobId,
    request: &ImageRequest,
    folders: &Folders,
    ctl: RequestControl,
) -> JobOutcome {
    log_store_error(store.run_patiently(move |s| s.mark_running(id, now_ms())).await);

    // Another imgtui may ask, through the history, to stop this job (the person stopping an
    // agent's): looked for every second while it is sent.
    let asked = {
        let (store, cancel) = (store.clone(), ctl.cancel.clone());
        async move {
            let mut every = tokio::time::interval(CANCEL_LOOK_EVERY);
            loop {
                every.tick().await;
                if store.run(move |s| s.cancel_asked(id)).await.unwrap_or(false) {
                    tracing::info!(job = id, "cancel asked through the history");
                    cancel.cancel();
                    return;
                }
            }
        }
    };
    let sending = async {
        match request {
            ImageRequest::Generate(r) => client.generate(r, &ctl).await,
            ImageRequest::Edit(r) => client.edit(r, &ctl).await,
        }
    };
    tokio::pin!(sending);
    let sent = tokio::select! {
        sent = &mut sending => sent,
        () = asked => sending.await,
    };
    // The history has the retries even for failures.
    let retries = ctl.retries();

    match sent {
        Ok(mut result) => {
            let kept = keep_rejected(folders, request, &mut result).await;
            if result.images.is_empty() {
                // Every datum's fate: kept as bytes, or lost (bad base64, a failed download).
                let error = if kept.is_empty() {
                    ApiError::NoImages(result.lost.clone())
                } else {
                    let fates: Vec<String> = kept.iter().chain(&result.lost).cloned().collect();
                    ApiError::InvalidResponse {
                        status: 200,
                        message: format!("its data is no PNG, JPEG or WebP image ({})", fates.join("; ")),
                    }
                };
                // Billed all the same: what the answer reported is its cost, else the estimate.
                let cost = prices.lookup(client.config().provider, request.model(), client.models()).and_then(
                    |(price, source)| crate::cost::job::of_answer(request, &result, price, &source, client.models()),
                );
                let (message, usage) = (error.to_string(), result.response.usage.clone());
                let done = store.run_patiently(move |s| {
                    s.finish_failed(id, JobStatus::Failed, &message, Some(200), retries, now_ms())?;
                    s.record_answer_cost(id, usage.as_ref(), cost.as_ref())?;
                    s.count_at_estimate(id)
                });
                log_store_error(done.await);
                return JobOutcome::Failed { error, retries };
            }
            result.lost.extend(kept);
            // Token counts no such image can have are not recorded: they would teach the
            // estimates (and so the budgets) that images cost next to nothing.
            let price = prices.lookup(client.config().provider, request.model(), client.models());
            if let Some((price, _)) = price
                && !crate::cost::job::usage_believable(request, &result, price, client.models())
            {
                result.response.usage = None;
                result
                    .notes
                    .push("the answer's token counts are below what such an image takes; tokens unknown".into());
            }
            if let ImageRequest::Edit(edit) = request
                && edit.keep_unmasked
            {
                result = keep_original_outside_mask(edit, result).await;
            }
            let result = Arc::new(result);
            if let Some(watcher) = &ctl.progress {
                let _ = watcher.send(Progress::Received { answer: result.clone() });
            }
            let cost = prices.lookup(client.config().provider, request.model(), client.models()).and_then(
                |(price, source)| crate::cost::job::of_answer(request, &result, price, &source, client.models()),
            );
            finish_done(store, id, request, folders, result, retries, cost).await
        }
        Err(ApiError::Cancelled) => {
            // Cancelled once sent: the server may have made it anyway.
            let done = store.run_patiently(move |s| {
                s.finish_failed(id, JobStatus::Cancelled, "cancelled", None, retries, now_ms())?;
                s.count_at_estimate(id)
            });
            log_store_error(done.await);
            JobOutcome::Cancelled
        }
        Err(error) => {
            let (message, status, billed) = (error.to_string(), error.status(), error.may_be_billed());
            let done = store.run_patiently(move |s| {
                s.finish_failed(id, JobStatus::Failed, &message, status, retries, now_ms())?;
                if billed { s.count_at_estimate(id) } else { Ok(()) }
            });
            log_store_error(done.await);
            JobOutcome::Failed { error, retries }
        }
    }
}

async fn finish_done(
    store: &SharedStore,
    id: JobId,
    request: &ImageRequest,
    folders: &Folders,
    result: Arc<ImagesResult>,
    retries: u32,
    cost: Option<crate::cost::JobCost>,
) -> JobOutcome {
    let (folders, req, res) = (folders.clone(), request.clone(), result.clone());
    // Writing is disk I/O: off the async workers. Files land before the job is marked done.
    tracing::debug!(job = id, "answer parsed");
    // Each image is noted in the history before it is written: if imgtui is killed between
    // the write and the record, the next start recovers the whole file into this job.
    let noting = store.clone();
    let note = move |image: &PendingImage| {
        if let Err(e) = noting.blocking(|s| s.note_pending(id, image)) {
            tracing::warn!(job = id, "history: cannot note an image before writing it: {e}");
        }
    };
    let written = tokio::task::spawn_blocking(move || write_with_fallback(&folders, &req, &res, &note)).await;
    tracing::debug!(job = id, "images written");
    let Written { saved, raw, unsaved, mut warnings } =
        written.unwrap_or_else(|e| Written { unsaved: unsaved_all(&result, &e.to_string()), ..Written::default() });
    warnings.extend(result.notes.iter().cloned());
    let mut lost = result.lost.clone();
    lost.extend(unsaved.iter().map(|(image, why)| format!("image {} not written: {why}", image.index + 1)));
    let outcome = DoneOutcome {
        retries,
        usage: result.response.usage.clone(),
        revised_prompt: result.images.iter().find_map(|i| i.revised_prompt.clone()),
        response_meta: Some(serde_json::json!({
            "created": result.response.created,
            "size": result.response.size,
            "quality": result.response.quality,
            "background": result.response.background,
            "output_format": result.response.output_format,
        })),
        images: saved.clone(),
        raw_images: raw.clone(),
        lost: lost.clone(),
        cost: cost.clone(),
    };
    let recorded = store.run_patiently(move |s| s.finish_done(id, &outcome, now_ms())).await;
    let recorded = recorded.map_err(|e| e.to_string());
    if let Err(e) = &recorded {
        tracing::error!(job = id, "history: {e}");
    }
    JobOutcome::Done { result, saved, raw, unsaved, lost, warnings, retries, recorded, cost }
}

/// The result with the first input's pixels put back outside the mask, composed off the async
/// workers from a shared copy: whatever happens there, the answer stays as it came.
async fn keep_original_outside_mask(edit: &crate::api::EditRequest, result: ImagesResult) -> ImagesResult {
    let (edit, shared) = (edit.clone(), Arc::new(result));
    let reading = shared.clone();
    let composed = tokio::task::spawn_blocking(move || super::keep::compose(&edit, &reading)).await;
    let mut result = Arc::try_unwrap(shared).unwrap_or_else(|shared| (*shared).clone());
    match composed {
        Ok((composed, notes)) => super::keep::apply(&mut result, composed, notes),
        Err(e) => result.notes.push(format!("the original was not kept outside the mask: {e}")),
    }
    result
}

/// Writes the answer's data that is no image as `.bin` files for inspection, and says where.
async fn keep_rejected(folders: &Folders, request: &ImageRequest, result: &mut ImagesResult) -> Vec<String> {
    let rejected = std::mem::take(&mut result.rejected);
    if rejected.is_empty() {
        return Vec::new();
    }
    let (folders, prompt) = (folders.clone(), request.prompt().to_string());
    let kept = tokio::task::spawn_blocking(move || {
        let now = crate::clock::now();
        rejected
            .iter()
            .map(|data| {
                let name = crate::files::image_file_name(now, &prompt, data.index + 1, "bin");
                let written = folders
                    .in_order()
                    .find_map(|(dir, _)| crate::files::write_new_file_atomically(dir, &name, &data.bytes).ok());
                match written {
                    Some(path) => {
                        format!("image {} is not an image; its bytes are kept in {}", data.index + 1, path.display())
                    }
                    None => format!("image {} is not an image, and its bytes could not be kept", data.index + 1),
                }
            })
            .collect::<Vec<_>>()
    })
    .await;
    kept.unwrap_or_else(|e| vec![format!("data that is no image could not be kept: {e}")])
}

/// What writing an answer's images came to.
#[derive(Debug, Default)]
pub struct Written {
    pub saved: Vec<ImageRecord>,
    /// The API's own images kept beside results imgtui changed.
    pub raw: Vec<ImageRecord>,
    /// Images that could not be written anywhere, with why.
    pub unsaved: Vec<(ReceivedImage, String)>,
    pub warnings: Vec<String>,
}

/// Tries each folder in turn for the images the previous one could not take.
pub fn write_with_fallback(
    folders: &Folders,
    request: &ImageRequest,
    result: &ImagesResult,
    before_write: &dyn Fn(&PendingImage),
) -> Written {
    let now = crate::clock::now();
    let (mut saved, mut raw) = (Vec::new(), Vec::new());
    // Positions in `result.images` still to write: the bytes are not copied per folder.
    let mut pending: Vec<usize> = (0..result.images.len()).collect();
    let mut reasons = Vec::new();
    let mut warnings = Vec::new();
    for (dir, rescue) in folders.in_order() {
        if pending.is_empty() {
            break;
        }
        // The rescue folder sits in a shared temp dir: it must be ours alone.
        if rescue && let Err(why) = super::rescue::ensure_private_dir(dir, rustix::process::getuid().as_raw()) {
            tracing::warn!("{why}");
            reasons = reasons.iter().map(|r| format!("{r}; {why}")).collect();
            continue;
        }
        if !reasons.is_empty() {
            warnings.push(format!("{}; writing to {} instead", reasons.join("; "), dir.display()));
        }
        let outcome = save_images(dir, request, result, &pending, now, before_write);
        if rescue {
            outcome.saved.iter().for_each(|image| super::rescue::make_private(&image.path));
        }
        if !outcome.unsaved.is_empty() {
            tracing::warn!(dir = %dir.display(), "could not write {} image(s)", outcome.unsaved.len());
        }
        saved.extend(outcome.saved);
        raw.extend(outcome.raw);
        warnings.extend(outcome.raw_lost);
        reasons = outcome.unsaved.iter().map(|(_, why)| why.clone()).collect();
        pending = outcome.unsaved.into_iter().map(|(position, _)| position).collect();
    }
    let unsaved = pending.iter().filter_map(|p| result.images.get(*p).cloned()).zip(reasons).collect();
    Written { saved, raw, unsaved, warnings }
}

fn unsaved_all(result: &ImagesResult, why: &str) -> Vec<(ReceivedImage, String)> {
    result.images.iter().map(|i| (i.clone(), why.to_string())).collect()
}

fn log_store_error<T>(result: Result<T, StoreError>) {
    if let Err(e) = result {
        tracing::error!("history: {e}");
    }
}
