//! `imgtui doctor` in a pretend terminal that answers as kitty, as xterm with sixel, as a
//! terminal without graphics, or not at all: the verdict lines, the test pictures, the exit code.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::fake_terminal::{FakeTerminal, Terminal, fake_tmux};

fn doctor(terminal: Terminal, home: &Path, args: &[&str], env: &[(&str, &str)], ioctl: bool) -> (u32, String) {
    let mut all = vec!["doctor"];
    all.extend_from_slice(args);
    let (code, out) = FakeTerminal::spawn(terminal, home, &all, env, ioctl).finish();
    (code, String::from_utf8_lossy(&out).into_owned())
}

/// The verdict line for `what`, without colours.
fn line<'a>(text: &'a str, what: &str) -> &'a str {
    text.lines()
        .find(|l| strip(l).get(5..).is_some_and(|rest| rest.starts_with(what)))
        .unwrap_or_else(|| panic!("no {what} line in:\n{text}"))
}

fn strip(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            chars.by_ref().find(|c| c.is_ascii_alphabetic());
        } else {
            out.push(c);
        }
    }
    out
}

fn verdict(text: &str, what: &str) -> String {
    strip(line(text, what))[..4].trim().to_string()
}

#[test]
fn kitty_answers_pick_kitty_and_the_asked_cell_size() {
    let home = tempfile::tempdir().unwrap();
    let (code, text) = doctor(Terminal::Kitty, home.path(), &["--demo"], &[], true);
    assert_eq!(code, 0, "{text}");
    assert!(strip(line(&text, "kitty query")).contains("answered OK"));
    assert!(strip(line(&text, "answers")).contains("\"kitty(0.35.2)\""));
    assert!(strip(line(&text, "protocol")).contains("kitty: the terminal answered the kitty graphics query"));
    let cell = strip(line(&text, "cell size"));
    assert!(cell.contains("10x20 px from asked (CSI 16 t)") && cell.starts_with("OK"), "{cell}");
    assert!(strip(line(&text, "background")).contains("the auto theme is dark"));
    assert_eq!(verdict(&text, "GET /models"), "OK", "the demo server answers:\n{text}");
    // The test picture both ways: kitty's sequence, then half-blocks.
    let kitty = text.find("Test picture, kitty").expect(&text);
    let blocks = text.find("Test picture, half-blocks").expect(&text);
    let image = text.find("\x1b_Ga=T,f=100,").expect("a kitty image");
    assert!(kitty < image && image < blocks && text[blocks..].contains('▄'));
}

#[test]
fn xterm_answers_pick_sixel_and_a_gap_in_cell_sizes_is_a_warning() {
    let home = tempfile::tempdir().unwrap();
    let (code, text) = doctor(Terminal::SixelXterm, home.path(), &["--demo"], &[], true);
    assert_eq!(code, 0, "a warning is no failure:\n{text}");
    assert!(strip(line(&text, "sixel")).contains("DA1 lists 4"));
    assert!(strip(line(&text, "protocol")).starts_with("OK   protocol      sixel:"));
    assert!(strip(line(&text, "background")).contains("the auto theme is light"));
    let cell = strip(line(&text, "cell size"));
    assert!(cell.starts_with("WARN") && cell.contains("the terminal says 8x17 px and the ioctl 10x20 px"), "{cell}");
    assert!(text.contains("Test picture, sixel") && text.contains("\x1bPq\""));
}

#[test]
fn without_graphics_or_pixels_it_says_half_blocks_and_a_guess() {
    let home = tempfile::tempdir().unwrap();
    let (code, text) = doctor(Terminal::Plain, home.path(), &["--demo"], &[], false);
    assert_eq!(code, 0, "{text}");
    assert!(strip(line(&text, "protocol")).contains("half-blocks: no kitty answer, no sixel in DA1"));
    let cell = strip(line(&text, "cell size"));
    assert!(cell.starts_with("WARN") && cell.contains("guessed"), "{cell}");
    assert!(text.contains("Test picture, half-blocks") && !text.contains("Test picture, kitty"));

    let (code, text) = doctor(Terminal::Silent, home.path(), &["--demo"], &[], true);
    assert_eq!(code, 0, "{text}");
    assert!(strip(line(&text, "answers")).starts_with("WARN") && text.contains("answered nothing"));
}

#[test]
fn a_broken_config_or_an_unreachable_api_fails_and_the_key_is_not_shown() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config/imgtui");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "theme = 3\n").unwrap();
    std::fs::write(
        config.join("keymap.toml"),
        "[global]\n\"ctrl-s\" = \"no_such_action\"\n\"nokey\" = \"quit\"\n\"f2\" = \"help\"\n",
    )
    .unwrap();
    let env = [("TTAPI_API_KEY", "sk-secret-doctor-key")];
    let (code, text) = doctor(Terminal::Plain, home.path(), &["--base-url", "http://127.0.0.1:9/v1"], &env, true);
    assert_eq!(code, 1, "{text}");
    assert_eq!(verdict(&text, "config"), "FAIL", "{text}");
    assert!(strip(line(&text, "config")).contains("line 1"));
    // The line is dropped alone: the rest of the keymap applies, so a warning naming it.
    assert_eq!(verdict(&text, "keymap"), "WARN");
    assert!(strip(&text).contains("\"no_such_action\" is not a command"), "{text}");
    // Each dropped line on a line of its own, not joined by a printed `\n`.
    assert!(!text.contains("\\n"), "{text}");
    let keymap_lines = text.lines().filter(|l| l.contains("keymap.toml, line")).count();
    assert_eq!(keymap_lines, 2, "{text}");
    assert_eq!(verdict(&text, "GET /models"), "FAIL");
    assert!(strip(line(&text, "provider")).contains("key set ($TTAPI_API_KEY)"));
    assert!(!text.contains("sk-secret-doctor-key"), "the key never shows");
    assert!(text.contains("something failed"));
}

#[test]
fn an_api_key_in_a_config_others_can_read_is_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config/imgtui");
    std::fs::create_dir_all(&config).unwrap();
    let file = config.join("config.toml");
    std::fs::write(&file, "api_key = \"sk-in-the-file\"\nbase_url = \"http://127.0.0.1:9/v1\"\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (_, text) = doctor(Terminal::Plain, home.path(), &[], &[], true);
    let access = strip(line(&text, "config access"));
    assert!(access.starts_with("WARN") && access.contains("chmod 600"), "{access}");
    assert!(!text.contains("sk-in-the-file"));
}

#[test]
fn piped_it_checks_all_but_the_terminal() {
    let home = tempfile::tempdir().unwrap();
    let out = common::imgtui_std()
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env_remove("TTAPI_API_KEY")
        .env_remove("OPENAI_API_KEY")
        .args(["doctor", "--demo"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("WARN terminal") && text.contains("not a terminal"), "{text}");
    assert!(!text.contains('\x1b'), "no colours or pictures in a pipe");
    assert!(text.contains("OK   data dir"), "{text}");
}

#[test]
fn every_command_warns_of_a_key_others_can_read() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config/imgtui");
    std::fs::create_dir_all(&config).unwrap();
    let file = config.join("config.toml");
    std::fs::write(&file, "api_key = \"sk-in-the-file\"\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o604)).unwrap();
    let out = common::imgtui_std()
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env_remove("TTAPI_API_KEY")
        .env_remove("OPENAI_API_KEY")
        .args(["generate", "a fox", "--dry-run", "-m", "dall-e-2"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("can be read by everyone else (mode 604)") && stderr.contains("chmod 600"), "{stderr}");
    assert!(!stderr.contains("sk-in-the-file"));
    // The commands that read the config without sending anything warn too.
    for args in [&["history"][..], &["show", "x.png"][..]] {
        let out = common::imgtui_std()
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_DATA_HOME", home.path().join("data"))
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("chmod 600"), "{args:?}: {stderr}");
    }
}

#[test]
fn inside_tmux_it_names_passthrough_and_what_tmux_hides() {
    let home = tempfile::tempdir().unwrap();
    let path = |passthrough: &str| {
        let bin = fake_tmux(&home.path().join(passthrough), passthrough);
        format!("{}:{}", bin.display(), std::env::var("PATH").unwrap())
    };
    let on = path("on");
    let env = [("TMUX", "/tmp/tmux-1/default,1,0"), ("PATH", on.as_str())];
    let (_, text) = doctor(Terminal::Plain, home.path(), &["--demo"], &env, true);
    assert!(strip(line(&text, "tmux")).starts_with("OK   tmux          tmux 3.3a, allow-passthrough on"), "{text}");
    let protocol = strip(line(&text, "protocol"));
    assert!(protocol.starts_with("WARN") && protocol.contains("--graphics sixel"), "{protocol}");
    let off = path("off");
    let env = [("TMUX", "/tmp/tmux-1/default,1,0"), ("PATH", off.as_str())];
    let (_, text) = doctor(Terminal::Kitty, home.path(), &["--demo"], &env, true);
    let tmux = strip(line(&text, "tmux"));
    assert!(tmux.starts_with("WARN") && tmux.contains("tmux set -g allow-passthrough on"), "{tmux}");
    assert!(strip(line(&text, "answers")).contains("not asked"), "{text}");
    assert!(!text.contains("\x1b_Gi=31"), "no query was sent through a closed tmux");
}

#[test]
fn a_data_dir_that_is_a_file_fails_and_nothing_is_made_by_looking() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("afile");
    std::fs::write(&file, "hi").unwrap();
    let (code, text) =
        doctor(Terminal::Plain, home.path(), &["--demo", "--data-dir", file.to_str().unwrap()], &[], true);
    assert_eq!(code, 1, "{text}");
    let data = strip(line(&text, "data dir"));
    assert!(data.starts_with("FAIL") && data.contains("is a file, not a folder"), "{data}");
    let fresh = home.path().join("not/made/yet");
    let (_, text) = doctor(Terminal::Plain, home.path(), &["--demo", "--data-dir", fresh.to_str().unwrap()], &[], true);
    assert!(strip(line(&text, "data dir")).contains("made at the first job"), "{text}");
    assert!(!fresh.exists(), "doctor only looks: no folder, no log made");
}

#[test]
fn a_history_from_a_newer_imgtui_is_a_warning_not_an_ok() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data/imgtui");
    std::fs::create_dir_all(&data).unwrap();
    let db = rusqlite::Connection::open(data.join("history.sqlite3")).unwrap();
    db.execute_batch("CREATE TABLE jobs (id INTEGER PRIMARY KEY); PRAGMA user_version = 999;").unwrap();
    drop(db);
    let out = common::imgtui_std()
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env_remove("TTAPI_API_KEY")
        .env_remove("OPENAI_API_KEY")
        .args(["doctor", "--demo"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let history = text.lines().find(|l| l.contains(" history ")).unwrap_or_default();
    assert!(history.starts_with("WARN") && history.contains("schema version 999"), "{text}");
    assert!(history.contains("can only be read"), "{history}");
}
