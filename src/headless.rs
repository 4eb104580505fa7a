//! The headless commands `generate`, `edit` and `history rerun`: one job, recorded in the
//! history, images saved, a line (or one JSON object) per outcome.
//! Exit codes: 0 success, 2 invalid input (nothing sent), 1 API/network failure.

pub(crate) mod checks;
mod progress;
pub(crate) mod tell;

use checks::{budget_check, check_request, output_history};

use std::io::Read;
use std::process::ExitCode;

use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::api::{ApiError, EditRequest, FieldError, GenerateRequest, ImageOptions, RequestControl, RulesOrigin};
use crate::catalog::fetch::Fetch;
use crate::cli::{EditArgs, GenerateArgs, GlobalArgs, ImageArgs, OutputArgs};
use crate::engine::{Engine, Mode};
use crate::jobs::{self, JobOutcome};
use crate::preview::Graphics;
use crate::store::{Admitted, ImageRecord, ImageRequest, JobId};
use crate::text::escape_controls;

pub const EXIT_INVALID: u8 = 2;
pub const EXIT_FAILED: u8 = 1;

pub async fn generate(global: &GlobalArgs, args: GenerateArgs) -> ExitCode {
    let (engine, prompt, model, mut options) =
        match prepare(global, &args.prompt, &args.image, &args.params.given).await {
            Ok(parts) => parts,
            Err(code) => return code,
        };
    options.complete(engine.client.models().resolve(&model).spec);
    let request = ImageRequest::Generate(GenerateRequest { prompt, model, options });
    run_or_dry_run(&engine, &args.image, request).await
}

/// Runs the request, or with `--dry-run` only shows it and what it would cost.
async fn run_or_dry_run(engine: &Engine, args: &ImageArgs, request: ImageRequest) -> ExitCode {
    if !args.dry_run {
        let allow = Allow { shut_down_model: args.force_model, over_budget: args.over_budget };
        return run_job(engine, &args.output, request, None, allow, args.show).await;
    }
    if let Some(code) = check_request(engine, &args.output, &request, args.force_model, false).await {
        return code;
    }
    let client = &engine.client;
    let history = output_history(engine).await;
    let note = crate::cost::for_request(&request, &engine.prices, client.config().provider, client.models(), &history);
    let held_back = checks::budget_refusal(engine, &request).await;
    if args.output.json {
        let body = json!({
            "dry_run": true, "request": request, "estimate_usd": note.usd(), "estimate": note.describe(),
            "over_budget": held_back,
        });
        crate::outln!("{body}");
    } else {
        let shown = serde_json::to_string_pretty(&request).unwrap_or_default();
        crate::outln!("{}", escape_controls(&shown).replace("\\n", "\n"));
        crate::outln!("{} · nothing was sent (--dry-run)", note.describe());
        if engine.keyless() {
            eprintln!(
                "imgtui: no API key, so {} was not asked: checked against the built-in list",
                engine.catalog.provider
            );
        }
        if let Some(why) = held_back {
            crate::outln!("sending it would be refused: {why} (--over-budget sends it anyway)");
        }
    }
    ExitCode::SUCCESS
}

pub async fn edit(global: &GlobalArgs, args: EditArgs) -> ExitCode {
    let (engine, prompt, model, options) = match prepare(global, &args.prompt, &args.image, &args.params.given).await {
        Ok(parts) => parts,
        Err(code) => return code,
    };
    // Kept absolute and canonical: a re-run from another folder must send the same files.
    let images = args.images.iter().map(|p| jobs::canonical(p)).collect();
    let mask = args.mask.as_deref().map(jobs::canonical);
    let markup = args.markup.as_deref().map(jobs::canonical);
    let keep_unmasked = args.keep_unmasked;
    let request = ImageRequest::Edit(EditRequest { prompt, model, images, mask, markup, keep_unmasked, options });
    run_or_dry_run(&engine, &args.image, request).await
}

/// What both commands need first: the engine, the prompt, the model and the shared options.
async fn prepare(
    global: &GlobalArgs,
    prompt_arg: &str,
    args: &ImageArgs,
    given: &[(crate::api::Param, String)],
) -> Result<(Engine, String, String, ImageOptions), ExitCode> {
    // A flag's value the table cannot read (`-n two`) is named before anything starts.
    let options =
        options_from(given).map_err(|error| report_failure(args.output.json, None, &ApiError::Invalid(vec![error])))?;
    let mode = if args.dry_run { Mode::Look } else { Mode::Headless };
    let mut engine = start_as(global, mode).await?;
    let longest = engine.client.models().all().iter().map(|m| m.prompt_max_chars).max().unwrap_or(32_000);
    let prompt = read_prompt(prompt_arg, longest)?;
    // What the provider serves decides the default and refuses retired models; it is asked at
    // most once a day (a failure once an hour), so this costs nothing most runs.
    engine.load_catalog(Fetch::IfStale).await;
    let model = match &args.model {
        Some(model) => model.trim().to_string(),
        None => {
            let (model, notice) = engine.default_model();
            if let Some(notice) = notice {
                eprintln!("imgtui: {}", escape_controls(&notice));
            }
            model
        }
    };
    Ok((engine, prompt, model, options))
}

pub(crate) async fn start(global: &GlobalArgs) -> Result<Engine, ExitCode> {
    start_as(global, Mode::Headless).await
}

/// As `start`, for `mode` (`Mode::Look` for commands that send nothing).
pub(crate) async fn start_as(global: &GlobalArgs, mode: Mode) -> Result<Engine, ExitCode> {
    let engine = Engine::start(global, mode).await.map_err(|e| {
        eprintln!("imgtui: {}", escape_controls(&e.to_string()));
        ExitCode::from(e.exit_code())
    })?;
    for notice in &engine.notices {
        eprintln!("imgtui: {}", escape_controls(notice));
    }
    Ok(engine)
}

/// The prompt, or standard input for `-`. Input is read up to one character past the longest
/// prompt any model takes, so validation names the limit instead of memory running out.
fn read_prompt(arg: &str, longest: usize) -> Result<String, ExitCode> {
    if arg != "-" {
        return Ok(arg.to_string());
    }
    let mut bytes = Vec::new();
    let cap = (longest as u64 + 1) * 4;
    match std::io::stdin().lock().take(cap).read_to_end(&mut bytes) {
        Ok(_) => {
            let text = String::from_utf8_lossy(&bytes);
            let prompt: String = text.trim_end_matches(['\n', '\r']).chars().take(longest + 1).collect();
            Ok(prompt)
        }
        Err(e) => {
            eprintln!("imgtui: prompt: cannot read standard input: {e}");
            Err(ExitCode::from(EXIT_INVALID))
        }
    }
}

/// The options the flags gave, read by the parameter table; partial images stream.
fn options_from(given: &[(crate::api::Param, String)]) -> Result<ImageOptions, FieldError> {
    let mut options = ImageOptions::default();
    for (param, value) in given {
        options.set(*param, Some(value))?;
    }
    options.stream = options.partial_images.map(|_| true);
    Ok(options)
}

/// What a command may send that would otherwise be refused.
#[derive(Clone, Copy, Debug, Default)]
pub struct Allow {
    /// A model the provider has shut down (`--force-model`).
    pub shut_down_model: bool,
    /// A request whose estimate passes a budget (`--over-budget`).
    pub over_budget: bool,
}

/// Validates, records, sends and saves one job, then reports it. A model the provider has
/// shut down is refused unless `allow` says so, as is a request past a budget.
pub(crate) async fn run_job(
    engine: &Engine,
    output: &OutputArgs,
    request: ImageRequest,
    parent_id: Option<JobId>,
    allow: Allow,
    show: bool,
) -> ExitCode {
    if let Some(code) = check_request(engine, output, &request, allow.shut_down_model, true).await {
        return code;
    }
    let budget = match allow.over_budget {
        true => None,
        false => budget_check(engine, &request).await,
    };
    let client = &engine.client;
    let id = match jobs::submit(
        &engine.store,
        client,
        &engine.prices,
        std::slice::from_ref(&request),
        parent_id,
        budget,
        None,
        None,
    )
    .await
    {
        Ok(Admitted::Queued(ids)) if !ids.is_empty() => ids[0],
        // No batch key here: another process cannot hold the same entry.
        Ok(Admitted::Queued(_) | Admitted::RunningElsewhere { .. }) => return ExitCode::from(EXIT_FAILED),
        Ok(Admitted::OverBudget(why)) => {
            let error = FieldError::of(crate::api::Param::Budget, crate::api::Problem::OverBudget { why });
            return report_failure(output.json, None, &ApiError::Invalid(vec![error]));
        }
        Err(e) => {
            eprintln!("imgtui: {}", escape_controls(&e.to_string()));
            return ExitCode::from(EXIT_FAILED);
        }
    };
    let (tx, rx) = mpsc::unbounded_channel();
    let ctl = RequestControl { progress: Some(tx), ..RequestControl::default() };
    let (cancel, no_retry) = (ctl.cancel.clone(), ctl.no_retry.clone());
    let out_dir = output.out.clone().unwrap_or_else(|| engine.out_dir.clone());
    let reporter = tokio::spawn(progress::report(rx, id, out_dir.clone()));
    // Where the images go: the folder asked for, else the usual images folder, else the
    // private rescue folder.
    let folders = jobs::Folders::new(out_dir.clone()).with_fallback(engine.out_dir.clone());
    let job = jobs::execute(client, &engine.prices, &engine.store, id, &request, &folders, ctl);
    tokio::pin!(job);
    let mut stops = crate::signals::Stops::new();
    let mut stopped_by = None;
    let outcome = tokio::select! {
        outcome = &mut job => outcome,
        number = stops.next() => {
            stopped_by = Some(number);
            if number == crate::signals::HANGUP {
                // A dropped session: the answer on its way was paid for, so it is let arrive
                // and be kept; another signal still cancels it.
                crate::signals::leave_the_terminal();
                no_retry.cancel();
                tokio::select! {
                    outcome = &mut job => outcome,
                    _ = stops.next_after_hangup() => {
                        cancel.cancel();
                        job.await
                    }
                }
            } else {
                // Ctrl-C, a kill: what has arrived is written and the job records its end
                // before the process ends.
                cancel.cancel();
                job.await
            }
        }
    };
    let show = show.then(|| engine.config.graphics.unwrap_or(crate::preview::Graphics::Auto));
    let partials: Vec<String> = reporter.await.unwrap_or_default().iter().map(|p| p.display().to_string()).collect();
    match stopped_by {
        // After a hang-up the terminal is gone: nothing more is printed to it.
        Some(1) => ExitCode::from(crate::signals::exit_code(1)),
        Some(number) => {
            report(outcome, output.json, id, partials, None);
            ExitCode::from(crate::signals::exit_code(number))
        }
        None => {
            let code = report(outcome, output.json, id, partials, show);
            if output.notify {
                let said = if code == ExitCode::SUCCESS { "done" } else { "did not finish" };
                if let Err(e) = tell::notify(&format!("imgtui: job {id} {said}"), request.prompt()) {
                    eprintln!("imgtui: --notify: no terminal to tell ({e})");
                }
            }
            code
        }
    }
}

/// What the user should know before a request goes out: a model the provider does not list,
/// rules guessed for a model the table does not know, and the warnings of those rules.
/// `sending`: the request goes out now (not a dry run).
fn warn_before_sending(engine: &Engine, request: &ImageRequest, warnings: &[FieldError], sending: bool) {
    if engine.catalog.listed(request.model()) == Some(false) {
        let list = if engine.keyless() { "imgtui's built-in list of what " } else { "" };
        let sent = if sending { "sent anyway" } else { "it would be sent anyway" };
        eprintln!(
            "imgtui: warning: {} is not listed by {list}{} (imgtui models lists what it serves); {sent}",
            escape_controls(request.model()),
            engine.catalog.provider
        );
    }
    if let RulesOrigin::Guessed { from } = engine.client.models().origin(request.model()) {
        eprintln!(
            "imgtui: {} is not in imgtui's model table: rules guessed from {from}; the server decides",
            escape_controls(request.model())
        );
    }
    for warning in warnings {
        eprintln!("imgtui: warning: {}", escape_controls(&warning.to_string()));
    }
}

/// Prints how job `id` ended (text, or one JSON object) and gives the exit code.
/// `show`: print the saved images into the terminal, with this protocol choice.
fn report(outcome: JobOutcome, as_json: bool, id: JobId, partials: Vec<String>, show: Option<Graphics>) -> ExitCode {
    progress::clear_line();
    match outcome {
        JobOutcome::Done { result, saved, raw, unsaved, lost, warnings, retries, recorded, cost } => {
            for warning in &warnings {
                eprintln!("imgtui: {}", escape_controls(warning));
            }
            let r = &result.response;
            let ok = unsaved.is_empty() && lost.is_empty() && recorded.is_ok();
            if as_json {
                let body = json!({
                    "ok": ok, "job": id, "created": r.created, "recorded": recorded.is_ok(),
                    "history_error": recorded.as_ref().err(),
                    "images": saved.iter().map(|i| image_json(i, &result)).collect::<Vec<_>>(),
                    "raw_images": raw.iter().map(|i| image_json(i, &result)).collect::<Vec<_>>(),
                    "lost": lost, "warnings": warnings, "usage": r.usage,
                    "size": r.size, "quality": r.quality, "background": r.background, "output_format": r.output_format,
                    "retries": retries, "partials": partials,
                    "cost": cost,
                });
                crate::outln!("{body}");
            } else {
                print_saved(&saved, &result, cost.as_ref());
                if let Some(choice) = show {
                    crate::show::show(&crate::show::ShowItem::of_job(id, &saved), choice, None);
                }
                for image in &raw {
                    let path = escape_controls(&image.path.display().to_string());
                    crate::outln!(
                        "kept the API's own image as {path} (the saved one has the original outside the mask)"
                    );
                }
                for reason in &lost {
                    eprintln!("imgtui: {}", escape_controls(reason));
                }
                // "done" only once the history has it and every image was kept.
                match (&recorded, ok) {
                    (Err(e), _) => eprintln!(
                        "imgtui: job {id} is not recorded in the history ({}); the files above are all there is",
                        escape_controls(e)
                    ),
                    (Ok(()), false) => {
                        let total = result.response.data.len().max(saved.len() + unsaved.len());
                        eprintln!("imgtui: job {id}: {} of {total} image(s) kept", saved.len())
                    }
                    (Ok(()), true) => {
                        let retried = if retries > 0 { format!(" after {retries} retries") } else { String::new() };
                        crate::outln!("job {id} done{retried}");
                    }
                }
            }
            if ok { ExitCode::SUCCESS } else { ExitCode::from(EXIT_FAILED) }
        }
        JobOutcome::Failed { error, .. } => report_failure(as_json, Some(id), &error),
        JobOutcome::Cancelled => report_failure(as_json, Some(id), &ApiError::Cancelled),
    }
}

fn image_json(image: &ImageRecord, result: &crate::api::ImagesResult) -> Value {
    let revised = result.images.iter().find(|i| i.index == image.index).and_then(|i| i.revised_prompt.clone());
    json!({
        "path": image.path.display().to_string(),
        "format": image.format, "width": image.width, "height": image.height,
        "bytes": image.bytes, "sha256": image.sha256, "revised_prompt": revised,
    })
}

fn print_saved(saved: &[ImageRecord], result: &crate::api::ImagesResult, cost: Option<&crate::cost::JobCost>) {
    for image in saved {
        let path = escape_controls(&image.path.display().to_string());
        crate::outln!("saved {path} ({}, {} bytes)", image.size_and_format(), image.bytes);
    }
    if let Some(revised) = result.images.iter().find_map(|i| i.revised_prompt.as_deref()) {
        crate::outln!("revised prompt: {}", escape_controls(revised));
    }
    let cost = match (cost, &result.response.usage) {
        (Some(cost), _) => cost.describe(),
        // Priced, but the answer said nothing to price: its estimate counts against the budgets.
        (None, None) => {
            "cost unknown: the answer reported no usable token counts (an estimate counts against the budgets)"
                .to_string()
        }
        (None, _) => "price unknown (see [prices] in the config)".to_string(),
    };
    match &result.response.usage {
        Some(usage) => crate::outln!(
            "tokens: {} in, {} out, {} total · {cost}",
            usage.input_tokens,
            usage.output_tokens,
            usage.total_tokens
        ),
        None => crate::outln!("cost: {cost}"),
    }
}

fn report_failure(as_json: bool, id: Option<JobId>, err: &ApiError) -> ExitCode {
    let code = match err {
        ApiError::Invalid(_) | ApiError::Input(_) => EXIT_INVALID,
        _ => EXIT_FAILED,
    };
    if as_json {
        let fields: Vec<Value> = match err {
            ApiError::Invalid(errors) => {
                errors.iter().map(|e| json!({ "field": e.param, "message": e.message() })).collect()
            }
            _ => Vec::new(),
        };
        let body =
            json!({ "ok": false, "job": id, "error": err.to_string(), "status": err.status(), "fields": fields });
        crate::outln!("{body}");
    } else if let ApiError::Invalid(errors) = err {
        eprintln!("imgtui: invalid request, nothing was sent:");
        for e in errors {
            eprintln!("  {}", escape_controls(&e.to_string()));
        }
    } else {
        eprintln!("imgtui: {}", escape_controls(&err.to_string()));
    }
    ExitCode::from(code)
}
