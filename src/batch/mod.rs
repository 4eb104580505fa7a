//! `imgtui batch FILE`: many requests from one file, run a few at a time. Every entry is read
//! and checked before anything is sent (all problems, with their lines: exit 2); `--dry-run`
//! stops there with the count and the estimate; `--resume` skips entries whose job is done
//! (each job records its entry's key); a 429 slows the whole batch (see `pace`). A line per
//! job as it ends, a summary at the end; exit 0 when every job succeeded, 1 when any failed.

mod entries;
mod pace;
mod run;

use std::process::ExitCode;

use serde_json::json;

#[cfg(test)]
pub use entries::parse as parse_entries;
pub use entries::{Entry, EntryError};
pub use pace::Pace;

use crate::api::{FieldError, Param, Problem};
use crate::catalog::fetch::Fetch;
use crate::cli::{BatchArgs, GlobalArgs};
use crate::engine::Engine;
use crate::headless::{EXIT_FAILED, EXIT_INVALID};
use crate::store::ImageRequest;
use crate::text::escape_controls;

pub async fn run(global: &GlobalArgs, args: BatchArgs) -> ExitCode {
    let mode = if args.dry_run { crate::engine::Mode::Look } else { crate::engine::Mode::Headless };
    let mut engine = match crate::headless::start_as(global, mode).await {
        Ok(engine) => engine,
        Err(code) => return code,
    };
    let file = escape_controls(&args.file.display().to_string());
    let text = match crate::files::read_text_bounded(&args.file, entries::FILE_MAX) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("imgtui: batch file {file}: cannot read it: {}", escape_controls(&e.to_string()));
            return ExitCode::from(EXIT_INVALID);
        }
    };
    engine.load_catalog(Fetch::IfStale).await;
    let (default_model, _) = engine.default_model();
    let (mut entries, mut problems) = match entries::parse(&args.file, &text, &default_model) {
        Ok(parsed) => parsed,
        Err(errors) => return refuse(&file, &errors, args.output.json),
    };
    // After the keys are made: a key is what the file says.
    for entry in &mut entries {
        entry.request.complete(engine.client.models());
    }
    problems.extend(check_all(&engine, &entries, args.force_model).await);
    if let Some(error) = crate::headless::checks::out_problem(&args.output) {
        problems.push(EntryError { line: 0, message: error.to_string() });
    }
    problems.sort_by_key(|p| p.line);
    if !problems.is_empty() {
        return refuse(&file, &problems, args.output.json);
    }
    // A real run claims its entries as it reads them (see store/batch_claims.rs).
    let mut known = known_keys(&engine, &entries, !args.dry_run, args.resume).await;
    if !args.resume {
        known.done.clear();
    }
    if let Some((_, job, pid)) = known.elsewhere.first() {
        let among = job.map(|job| format!(" (job {job} among them)")).unwrap_or_default();
        let message = format!(
            "{} entr{} of this file {} run by imgtui pid {pid}{among}: run it again when that has ended, or \
             nothing would stop both from paying for them",
            known.elsewhere.len(),
            if known.elsewhere.len() == 1 { "y" } else { "ies" },
            if known.elsewhere.len() == 1 { "is" } else { "are" },
        );
        return refuse(&file, &[EntryError { line: 0, message }], args.output.json);
    }
    let is_done =
        |e: &Entry| known.done.contains(&e.key) || e.legacy_key.as_ref().is_some_and(|k| known.done.contains(k));
    let (skipped, todo): (Vec<Entry>, Vec<Entry>) = entries.into_iter().partition(is_done);
    let estimate = total_estimate(&engine, &todo).await;
    let held_back = match args.over_budget || todo.is_empty() {
        true => None,
        false => budget_refusal(&engine, estimate).await,
    };
    if args.dry_run {
        return dry_run(&todo, skipped.len(), estimate, held_back.as_deref(), args.output.json, engine.keyless());
    }
    if let Some(why) = held_back {
        let error = EntryError { line: 0, message: format!("budget: {why} (--over-budget sends it anyway)") };
        return refuse(&file, &[error], args.output.json);
    }
    if !skipped.is_empty() && !args.output.json {
        eprintln!("imgtui: {} entr{} already done, skipped (--resume)", skipped.len(), plural(skipped.len()));
    }
    let totals = run::run_all(&engine, &args, todo).await;
    if let Err(e) = engine.store.run(|s| s.release_batch()).await {
        tracing::warn!("the batch's claims stay until this process is gone: {e}");
    }
    totals.report(skipped.len(), args.output.json);
    if args.output.notify && totals.stopped_by != Some(1) {
        let body = format!("{} done, {} failed", totals.done, totals.failed);
        if let Err(e) = crate::headless::tell::notify(&format!("imgtui: batch {file} ended"), &body) {
            eprintln!("imgtui: --notify: no terminal to tell ({e})");
        }
    }
    match (totals.stopped_by, totals.failed) {
        (Some(number), _) => ExitCode::from(crate::signals::exit_code(number)),
        (None, 0) => ExitCode::SUCCESS,
        (None, _) => ExitCode::from(EXIT_FAILED),
    }
}

/// "1 job", "3 jobs".
fn counted(n: usize, what: &str) -> String {
    if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "y is" } else { "ies are" }
}

/// Every problem, with its line; nothing was sent. Exit 2.
fn refuse(file: &str, errors: &[EntryError], as_json: bool) -> ExitCode {
    if as_json {
        let errors: Vec<_> = errors.iter().map(|e| json!({ "line": e.line, "message": e.message })).collect();
        crate::outln!("{}", json!({ "ok": false, "file": file, "errors": errors }));
    } else {
        for error in errors {
            eprintln!("imgtui: {file}: {}", escape_controls(&error.to_string()));
        }
        eprintln!("imgtui: {file}: {} problem(s); nothing was sent", errors.len());
    }
    ExitCode::from(EXIT_INVALID)
}

/// The model table's and the provider's rules for every entry (edits read their files, off
/// the async workers), with the entry's line.
async fn check_all(engine: &Engine, entries: &[Entry], force_model: bool) -> Vec<EntryError> {
    let (models, provider) = (engine.client.models().clone(), engine.client.config().provider);
    let refusals: Vec<Option<String>> = entries
        .iter()
        .map(|e| {
            let model = e.request.model();
            let retired =
                engine.catalog.refusal(model).map(|why| FieldError::of(Param::Model, Problem::Retired { why }));
            let typo = || {
                let suggestion = engine.catalog.typo_of(model)?;
                Some(FieldError::of(Param::Model, Problem::Typo { model: model.to_string(), suggestion }))
            };
            retired.or_else(typo).filter(|_| !force_model).map(|error| error.to_string())
        })
        .collect();
    let checking: Vec<(usize, ImageRequest)> = entries.iter().map(|e| (e.line, e.request.clone())).collect();
    let checked = tokio::task::spawn_blocking(move || {
        checking
            .iter()
            .map(|(line, request)| {
                let found = match request {
                    ImageRequest::Generate(r) => r.validate(&models),
                    ImageRequest::Edit(r) => r.validate(&models, provider),
                };
                (*line, found.err().unwrap_or_default())
            })
            .collect::<Vec<(usize, Vec<FieldError>)>>()
    })
    .await
    .unwrap_or_default();
    let mut problems = Vec::new();
    for ((line, errors), refusal) in checked.into_iter().zip(refusals) {
        if let Some(why) = refusal {
            problems.push(EntryError { line, message: why });
        }
        let errors = engine.catalog.advise(errors);
        problems.extend(errors.into_iter().map(|e| EntryError { line, message: e.to_string() }));
    }
    problems
}

/// Which entries' jobs are done, or run in another imgtui, by the history (by the keys of
/// this build and of earlier ones).
/// What the history knows of the entries' keys; `claim`: and claims them for this run.
async fn known_keys(engine: &Engine, entries: &[Entry], claim: bool, resume: bool) -> crate::store::BatchKeys {
    let keys: Vec<String> =
        entries.iter().flat_map(|e| std::iter::once(e.key.clone()).chain(e.legacy_key.clone())).collect();
    let known = match claim {
        true => engine.store.run(move |s| s.claim_batch(&keys, resume)).await,
        false => engine.store.run(move |s| s.batch_keys(&keys)).await,
    };
    known.unwrap_or_default()
}

/// Why the batch would be held back by a budget. Jobs that cannot be estimated are not run
/// blind against a budget: several starting at once would each see nothing spent yet.
async fn budget_refusal(engine: &Engine, estimate: BatchEstimate) -> Option<String> {
    engine.config.budgets(&engine.paths.config_file).ok().filter(|b| b.any())?;
    if estimate.unestimated > 0 {
        return Some(format!(
            "{} entr{} cannot be estimated (no price for their model), and a budget is kept",
            estimate.unestimated,
            if estimate.unestimated == 1 { "y" } else { "ies" }
        ));
    }
    crate::headless::checks::batch_refusal(engine, estimate.complete()).await
}

/// What the entries would cost: the sum of those that can be estimated (as the budgets count
/// them), and how many cannot.
#[derive(Clone, Copy, Debug, PartialEq)]
struct BatchEstimate {
    usd: f64,
    unestimated: usize,
    /// Some entries are bounds, not figures: a floor (counted at four times) or `auto` at its
    /// dearest quality.
    bounded: bool,
}

impl BatchEstimate {
    /// The total, when every entry has an estimate (what budgets are checked against).
    fn complete(&self) -> Option<f64> {
        (self.unestimated == 0).then_some(self.usd)
    }

    fn describe(&self, jobs: usize) -> String {
        let (sign, how) = match self.bounded {
            true => ("≤", " (as the budgets count it: floors at 4x, auto at its dearest)"),
            false => ("≈", ""),
        };
        match self.unestimated {
            0 => format!("{sign} {}{how}", crate::cost::dollars(self.usd)),
            n if n == jobs => "no estimate".into(),
            n => format!(
                "{sign} {}{how} for {} of {jobs} jobs ({n} cannot be estimated)",
                crate::cost::dollars(self.usd),
                jobs - n
            ),
        }
    }

    /// The total in whole micro-dollars, for JSON (no float noise).
    fn usd_rounded(&self) -> f64 {
        (self.usd * 1e6).round() / 1e6
    }
}

async fn total_estimate(engine: &Engine, entries: &[Entry]) -> BatchEstimate {
    let history = crate::headless::checks::output_history(engine).await;
    let client = &engine.client;
    let (prices, provider, models) = (&engine.prices, client.config().provider, client.models());
    let each = entries.iter().map(|e| crate::cost::for_request(&e.request, prices, provider, models, &history));
    each.fold(BatchEstimate { usd: 0.0, unestimated: 0, bounded: false }, |total, note| match &note {
        crate::cost::PriceNote::Estimate(e) => BatchEstimate {
            usd: total.usd + e.for_budgets(),
            bounded: total.bounded
                || matches!(e.basis, crate::cost::estimate::Basis::Floor | crate::cost::estimate::Basis::Dearest),
            ..total
        },
        _ => BatchEstimate { unestimated: total.unestimated + 1, ..total },
    })
}

fn dry_run(
    todo: &[Entry],
    skipped: usize,
    estimate: BatchEstimate,
    held_back: Option<&str>,
    as_json: bool,
    keyless: bool,
) -> ExitCode {
    let images: u32 = todo.iter().map(|e| e.request.options().n.unwrap_or(1)).sum();
    if as_json {
        let entries: Vec<_> =
            todo.iter().map(|e| json!({ "line": e.line, "key": e.key, "request": e.request })).collect();
        let body = json!({
            "dry_run": true, "jobs": todo.len(), "images": images, "skipped": skipped,
            "estimate_usd": estimate.usd_rounded(), "unestimated": estimate.unestimated, "over_budget": held_back,
            "entries": entries,
        });
        crate::outln!("{body}");
    } else {
        for entry in todo {
            let prompt = crate::text::fit_line(entry.request.prompt(), 60);
            crate::outln!("line {:>4}  {}  {prompt}", entry.line, escape_controls(entry.request.model()));
        }
        let cost = estimate.describe(todo.len());
        let skipped = if skipped > 0 { format!(", {skipped} done already (skipped)") } else { String::new() };
        let (jobs, images) = (counted(todo.len(), "job"), counted(images as usize, "image"));
        crate::outln!("{jobs}, {images}{skipped} · {cost} · nothing was sent (--dry-run)");
        if keyless {
            eprintln!("imgtui: no API key, so the provider was not asked: checked against the built-in list");
        }
        if let Some(why) = held_back {
            crate::outln!("running it would be refused: {why} (--over-budget sends it anyway)");
        }
    }
    ExitCode::SUCCESS
}
