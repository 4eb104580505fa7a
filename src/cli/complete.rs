//! Shell completion's script and its answers. Completion is dynamic (clap_complete's
//! `CompleteEnv`): the script a shell loads calls imgtui back at each Tab, and the candidates
//! come from `crate::completions` as they are now.

use std::process::ExitCode;

use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};

use super::CompletionShell;

/// The variable the shell scripts set when they call imgtui for candidates; a name of imgtui's
/// own, so a `COMPLETE` set for something else changes nothing.
const VAR: &str = "IMGTUI_COMPLETE";

/// Answers the shell and exits, when it is the shell asking (before anything else runs): the
/// variable names a shell and the words follow `--`, as the scripts call it. A stray variable
/// in the environment changes nothing.
pub fn answer_shell_if_asked() {
    let shell = std::env::var(VAR).ok();
    let shells = ["bash", "zsh", "fish", "elvish", "powershell"];
    let asked =
        shell.is_some_and(|s| shells.contains(&s.as_str())) && std::env::args_os().nth(1).is_some_and(|a| a == "--");
    if asked {
        clap_complete::CompleteEnv::with_factory(super::command).var(VAR).complete();
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
