//! The shell side: completion scripts that load and complete model names and job IDs, the
//! manual page, and `imgtui config path|show|init`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn imgtui(home: &Path, args: &[&str]) -> Output {
    common::imgtui_std()
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env_remove("TTAPI_API_KEY")
        .env_remove("OPENAI_API_KEY")
        .args(args)
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn every_shell_gets_a_script_and_bash_loads_it() {
    let home = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = imgtui(home.path(), &["completions", shell]);
        assert!(out.status.success() && stdout(&out).contains("IMGTUI_COMPLETE"), "{shell}: {}", stdout(&out));
    }
    let script = home.path().join("imgtui.bash");
    std::fs::write(&script, imgtui(home.path(), &["completions", "bash"]).stdout).unwrap();
    let checked = Command::new("bash").arg("-n").arg(&script).output().unwrap();
    assert!(checked.status.success(), "bash -n: {}", String::from_utf8_lossy(&checked.stderr));
    let refused = imgtui(home.path(), &["completions", "tcsh"]);
    assert_eq!(refused.status.code(), Some(2));
    // bash inserts candidates as file names: a space in one is escaped.
    assert!(std::fs::read_to_string(&script).unwrap().contains("-o filenames -F _clap_complete_imgtui"));
}

#[test]
fn a_stray_completion_variable_changes_nothing() {
    let home = tempfile::tempdir().unwrap();
    for junk in ["junk", "bash"] {
        let out = common::imgtui_std()
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("IMGTUI_COMPLETE", junk)
            .args(["config", "path"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{junk}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(stdout(&out).trim_end().ends_with("config.toml"), "{junk}: the command ran: {}", stdout(&out));
    }
}

/// Runs bash's completion function for the words, the last one being completed.
fn complete_in_bash(home: &Path, words: &[&str]) -> Vec<String> {
    let script = String::from_utf8(imgtui(home, &["completions", "bash"]).stdout).unwrap();
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let last = words.len() - 1;
    let program = format!(
        "{script}\nCOMP_WORDS=({}); COMP_CWORD={last}; COMP_TYPE=9\n_clap_complete_imgtui imgtui '{}' '{}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        quoted.join(" "),
        words[last],
        words[last - 1],
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(program)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    stdout(&out).lines().map(str::to_string).collect()
}

#[test]
fn bash_completes_model_names_and_job_ids() {
    let home = tempfile::tempdir().unwrap();
    let models = complete_in_bash(home.path(), &["imgtui", "generate", "--model", "dall-e-"]);
    assert!(models.contains(&"dall-e-2".to_string()) && models.contains(&"dall-e-3".to_string()), "{models:?}");
    assert!(models.iter().all(|m| m.starts_with("dall-e-")), "{models:?}");
    for prompt in ["a fox", "a boat"] {
        let made = imgtui(
            home.path(),
            &["--demo", "--demo-latency-ms", "0", "generate", prompt, "-m", "dall-e-2", "-s", "256x256"],
        );
        assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    }
    let ids = complete_in_bash(home.path(), &["imgtui", "history", "show", ""]);
    assert!(ids.contains(&"1".to_string()) && ids.contains(&"2".to_string()), "{ids:?}");
    let ids = complete_in_bash(home.path(), &["imgtui", "show", "2"]);
    assert!(ids.contains(&"2".to_string()) && !ids.contains(&"1".to_string()), "{ids:?}");
    let subcommands = complete_in_bash(home.path(), &["imgtui", "do"]);
    assert_eq!(subcommands, ["doctor"]);
}

#[test]
fn the_manual_page_renders_and_pages_are_written_per_command() {
    let home = tempfile::tempdir().unwrap();
    let out = imgtui(home.path(), &["man"]);
    let page = stdout(&out);
    assert!(out.status.success() && page.contains(".TH imgtui 1"), "{page}");
    assert!(page.contains("generate") && page.contains("doctor"));
    let dir = home.path().join("man1");
    std::fs::create_dir_all(&dir).unwrap();
    let out = imgtui(home.path(), &["man", "--dir", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for page in ["imgtui.1", "imgtui-show.1", "imgtui-history-show.1"] {
        assert!(dir.join(page).is_file(), "{page} written");
    }
    // A folder not there yet is made; a page that is a symlink is replaced, not written through.
    let fresh = home.path().join("share/man/man1");
    let victim = home.path().join("victim.txt");
    std::fs::create_dir_all(&fresh).unwrap();
    std::os::unix::fs::symlink(&victim, fresh.join("imgtui.1")).unwrap();
    let out = imgtui(home.path(), &["man", "--dir", fresh.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!victim.exists(), "nothing written through the symlink");
    assert!(!fresh.join("imgtui.1").is_symlink() && fresh.join("imgtui.1").is_file());
    let deeper = home.path().join("not/yet/man1");
    assert!(imgtui(home.path(), &["man", "--dir", deeper.to_str().unwrap()]).status.success());
    assert!(deeper.join("imgtui-doctor.1").is_file());
    let generate = std::fs::read_to_string(deeper.join("imgtui-generate.1")).unwrap();
    assert!(generate.contains(".SH EXAMPLES") && generate.contains("GLOBAL OPTIONS"), "{generate}");
}

#[test]
fn the_manual_has_the_apps_keys_files_environment_and_examples() {
    let home = tempfile::tempdir().unwrap();
    let page = stdout(&imgtui(home.path(), &["man"]));
    for section in [".SH KEYS", ".SH FILES", ".SH ENVIRONMENT", ".SH EXAMPLES", ".SH \"GLOBAL OPTIONS\""] {
        assert!(page.contains(section), "{section} in the page:\n{page}");
    }
    // Generated from the keymap: every screen, each binding with its command's name.
    let keymap = imgtui::tui::keymap::Keymap::builtin();
    for screen in imgtui::tui::screen_keys::screens(&keymap) {
        assert!(page.contains(&format!("[{}]", screen.context.name())), "{}", screen.context.name());
        for (_, _, command) in &screen.rows {
            assert!(page.contains(&command.replace('-', "\\-")), "{command}");
        }
    }
    assert!(page.contains("OPENAI_API_KEY") && page.contains("history.sqlite3"));
}

/// The words of a shell line, quotes taken off, up to a pipe, redirection, `&&` or comment.
fn shell_words(line: &str) -> Vec<String> {
    let (mut words, mut word, mut quote, mut started) = (Vec::new(), String::new(), None, false);
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => (quote, started) = (Some(c), true),
            (None, ' ') => {
                if started {
                    words.push(std::mem::take(&mut word));
                }
                started = false;
            }
            (None, c) => (word, started) = (word + &c.to_string(), true),
        }
    }
    if started {
        words.push(word);
    }
    words.into_iter().take_while(|w| !["|", ">", "&&", "#"].contains(&w.as_str())).collect()
}

#[test]
fn every_command_has_examples_that_parse_and_the_global_flags_under_their_own_heading() {
    fn walk(command: &clap::Command, seen: &mut usize) {
        for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
            let examples = sub.get_after_help().map(|t| t.to_string()).unwrap_or_default();
            assert!(examples.starts_with("Examples:"), "{} has examples", sub.get_name());
            for line in examples.lines().skip(1) {
                // Each command of the line (`a && b`, `a | b`) that is imgtui's.
                let line = line.split(" #").next().unwrap_or_default();
                for part in line.split("&&").flat_map(|p| p.split(" | ")) {
                    let words = shell_words(part.trim());
                    let Some(at) = words.iter().position(|w| w == "imgtui") else { continue };
                    let parsed = imgtui::cli::command().try_get_matches_from(&words[at..]);
                    assert!(parsed.is_ok(), "{line}: {}", parsed.unwrap_err());
                    *seen += 1;
                }
            }
            walk(sub, seen);
        }
    }
    let mut seen = 0;
    let mut command = imgtui::cli::command();
    command.build();
    walk(&command, &mut seen);
    assert!(seen > 30, "{seen} examples parsed");
    let home = tempfile::tempdir().unwrap();
    let help = stdout(&imgtui(home.path(), &["generate", "--help"]));
    let (own, global) = help.split_once("Global options:").unwrap();
    assert!(own.contains("--quality") && !own.contains("--base-url"), "{own}");
    assert!(global.contains("--base-url") && global.contains("Examples:"), "{global}");
    // A local command shows only the global flags it can use, and still takes the others.
    let help = stdout(&imgtui(home.path(), &["mask", "--help"]));
    assert!(!help.contains("--provider") && !help.contains("--base-url") && help.contains("--rect"), "{help}");
    let help = stdout(&imgtui(home.path(), &["show", "--help"]));
    assert!(help.contains("--data-dir") && !help.contains("--retries"), "{help}");
    let out = imgtui(home.path(), &["mask", "--provider", "openai", "--help"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let help = stdout(&imgtui(home.path(), &["config", "path", "--help"]));
    assert!(help.contains("--config") && !help.contains("--provider") && !help.contains("--base-url"), "{help}");
    let help = stdout(&imgtui(home.path(), &["config", "show", "--help"]));
    assert!(help.contains("--provider") && !help.contains("--retries"), "{help}");
}

#[test]
fn config_init_writes_the_commented_defaults_once_and_show_hides_the_key() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let path = stdout(&imgtui(home.path(), &["config", "path"])).trim().to_string();
    assert_eq!(Path::new(&path), home.path().join("config/imgtui/config.toml"));
    let out = imgtui(home.path(), &["config", "init"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.contains("# default_model") && written.lines().all(|l| l.is_empty() || l.starts_with('#')));
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600, "owner only");
    // Never replaced.
    std::fs::write(
        &path,
        "api_key = \"sk-keep-me-secret\"\ntheme = \"light\"\nbase_url = \"http://gw:hunter2@127.0.0.1:9/v1\"\n",
    )
    .unwrap();
    let again = imgtui(home.path(), &["config", "init"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists and is left as it is"));
    assert!(std::fs::read_to_string(&path).unwrap().contains("sk-keep-me-secret"), "not replaced");
    let shown = imgtui(home.path(), &["config", "show"]);
    let text = stdout(&shown);
    assert!(
        shown.status.success() && text.contains("theme = \"light\"") && text.contains("(set; not shown)"),
        "{text}"
    );
    assert!(
        !text.contains("sk-keep-me-secret") && !String::from_utf8_lossy(&shown.stderr).contains("sk-keep-me-secret")
    );
    assert!(text.contains("key from api_key in"), "{text}");
    // A broken file is named with its line, exit 2.
    std::fs::write(&path, "theme = \n").unwrap();
    let broken = imgtui(home.path(), &["config", "show"]);
    assert_eq!(broken.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&broken.stderr).contains("line 1"));
}

#[test]
fn config_show_hides_a_key_in_the_urls_query_and_wherever_else_it_was_pasted() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("config/imgtui");
    std::fs::create_dir_all(&dir).unwrap();
    let key = "sk-proj-PASTED0123456789";
    let text = format!(
        "api_key = \"{key}\"\ndefault_model = \"{key}\"\nbase_url = \"https://gw.example/v1?api-key=gwQUERYsecret99\"\n"
    );
    std::fs::write(dir.join("config.toml"), text).unwrap();
    let shown = imgtui(home.path(), &["config", "show"]);
    let everything = format!("{}{}", stdout(&shown), String::from_utf8_lossy(&shown.stderr));
    for secret in [&key[8..], "gwQUERYsecret99"] {
        assert!(!everything.contains(secret), "{secret} shown:\n{everything}");
    }
    assert!(everything.contains("https://gw.example/v1?****"), "{everything}");
}

/// A key quoted by an error (pasted into a field that refuses it, or as a model's name), or
/// in a path doctor shows, is never printed: not by config show, doctor or a command.
#[test]
fn a_key_quoted_by_a_config_error_or_a_path_is_not_shown() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("config/imgtui");
    std::fs::create_dir_all(&dir).unwrap();
    let key = "sk-test-SECRET1234567890abcdefXYZ";
    let files = [
        format!("api_key = \"{key}\"\nmax_retries = \"{key}\"\n"),
        format!("api_key = \"{key}\"\n[models.\"{key}\"]\nn_max = 2\n"),
        format!("api_key = \"{key}\"\nout_dir = \"/tmp/o-{key}\"\n"),
        format!("api_key = \"{key}\"\ndefault_model = \"{key}\"\n"),
    ];
    for text in files {
        std::fs::write(dir.join("config.toml"), &text).unwrap();
        let commands =
            [&["config", "show"][..], &["doctor"][..], &["generate", "x", "--dry-run"][..], &["models", "--json"][..]];
        for args in commands {
            let out = imgtui(home.path(), args);
            let everything = format!("{}{}", stdout(&out), String::from_utf8_lossy(&out.stderr));
            assert!(!everything.contains(&key[8..20]), "{args:?} with\n{text}showed the key:\n{everything}");
        }
    }
}

#[test]
fn config_init_where_no_folder_can_be_made_says_so() {
    let home = tempfile::tempdir().unwrap();
    // A file where the config's folder should be: no folder can be made there, even by root.
    let blocker = home.path().join("not-a-dir");
    std::fs::write(&blocker, "").unwrap();
    let file = blocker.join("config.toml");
    let out = imgtui(home.path(), &["--config", file.to_str().unwrap(), "config", "init"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot make"), "{}", String::from_utf8_lossy(&out.stderr));
}
