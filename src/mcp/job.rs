//! One agent's job, start to end: checked as a headless command checks it, admitted under the
//! person's budgets and the agents' own, marked with its origin, run within the concurrency
//! limit with progress told to the client, stopped when the client cancels, and answered with
//! its files, cost and images.

use base64::Engine as _;
use rmcp::model::{CallToolResult, ContentBlock, ProgressNotificationParam, ProgressToken};
use rmcp::service::{Peer, RoleServer};
use serde_json::json;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::Server;
use super::schema::CONTENT_SIDE;
use crate::api::{ApiError, FieldError, Param, Problem, Progress, RequestControl};
use crate::jobs::{self, JobOutcome};
use crate::store::Admitted;
use crate::store::{ImageRecord, ImageRequest, JobId};

/// Where progress goes: the client's token, when it gave one.
pub struct Progressor {
    pub peer: Peer<RoleServer>,
    pub token: Option<ProgressToken>,
    step: f64,
}

impl Progressor {
    pub fn new(peer: Peer<RoleServer>, token: Option<ProgressToken>) -> Self {
        Self { peer, token, step: 0.0 }
    }

    /// One more step, said in words (a client that asked for no progress hears nothing).
    pub async fn say(&mut self, message: impl Into<String>) {
        let Some(token) = self.token.clone() else { return };
        self.step += 1.0;
        let param = ProgressNotificationParam::new(token, self.step).with_message(message);
        // A client gone away is seen when the result cannot be sent; progress is advisory.
        let _ = self.peer.notify_progress(param).await;
    }
}

/// A tool error the agent reads: the fields and their rules, one a line.
pub fn refusal(errors: &[FieldError]) -> CallToolResult {
    let lines: Vec<String> = errors.iter().map(|e| crate::text::escape_controls(&e.to_string())).collect();
    CallToolResult::error(vec![ContentBlock::text(format!("refused, nothing was sent:\n{}", lines.join("\n")))])
}

/// Every problem the model table, the catalog or the provider would refuse `request` for.
pub async fn problems(server: &Server, request: &ImageRequest) -> Result<Vec<FieldError>, Vec<FieldError>> {
    let engine = &server.engine;
    if let Some(why) = engine.catalog.refusal(request.model()) {
        return Err(vec![FieldError::of(Param::Model, Problem::Retired { why })]);
    }
    if let Some(suggestion) = engine.catalog.typo_of(request.model()) {
        return Err(vec![FieldError::of(
            Param::Model,
            Problem::Typo { model: request.model().to_string(), suggestion },
        )]);
    }
    let (models, provider) = (engine.client.models().clone(), engine.client.config().provider);
    let request = request.clone();
    tokio::task::spawn_blocking(move || match &request {
        ImageRequest::Generate(r) => r.validate(&models),
        ImageRequest::Edit(r) => r.validate(&models, provider),
    })
    .await
    .unwrap_or_else(|e| Err(vec![FieldError::said(Param::Image, format!("the input files could not be checked: {e}"))]))
    .map(|warnings| engine.catalog.advise(warnings))
    .map_err(|errors| engine.catalog.advise(errors))
}

/// Runs `request` for the agent `origin`: the result the tool call answers with.
pub async fn run(
    server: &Server,
    request: ImageRequest,
    origin: String,
    mut progress: Progressor,
    cancelled: CancellationToken,
) -> CallToolResult {
    let warnings = match problems(server, &request).await {
        Ok(warnings) => warnings,
        Err(errors) => return refusal(&errors),
    };
    let engine = &server.engine;
    let budget = crate::headless::checks::budget_check(engine, &request).await;
    let agent = jobs::Agent { origin, budgets: server.agent_budgets };
    let submitted = jobs::submit(
        &engine.store,
        &engine.client,
        &engine.prices,
        std::slice::from_ref(&request),
        None,
        budget,
        None,
        Some(agent),
    )
    .await;
    let id = match submitted {
        Ok(Admitted::Queued(ids)) if !ids.is_empty() => ids[0],
        Ok(Admitted::OverBudget(why)) => {
            return refusal(&[FieldError::of(Param::Budget, Problem::OverBudget { why })]);
        }
        Ok(_) => return CallToolResult::error(vec![ContentBlock::text("the job was not recorded")]),
        Err(e) => return CallToolResult::error(vec![ContentBlock::text(crate::text::escape_controls(&e.to_string()))]),
    };
    progress.say(format!("job {id} queued")).await;
    // Within the configured concurrency. A cancel (or imgtui stopping) while it waits ends it
    // unsent and unbilled.
    let permit = tokio::select! {
        permit = server.slots.clone().acquire_owned() => permit.ok(),
        () = cancelled.cancelled() => None,
        () = server.stop.cancelled() => None,
    };
    let Some(permit) = permit else {
        let recorded = engine
            .store
            .run(move |s| {
                s.finish_failed(
                    id,
                    crate::store::JobStatus::Cancelled,
                    "cancelled before it was sent",
                    None,
                    0,
                    crate::clock::now_ms(),
                )
            })
            .await;
        if let Err(e) = recorded {
            tracing::error!("history: {e}");
        }
        return CallToolResult::error(vec![ContentBlock::text(format!(
            "job {id} cancelled before it was sent: nothing was billed"
        ))]);
    };
    let (tx, mut rx) = mpsc::unbounded_channel();
    // Cancelled by this call's cancel, or by imgtui stopping (a signal): its own child token.
    let cancel = server.stop.child_token();
    let ctl = RequestControl { cancel: cancel.clone(), progress: Some(tx), ..RequestControl::default() };
    // The job runs in a task of its own, tracked: a session that ends (the client closed
    // stdin) leaves it to finish and record what it paid for; a signal cancels it and waits
    // for its end to be recorded.
    let job = {
        let (engine, request) = (server.engine.clone(), request.clone());
        let folders = jobs::Folders::new(engine.out_dir.clone());
        server.tracker.spawn(async move {
            let outcome =
                jobs::execute(&engine.client, &engine.prices, &engine.store, id, &request, &folders, ctl).await;
            drop(permit);
            outcome
        })
    };
    tokio::pin!(job);
    let outcome = loop {
        tokio::select! {
            outcome = &mut job => break outcome,
            () = cancelled.cancelled(), if !cancel.is_cancelled() => cancel.cancel(),
            Some(event) = rx.recv() => {
                if let Some(message) = said(&event) {
                    progress.say(format!("job {id}: {message}")).await;
                }
            }
        }
    };
    match outcome {
        Ok(outcome) => answer(id, outcome, &warnings),
        Err(e) => CallToolResult::error(vec![ContentBlock::text(format!("job {id} stopped: {e}"))]),
    }
}

/// What a step of the request means to the agent.
fn said(progress: &Progress) -> Option<String> {
    match progress {
        Progress::Attempt { number: 1 } => Some("sending".into()),
        Progress::Attempt { number } => Some(format!("sending again (attempt {number})")),
        Progress::RetryScheduled { wait, reason, .. } => {
            Some(format!("retrying in {:.1} s: {}", wait.as_secs_f64(), crate::text::escape_controls(reason)))
        }
        Progress::Downloading { index, total } => Some(format!("downloading image {} of {total}", index + 1)),
        Progress::Partial { index, .. } => Some(format!("partial image {}", index + 1)),
        Progress::Received { .. } => Some("answer received; writing the images".into()),
        Progress::RateLimited { .. } => None,
    }
}

/// The image at `path` as MCP content: decoded (an SVG drawn, a GIF's first frame), scaled
/// to at most `CONTENT_SIDE` a side, as a PNG.
fn content_of(image: &ImageRecord) -> Option<ContentBlock> {
    let decoded = crate::files::load_image(&image.path).ok()?;
    let fitted = if decoded.width().max(decoded.height()) > CONTENT_SIDE {
        decoded.resize(CONTENT_SIDE, CONTENT_SIDE, image::imageops::FilterType::Triangle)
    } else {
        decoded
    };
    let mut png = Vec::new();
    fitted.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).ok()?;
    Some(ContentBlock::image(base64::engine::general_purpose::STANDARD.encode(png), "image/png"))
}

fn answer(id: JobId, outcome: JobOutcome, warnings: &[FieldError]) -> CallToolResult {
    let escape = |text: &str| crate::text::escape_controls(text);
    match outcome {
        JobOutcome::Done { result, saved, lost, warnings: notes, cost, .. } => {
            let revised =
                |index: usize| result.images.iter().find(|i| i.index == index).and_then(|i| i.revised_prompt.clone());
            let images: Vec<_> = saved
                .iter()
                .map(|i| {
                    json!({
                        "path": i.path.display().to_string(), "format": i.format, "width": i.width, "height": i.height,
                        "bytes": i.bytes, "revised_prompt": revised(i.index).map(|p| escape(&p)),
                    })
                })
                .collect();
            let mut all_notes: Vec<String> = warnings.iter().map(|w| escape(&w.to_string())).collect();
            all_notes.extend(notes.iter().map(|n| escape(n)));
            all_notes.extend(lost.iter().map(|l| escape(l)));
            let summary = json!({
                "job": id, "images": images, "cost": cost, "usage": result.response.usage, "notes": all_notes,
                "content_images": format!("each image below is scaled to at most {CONTENT_SIDE} px a side; the files are whole"),
            });
            let mut content = vec![ContentBlock::text(summary.to_string())];
            content.extend(saved.iter().filter_map(content_of));
            match saved.is_empty() {
                true => CallToolResult::error(content),
                false => CallToolResult::success(content),
            }
        }
        JobOutcome::Failed { error, .. } => {
            CallToolResult::error(vec![ContentBlock::text(format!("job {id} failed: {}", escape(&error.to_string())))])
        }
        JobOutcome::Cancelled => CallToolResult::error(vec![ContentBlock::text(format!(
            "job {id} cancelled: {}",
            escape(&ApiError::Cancelled.to_string())
        ))]),
    }
}
