//! `imgtui man`: the manual page. clap_mangen writes what the command line knows (synopsis,
//! options under their headings, subcommands); imgtui adds what only it knows: the app's KEYS
//! from the keymap in effect, the FILES it reads and writes, the ENVIRONMENT it reads, and
//! EXAMPLES (each command's, from its `--help`).

use std::path::Path;
use std::process::ExitCode;

use roff::{Roff, bold, italic, roman};

use crate::tui::keymap::Keymap;
use crate::tui::screen_keys;

/// `imgtui man [--dir DIR]`: the page on stdout, or one page per command written into DIR.
pub fn print_man(dir: Option<&Path>) -> ExitCode {
    let mut command = crate::cli::command().disable_help_subcommand(true);
    command.build();
    match dir {
        Some(dir) => match write_pages(command, dir) {
            Ok(count) => {
                let shown = crate::text::escape_controls(&dir.display().to_string());
                crate::outln!("wrote {count} manual pages into {shown}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("imgtui: {}", crate::text::escape_controls(&e));
                ExitCode::FAILURE
            }
        },
        None => crate::out::bytes(&main_page(command)),
    }
}

/// The page of `imgtui` itself, with the app's sections.
pub fn main_page(command: clap::Command) -> Vec<u8> {
    let mut extra = Roff::new();
    keys(&mut extra, &Keymap::builtin());
    files(&mut extra);
    environment(&mut extra);
    page(command, &extra)
}

/// A command's page: clap_mangen's sections, then `extra`, then the command's examples and the
/// version.
fn page(command: clap::Command, extra: &Roff) -> Vec<u8> {
    let examples = command.get_after_help().map(|text| text.to_string());
    let has_version = command.get_version().is_some();
    let has_subcommands = command.get_subcommands().any(|s| !s.is_hide_set());
    let man = clap_mangen::Man::new(command);
    let mut out = Vec::new();
    // Rendering into memory cannot fail.
    let _ = man.render_title(&mut out);
    let _ = man.render_name_section(&mut out);
    let _ = man.render_synopsis_section(&mut out);
    let _ = man.render_description_section(&mut out);
    let _ = man.render_options_section(&mut out);
    if has_subcommands {
        let _ = man.render_subcommands_section(&mut out);
    }
    let mut own = Roff::new();
    if let Some(examples) = examples {
        example_section(&mut own, &examples);
    }
    out.extend_from_slice(extra.to_roff().as_bytes());
    out.extend_from_slice(own.to_roff().as_bytes());
    if has_version {
        let _ = man.render_version_section(&mut out);
    }
    out
}

fn write_pages(command: clap::Command, dir: &Path) -> Result<usize, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
    let mut pages = Vec::new();
    collect_pages(command, true, &mut pages);
    for (name, page) in &pages {
        let path = dir.join(name);
        crate::files::replace_file_atomically(&path, page)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(pages.len())
}

/// One page per command (`imgtui-history-show.1`); the top one has the app's sections. Each
/// page replaces the one of the same name by a rename, which takes a symlink's place rather
/// than writing through it.
fn collect_pages(command: clap::Command, top: bool, pages: &mut Vec<(String, Vec<u8>)>) {
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()).cloned() {
        collect_pages(sub, false, pages);
    }
    // A built command's display name is its path: `imgtui-history-show`.
    let file = format!("{}.1", command.get_display_name().unwrap_or(command.get_name()));
    let page = if top { main_page(command) } else { page(command, &Roff::new()) };
    pages.push((file, page));
}

/// KEYS: every screen's bindings, from the keymap.
fn keys(roff: &mut Roff, keymap: &Keymap) {
    roff.control("SH", ["KEYS"]);
    roff.text([roman(
        "The app's keys, screen by screen, with the command a keymap file names (imgtui keys prints them as \
         one; ~/.config/imgtui/keymap.toml changes them). The mouse: a click focuses a pane and selects the \
         row or tile under it, a double click is Enter there, the wheel moves the list under the pointer and \
         zooms the viewer.",
    )]);
    for screen in screen_keys::screens(keymap) {
        let title = format!("{} [{}]", screen.context.title(), screen.context.name());
        roff.control("SS", [title.as_str()]);
        for (keys, does, command) in screen.rows {
            roff.control("TP", []);
            // The tag line: the keys, then the command a keymap file names.
            roff.text([bold(keys.join(", ")), roman("    "), italic(command)]);
            roff.text([roman(does)]);
        }
    }
}

/// FILES: what imgtui reads and writes, and where.
fn files(roff: &mut Roff) {
    roff.control("SH", ["FILES"]);
    let entries = [
        ("~/.config/imgtui/config.toml", "The config file (--config; imgtui config init writes a commented one)."),
        ("~/.config/imgtui/keymap.toml", "Keys, merged over the built-in keymap (imgtui keys prints it)."),
        ("~/.config/imgtui/themes/NAME.toml", "Colour themes (--theme NAME)."),
        ("~/.local/share/imgtui/history.sqlite3", "Every job: its request, outcome, usage, cost and files."),
        ("~/.local/share/imgtui/images/", "The images (--out, out_dir in the config, or --data-dir)."),
        ("~/.local/share/imgtui/masks/", "Masks painted in the app."),
        ("~/.local/state/imgtui/imgtui.log", "The log (IMGTUI_LOG=debug for more); never the key."),
        ("~/.local/state/imgtui/drafts/", "The unsent prompt and form of each running imgtui."),
        ("~/.cache/imgtui/thumbnails/", "Gallery thumbnails: a cache, safe to delete."),
    ];
    for (path, what) in entries {
        roff.control("TP", []);
        roff.text([bold(path)]);
        roff.text([roman(what)]);
    }
}

/// ENVIRONMENT: the variables imgtui reads.
fn environment(roff: &mut Roff) {
    roff.control("SH", ["ENVIRONMENT"]);
    let entries = [
        ("TTAPI_API_KEY", "The TTAPI key (sent as TT-API-KEY). Wins over OPENAI_API_KEY unless --provider openai."),
        ("OPENAI_API_KEY", "The OpenAI key (sent as a Bearer token). With no key, the app runs on the demo server."),
        ("IMGTUI_LOG", "The log's level: error, warn, info (the default), debug, trace."),
        ("IMGTUI_TODAY", "YYYY-MM-DD: the day models' lifecycles are judged by (for tests and dry runs)."),
        ("XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_STATE_HOME, XDG_CACHE_HOME", "Where the files above go."),
        ("TERM, COLORTERM, TERM_PROGRAM", "What the terminal can show (see imgtui doctor)."),
        ("NO_COLOR", "No colours in imgtui doctor's report."),
    ];
    for (name, what) in entries {
        roff.control("TP", []);
        roff.text([bold(name)]);
        roff.text([roman(what)]);
    }
}

/// EXAMPLES: a command's `Examples:` lines, each a line of its own.
fn example_section(roff: &mut Roff, text: &str) {
    let lines: Vec<&str> = text.lines().filter(|l| l.trim() != "Examples:" && !l.trim().is_empty()).collect();
    if lines.is_empty() {
        return;
    }
    roff.control("SH", ["EXAMPLES"]);
    for line in lines {
        roff.control("TP", []);
        let (command, comment) = match line.split_once("  #") {
            Some((command, comment)) => (command.trim(), comment.trim()),
            None => (line.trim(), ""),
        };
        roff.text([bold(command)]);
        roff.text([roman(comment)]);
    }
}
