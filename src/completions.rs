//! Shell completion and the manual page. Completion is dynamic (clap_complete's `CompleteEnv`):
//! the script a shell loads calls imgtui back at each Tab, so model names come from the model
//! table and the provider's last list, and job IDs from the history, as they are now.

use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap_complete::engine::{CompletionCandidate, PathCompleter, ValueCompleter};
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};

use crate::cli::CompletionShell;

/// The variable the shell scripts set when they call imgtui for candidates; a name of imgtui's
/// own, so a `COMPLETE` set for something else changes nothing.
const VAR: &str = "IMGTUI_COMPLETE";
/// Job IDs offered: the newest.
const RECENT_JOBS: usize = 40;

/// Answers the shell and exits, when it is the shell asking (before anything else runs): the
/// variable names a shell and the words follow `--`, as the scripts call it. A stray variable
/// in the environment changes nothing.
pub fn answer_shell_if_asked() {
    let shell = std::env::var(VAR).ok();
    let shells = ["bash", "zsh", "fish", "elvish", "powershell"];
    let asked =
        shell.is_some_and(|s| shells.contains(&s.as_str())) && std::env::args_os().nth(1).is_some_and(|a| a == "--");
    if asked {
        clap_complete::CompleteEnv::with_factory(crate::cli::command).var(VAR).complete();
    }
}

/// `imgtui completions SHELL`: the script that registers the completion.
pub fn print_script(shell: CompletionShell) -> ExitCode {
    let completer: &dyn EnvCompleter = match shell {
        CompletionShell::Bash => &Bash,
        CompletionShell::Zsh => &Zsh,
        CompletionShell::Fish => &Fish,
        CompletionShell::Elvish => &Elvish,
        CompletionShell::Powershell => &Powershell,
    };
    let program = program_to_call();
    let mut script = Vec::new();
    if let Err(e) = completer.write_registration(VAR, "imgtui", "imgtui", &program, &mut script) {
        eprintln!("imgtui: cannot write the completion script: {e}");
        return ExitCode::FAILURE;
    }
    if shell == CompletionShell::Bash {
        // Candidates are inserted as file names are: a space or quote in one is escaped.
        let text = String::from_utf8_lossy(&script).replace("-o nosort -F", "-o nosort -o filenames -F");
        script = text.into_bytes();
    }
    crate::out::bytes(&script)
}

/// `imgtui` when the shell finds this very binary by that name, else this binary's path (a
/// build not installed yet).
fn program_to_call() -> String {
    let me = std::env::current_exe().ok().and_then(|p| p.canonicalize().ok());
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).map(|dir| dir.join("imgtui")).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .find(|candidate| candidate.is_file());
    match (me, on_path.and_then(|p| p.canonicalize().ok())) {
        (Some(me), Some(found)) if me == found => "imgtui".to_string(),
        // Written into shell code: only a path no shell reads twice (no space, quote, `$`).
        (Some(me), _) if me.to_str().is_some_and(is_plain_path) => me.display().to_string(),
        (Some(me), _) => {
            let shown = crate::text::escape_controls(&me.display().to_string());
            eprintln!(
                "imgtui: this build's path ({shown}) cannot be written into a shell script safely; the script calls `imgtui` from PATH"
            );
            "imgtui".to_string()
        }
        (None, _) => "imgtui".to_string(),
    }
}

/// Letters, digits and `/._-+` only (clap's bash script quotes anything else twice).
fn is_plain_path(path: &str) -> bool {
    path.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+".contains(c))
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_are_written_into_a_script() {
        assert!(is_plain_path("/home/me/.cargo/bin/imgtui"));
        for odd in [
            "/tmp/d i r/imgtui",
            "/tmp/$(touch PWNED)/imgtui",
            "/tmp/it's/imgtui",
            "/tmp/`x`/imgtui",
            "/tmp/x=y/imgtui",
            "/a,b/%/imgtui",
        ] {
            assert!(!is_plain_path(odd), "{odd}");
        }
    }
}
