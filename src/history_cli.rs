//! `imgtui history`: list and search, show one job, re-run one, tokens per day.

use std::process::ExitCode;

use serde_json::json;

use crate::cli::{GlobalArgs, HistoryAction, HistoryArgs};
use crate::config::{Config, Paths};
use crate::engine::open_history;
use crate::headless::{self, EXIT_FAILED, EXIT_INVALID};
use crate::store::{JobQuery, JobRecord, JobStatus, JobSummary, StoreError};
use crate::text::escape_controls;

pub async fn run(global: &GlobalArgs, args: HistoryArgs) -> ExitCode {
    if let Some(HistoryAction::Rerun { id, output, force_model, over_budget, show }) = args.action {
        let allow = headless::Allow { shut_down_model: force_model, over_budget };
        return rerun(global, id, output, allow, show).await;
    }
    let paths = global.paths();
    let config = match Config::load(&paths.config_file, global.config.is_some()) {
        Ok(config) => config,
        Err(e) => return invalid(&e.to_string()),
    };
    crate::config::key_file::warn_if_exposed(&paths.config_file, &config);
    let store = match open_for_reading(&paths, &config) {
        Ok(store) => store,
        Err(code) => return code,
    };
    let out_dir = config.out_dir.unwrap_or_else(|| paths.images_dir());
    match args.action {
        None => list(&store, args.search, args.status, args.limit as usize, args.json).await,
        Some(HistoryAction::Show { id, copy: Some(what), .. }) => match store.run(move |s| s.job(id)).await {
            Ok(Some(record)) => copy_of(&record, what),
            Ok(None) => invalid(&format!("job {id} is not in the history (imgtui history lists them)")),
            Err(e) => failed(&e),
        },
        Some(HistoryAction::Show { id, json, show, .. }) => match store.run(move |s| s.job(id)).await {
            Ok(Some(record)) if json => {
                let mut value = serde_json::to_value(&record).unwrap_or(json!({}));
                let partials: Vec<String> =
                    partials(&record, &out_dir).iter().map(|p| p.display().to_string()).collect();
                value["partials"] = json!(partials);
                print_json(&value)
            }
            Ok(Some(record)) => {
                let code = print_record(&record, &partials(&record, &out_dir));
                let choice = global.graphics.or(config.graphics).unwrap_or(crate::preview::Graphics::Auto);
                let items = crate::show::ShowItem::of_job(id, &record.images);
                if show && items.is_empty() {
                    eprintln!("imgtui: job {id} has no images to show ({})", record.status);
                }
                let shown = !show
                    || tokio::task::spawn_blocking(move || crate::show::show(&items, choice, None))
                        .await
                        .unwrap_or(false);
                if shown { code } else { ExitCode::FAILURE }
            }
            Ok(None) if json => {
                crate::outln!("{}", json!({ "ok": false, "error": format!("job {id} is not in the history") }));
                ExitCode::from(EXIT_INVALID)
            }
            Ok(None) => invalid(&format!("job {id} is not in the history (imgtui history lists them)")),
            Err(e) => failed(&e),
        },
        Some(HistoryAction::Rerun { .. }) => ExitCode::SUCCESS, // handled above
        Some(HistoryAction::Tokens { days, json }) => match store.run(move |s| s.tokens_per_day(days)).await {
            Ok(rows) if json => print_json(&rows),
            Ok(rows) => {
                crate::outln!("{:<10}  {:>5}  {:>10}  {:>10}  {:>10}", "DAY", "JOBS", "INPUT", "OUTPUT", "TOTAL");
                for r in rows {
                    crate::outln!(
                        "{:<10}  {:>5}  {:>10}  {:>10}  {:>10}",
                        r.day,
                        r.jobs,
                        r.input_tokens,
                        r.output_tokens,
                        r.total_tokens
                    );
                }
                ExitCode::SUCCESS
            }
            Err(e) => failed(&e),
        },
        Some(HistoryAction::Tree { id, json }) => match store.run(move |s| s.tree_of(id)).await {
            Ok(rows) if rows.is_empty() => {
                eprintln!("imgtui: job {id} is not in the history");
                ExitCode::from(crate::headless::EXIT_INVALID)
            }
            Ok(rows) => crate::tree_cli::print(id, &rows, json),
            Err(e) => failed(&e),
        },
        Some(HistoryAction::Cost { days, by, json }) => match store.run(move |s| s.spend(by, days)).await {
            Ok(rows) => print_cost(&rows, by, json),
            Err(e) => failed(&e),
        },
    }
}

/// The cost report: a row per group and the total, unpriced jobs counted apart.
fn print_cost(rows: &[crate::store::spend::SpendRow], by: crate::store::spend::SpendBy, json: bool) -> ExitCode {
    let total = crate::store::spend::total(rows);
    if json {
        crate::outln!("{}", serde_json::json!({ "by": by, "rows": rows, "total": total }));
        return ExitCode::SUCCESS;
    }
    let heading = by.heading();
    crate::outln!("{heading:<24}  {:>5}  {:>8}  {:>10}  {:>10}", "JOBS", "NO PRICE", "COST", "TOKENS");
    for r in rows.iter().chain(std::iter::once(&total)) {
        crate::outln!(
            "{:<24}  {:>5}  {:>8}  {:>10}  {:>10}",
            escape_controls(&crate::text::fit_line(&r.key, 24)),
            r.jobs,
            r.unpriced(),
            crate::cost::dollars(r.cost_usd),
            r.tokens
        );
    }
    if total.unpriced() > 0 {
        crate::outln!("{} job(s) had no price: set [prices] in the config for their provider", total.unpriced());
    }
    ExitCode::SUCCESS
}

/// `history rerun ID`: the job's request again, refused when its inputs changed.
async fn rerun(
    global: &GlobalArgs,
    id: crate::store::JobId,
    output: crate::cli::OutputArgs,
    allow: headless::Allow,
    show: bool,
) -> ExitCode {
    // Only a re-run talks to a server, so only it needs a key (or --demo).
    let mut engine = match headless::start(global).await {
        Ok(engine) => engine,
        Err(code) => return code,
    };
    engine.load_catalog(crate::catalog::fetch::Fetch::IfStale).await;
    return match engine.store.run(move |s| s.job(id)).await {
        Ok(Some(record)) => {
            // The same pictures or none: a changed or missing input is refused, with hashes.
            let inputs = record.inputs.clone();
            let changed =
                tokio::task::spawn_blocking(move || crate::jobs::changed_inputs(&inputs)).await.unwrap_or_default();
            if !changed.is_empty() {
                let message =
                    format!("job {id} is not re-run: its inputs are not the files it sent: {}", changed.join("; "));
                if output.json {
                    crate::outln!("{}", json!({ "ok": false, "error": message }));
                    return ExitCode::from(EXIT_INVALID);
                }
                return invalid(&message);
            }
            headless::run_job(&engine, &output, record.request, None, allow, show).await
        }
        Ok(None) => invalid(&format!("job {id} is not in the history (imgtui history lists them)")),
        Err(e) => failed(&e),
    };
}

/// `history`: the newest jobs, filtered, as a table or JSON.
async fn list(
    store: &crate::store::SharedStore,
    search: Option<String>,
    status: Option<String>,
    limit: usize,
    json: bool,
) -> ExitCode {
    let status = match status.as_deref().map(str::parse::<JobStatus>).transpose() {
        Ok(status) => status,
        Err(message) => return invalid(&format!("--status: {message}")),
    };
    let query = JobQuery { search, status, before: None, limit, starred: false, short_words_within: None };
    // What was asked for, to say so when nothing matches.
    let filter: Vec<String> = [
        query.search.as_ref().map(|s| format!("\"{}\"", escape_controls(s))),
        query.status.map(|s| format!("status {}", s.as_str())),
    ]
    .into_iter()
    .flatten()
    .collect();
    match store.run(move |s| s.page(&query)).await {
        Ok(rows) if json => print_json(&rows),
        Ok(rows) if rows.is_empty() && !filter.is_empty() => {
            crate::outln!("no job matches {}", filter.join(" and "));
            ExitCode::SUCCESS
        }
        Ok(rows) => print_table(&rows),
        Err(e) => failed(&e),
    }
}

/// The history for commands that read it: opened as usual, else read-only when this user
/// cannot write its folder (read-only, full) or another process holds it locked (after
/// SQLite's few seconds, not a minute). Problems are printed.
pub(crate) fn open_for_reading(paths: &Paths, config: &Config) -> Result<crate::store::SharedStore, ExitCode> {
    let mut notices = Vec::new();
    let opened = open_history(paths, config, crate::engine::Patience::Once, &mut notices);
    notices.iter().for_each(|n| eprintln!("imgtui: {}", escape_controls(n)));
    match opened {
        Ok(store) => Ok(store),
        Err(e) if let Ok(store) = crate::store::Store::open_read_only(&paths.data_dir) => {
            eprintln!("imgtui: showing the history read-only ({})", escape_controls(&e.to_string()));
            Ok(crate::store::SharedStore::new(store))
        }
        // The history or its folder cannot be used: the environment failed, not the input.
        Err(e) => {
            eprintln!("imgtui: {}", escape_controls(&e.to_string()));
            Err(ExitCode::from(e.exit_code()))
        }
    }
}

fn invalid(message: &str) -> ExitCode {
    eprintln!("imgtui: {message}");
    ExitCode::from(EXIT_INVALID)
}

fn failed(e: &StoreError) -> ExitCode {
    eprintln!("imgtui: {e}");
    ExitCode::from(EXIT_FAILED)
}

fn print_json<T: serde::Serialize>(value: &T) -> ExitCode {
    match serde_json::to_string_pretty(value) {
        Ok(text) => {
            crate::outln!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => invalid(&format!("cannot encode JSON: {e}")),
    }
}

fn print_table(rows: &[JobSummary]) -> ExitCode {
    if rows.is_empty() {
        crate::outln!("no jobs yet (imgtui generate \"...\" makes one)");
        return ExitCode::SUCCESS;
    }
    crate::outln!(
        "{:>6}  {:<19}  {:<11}  {:<22}  {:>4}  {:>7}  {:>8}  PROMPT",
        "ID",
        "CREATED (UTC)",
        "STATUS",
        "MODEL",
        "IMGS",
        "TOKENS",
        "COST"
    );
    for r in rows {
        let tokens = r.total_tokens.map(|t| t.to_string()).unwrap_or_else(|| "-".into());
        let cost = r.cost.as_ref().map(|c| c.usd).map_or_else(|| "-".into(), crate::cost::dollars);
        crate::outln!(
            "{:>6}  {:<19}  {:<11}  {:<22}  {:>4}  {:>7}  {:>8}  {}",
            r.id,
            crate::files::utc_time(r.created_at),
            r.status.as_str(),
            crate::text::fit_line(&r.model, 22),
            r.image_count,
            tokens,
            cost,
            crate::text::fit_line(&r.prompt, 60)
        );
    }
    ExitCode::SUCCESS
}

fn partials(record: &JobRecord, out_dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let images: Vec<std::path::PathBuf> = record.images.iter().map(|i| i.path.clone()).collect();
    let mut found = crate::jobs::partials_of_job(&images, out_dir, record.id);
    found.sort();
    found
}

/// `history show ID --copy WHAT`: the text to the clipboard through the terminal, and said.
fn copy_of(record: &JobRecord, what: crate::cli::CopyChoice) -> ExitCode {
    use crate::cli::CopyChoice;
    let text = match what {
        CopyChoice::Path => match record.images.first() {
            Some(image) => image.path.display().to_string(),
            None => return invalid(&format!("job {} has no image to copy the path of ({})", record.id, record.status)),
        },
        CopyChoice::Prompt => record.request.prompt().to_string(),
        CopyChoice::Command => record.request.shell_command(),
        CopyChoice::Id => record.id.to_string(),
    };
    let tmux = std::env::var_os("TMUX").is_some_and(|v| !v.is_empty());
    match crate::headless::tell::copy(&text) {
        Ok(()) => {
            let pane = tmux.then(crate::preview::detect::tmux_pane).flatten();
            let said = crate::preview::detect::clipboard_caveat(pane.as_ref(), None);
            let said = said.unwrap_or_else(|| "copied (OSC 52)".into());
            eprintln!("imgtui: {said}: {}", escape_controls(&text));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("imgtui: no terminal to copy through ({e}); the text: {}", escape_controls(&text));
            ExitCode::FAILURE
        }
    }
}

fn print_record(r: &JobRecord, partials: &[std::path::PathBuf]) -> ExitCode {
    crate::outln!("job {}  {} {}  {}", r.id, r.kind.as_str(), r.status, escape_controls(r.request.model()));
    if let Some(origin) = &r.origin {
        crate::outln!("sent by   {}", escape_controls(origin));
    }
    crate::outln!("created   {}", crate::files::utc_time(r.created_at));
    if let Some(t) = r.started_at {
        crate::outln!("started   {}", crate::files::utc_time(t));
    }
    if let Some(t) = r.finished_at {
        crate::outln!("finished  {}", crate::files::utc_time(t));
    }
    crate::outln!("endpoint  {} {}", r.provider, crate::catalog::fetch::public_url(&r.base_url));
    crate::outln!("prompt    {}", escape_controls(r.request.prompt()));
    if let Some(revised) = &r.revised_prompt {
        crate::outln!("revised   {}", escape_controls(revised));
    }
    let params = match &r.request {
        crate::store::ImageRequest::Generate(g) => serde_json::to_value(&g.options),
        crate::store::ImageRequest::Edit(e) => serde_json::to_value(&e.options),
    }
    .unwrap_or(json!({}));
    crate::outln!("params    {}", escape_controls(&params.to_string()));
    for input in &r.inputs {
        crate::outln!(
            "{:<9} {} (sha256 {})",
            input.role,
            escape_controls(&input.path.display().to_string()),
            input.sha256.as_deref().unwrap_or("unreadable")
        );
    }
    if r.retries > 0 {
        crate::outln!("retries   {}", r.retries);
    }
    if let Some(usage) = &r.usage {
        crate::outln!("tokens    {} in, {} out, {} total", usage.input_tokens, usage.output_tokens, usage.total_tokens);
    }
    match &r.cost {
        Some(cost) => crate::outln!("cost      {} ({})", cost.describe(), escape_controls(&cost.basis)),
        None if r.status == crate::store::JobStatus::Done => crate::outln!("cost      price unknown"),
        None => {}
    }
    if let Some(error) = &r.error {
        let status = r.http_status.map(|s| format!(" (HTTP {s})")).unwrap_or_default();
        crate::outln!("error     {}{status}", escape_controls(error));
    }
    if let Some(parent) = r.parent_id {
        crate::outln!("edit of   job {parent}");
    }
    // One submit's jobs (variants, a varied setting, a batch) share their first job's number.
    if let Some(group) = r.group_id {
        crate::outln!("group     g{group} (sent in one submit with the other jobs of g{group})");
    }
    for image in &r.images {
        crate::outln!(
            "image {}   {} ({}, {} bytes)",
            image.index + 1,
            escape_controls(&image.path.display().to_string()),
            image.size_and_format(),
            image.bytes
        );
    }
    for image in &r.raw_images {
        let path = escape_controls(&image.path.display().to_string());
        crate::outln!(
            "raw {}     {path} (the API's own; image {} has the original outside the mask)",
            image.index + 1,
            image.index + 1
        );
    }
    for partial in partials {
        crate::outln!("partial   {}", escape_controls(&partial.display().to_string()));
    }
    ExitCode::SUCCESS
}
