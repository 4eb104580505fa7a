//! What the shell completes, as it is now: model names from the model table and the provider's
//! last list, job IDs from the history, files. The script that asks is `cli::complete`'s.

use std::ffi::OsStr;
use std::path::PathBuf;

use clap_complete::engine::{CompletionCandidate, PathCompleter, ValueCompleter};

/// Job IDs offered: the newest.
const RECENT_JOBS: usize = 40;

/// The default data dir: completion cannot see `--data-dir` typed earlier on the line.
fn data_dir() -> PathBuf {
    crate::config::Paths::resolve(None, None).data_dir
}

/// `--model`: the built-in models, then those the provider listed last time.
pub fn models() -> Vec<CompletionCandidate> {
    let table = crate::api::ModelTable::builtin();
    let mut names: Vec<String> = table.names().into_iter().map(str::to_string).collect();
    for name in crate::catalog::fetch::cached_model_names(&data_dir()) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names.into_iter().map(CompletionCandidate::new).collect()
}

/// Job IDs starting with `typed`, newest first, each with its prompt as the help text.
pub fn job_ids(typed: &str) -> Vec<CompletionCandidate> {
    let Ok(store) = crate::store::Store::open_read_only(&data_dir()) else { return Vec::new() };
    let query = crate::store::JobQuery { limit: RECENT_JOBS, ..crate::store::JobQuery::default() };
    let jobs = store.page(&query).unwrap_or_default();
    jobs.into_iter()
        .map(|job| (job.id.to_string(), job.prompt))
        .filter(|(id, _)| id.starts_with(typed))
        .map(|(id, prompt)| {
            let help = crate::text::take_width(&crate::text::escape_controls(&prompt), 50);
            CompletionCandidate::new(id).help(Some(help.into()))
        })
        .collect()
}

/// `show`'s targets: job IDs and image files.
#[derive(Clone, Copy, Debug, Default)]
pub struct ShowTargets;

impl ValueCompleter for ShowTargets {
    fn complete(&self, current: &OsStr) -> Vec<CompletionCandidate> {
        let mut candidates = job_ids(&current.to_string_lossy());
        candidates.extend(PathCompleter::any().complete(current));
        candidates
    }
}
