//! What start-up learns about the terminal, shared by the app, `show` and `doctor`: the
//! answers to the queries, the environment's hints, tmux and its passthrough, the protocol
//! chosen and why, and the cell size in pixels.

use std::time::Duration;

use super::cell::{CellChoice, CellSize, ioctl_cell};
use super::graphics::{Answers, Detection, EnvHints, Graphics, decide};
use super::query;

/// How long the app waits for a terminal that does not answer the queries.
pub const APP_WAIT: Duration = Duration::from_millis(400);
/// How long `show` and `doctor` wait: an answer that comes later (a slow SSH hop) would be
/// echoed at the shell's prompt, and a command can spare the time a start-up cannot.
pub const COMMAND_WAIT: Duration = Duration::from_secs(1);

/// tmux, when the program runs inside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TmuxInfo {
    /// `tmux -V` ("tmux 3.3a"), when it ran.
    pub version: Option<String>,
    /// `allow-passthrough` ("on", "all", "off"), when tmux said.
    pub passthrough: Option<String>,
}

impl TmuxInfo {
    pub fn passes_through(&self) -> bool {
        matches!(self.passthrough.as_deref(), Some("on" | "all"))
    }
}

/// Everything the start-up found out.
#[derive(Clone, Debug)]
pub struct Probe {
    /// Whether the queries were sent (not inside tmux without passthrough).
    pub asked: bool,
    pub answers: Answers,
    pub tmux: Option<TmuxInfo>,
    pub detection: Detection,
    /// Why this protocol: the answer or hint that decided it.
    pub reason: String,
    pub cell: CellChoice,
}

/// Asks the terminal (raw mode for the answers, restored after) and decides. `choice` other
/// than `auto` is used as given, except that inside tmux without passthrough pixels cannot get
/// through, so half-blocks are used and the note says how to turn passthrough on.
pub fn probe(choice: Graphics, wait: Duration) -> Probe {
    let hints = EnvHints::from_env();
    let tmux = hints.tmux.then(|| TmuxInfo { version: tmux_output(&["-V"]), passthrough: tmux_passthrough() });
    let passthrough = tmux.as_ref().is_none_or(TmuxInfo::passes_through);
    // Inside tmux without passthrough the queries cannot reach the terminal, and tmux would
    // take the kitty query's text for a pane title: only the environment's hints are used.
    // The answers come on standard input: from anything else they would be left in the
    // terminal's input, typed into the shell after imgtui ends.
    let asked = passthrough && std::io::IsTerminal::is_terminal(&std::io::stdin());
    let answers = if asked {
        // A signal in the raw window puts the terminal back before the process ends.
        let guard = crate::signals::TtyGuard::new();
        let asked = crossterm::terminal::enable_raw_mode().and_then(|()| query::ask_terminal(wait, tmux.is_some()));
        let _ = crossterm::terminal::disable_raw_mode();
        drop(guard);
        if asked.as_ref().is_err_and(|e| e.kind() == std::io::ErrorKind::Interrupted) {
            // Ctrl-C while the terminal was asked: stop, as Ctrl-C does (128 + SIGINT).
            std::process::exit(130);
        }
        asked.unwrap_or_default()
    } else {
        Answers::default()
    };
    let cells = crossterm::terminal::size().ok();
    let cell = CellChoice::reconcile(
        answers.cell_pixels.map(|(width, height)| CellSize { width, height }),
        answers.window_pixels.zip(cells).and_then(|(px, cells)| CellSize::of_area(px, cells)),
        ioctl_cell(),
    );
    let (graphics, reason) = if choice == Graphics::Auto {
        let graphics = decide(&answers, &hints);
        let reason = match (asked, passthrough) {
            (true, _) => reason_for(graphics, &answers, &hints),
            (false, false) => {
                "the terminal was not asked (tmux without allow-passthrough): from the environment".into()
            }
            (false, true) => "the terminal was not asked (standard input is no terminal): from the environment".into(),
        };
        (graphics, reason)
    } else {
        (choice, "chosen with --graphics or `graphics` in the config".to_string())
    };
    let light_background = answers.light_background;
    let in_tmux = tmux.is_some();
    let needs_passthrough = matches!(graphics, Graphics::Kitty | Graphics::Iterm | Graphics::Sixel);
    let detection = if in_tmux && needs_passthrough && !passthrough {
        Detection {
            graphics: Graphics::Blocks,
            tmux: in_tmux,
            note: Some(format!(
                "tmux allow-passthrough is off, so previews use half-blocks instead of {graphics}; \
                 `tmux set -g allow-passthrough on` gives real pixels"
            )),
            light_background,
        }
    } else {
        Detection { graphics, tmux: in_tmux, note: None, light_background }
    };
    Probe { asked, answers, tmux, detection, reason, cell }
}

/// What is known without asking the terminal (the protocol is given, or TERM is dumb): the
/// environment, tmux, and the cell size from the window-size ioctl.
pub fn without_asking(graphics: Graphics) -> Probe {
    let hints = EnvHints::from_env();
    let tmux = hints.tmux.then(|| TmuxInfo { version: None, passthrough: tmux_passthrough() });
    let detection = Detection { graphics, tmux: tmux.is_some(), note: None, light_background: None };
    let cell = CellChoice::reconcile(None, None, ioctl_cell());
    let reason = "chosen, so the terminal was not asked".to_string();
    Probe { asked: false, answers: Answers::default(), tmux, detection, reason, cell }
}

/// The answer or hint `decide` went by, in words.
fn reason_for(graphics: Graphics, answers: &Answers, hints: &EnvHints) -> String {
    let named = answers.name.as_deref().map(|n| format!(" (XTVERSION: {})", crate::text::escape_controls(n)));
    match graphics {
        Graphics::Kitty if answers.kitty => "the terminal answered the kitty graphics query".into(),
        Graphics::Kitty => "no answer to the kitty query, but KITTY_WINDOW_ID or TERM names kitty".into(),
        Graphics::Iterm if hints.term_program.as_deref().is_some_and(|p| p.to_lowercase().contains("wezterm")) => {
            "TERM_PROGRAM names WezTerm, which shows iTerm2 images".into()
        }
        Graphics::Iterm => {
            format!("the terminal or TERM_PROGRAM/LC_TERMINAL names iTerm2{}", named.unwrap_or_default())
        }
        Graphics::Sixel => "the device attributes (DA1) list 4: sixel".into(),
        _ if !answers.answered => "the terminal did not answer; half-blocks work everywhere".into(),
        _ => "no kitty answer, no sixel in DA1, no iTerm2 name: half-blocks work everywhere".into(),
    }
}

/// Where this tmux pane's top-left cell is on the terminal tmux draws into (rows, columns from
/// 0): a kitty or iTerm2 image passed through tmux is placed by the outer terminal's cursor, so
/// the move to it is sent through too, in the outer terminal's coordinates. A status line at
/// the top pushes the panes down.
pub fn tmux_pane_origin() -> Option<(u16, u16)> {
    let pane = std::env::var("TMUX_PANE").ok();
    let mut args = vec!["display-message", "-p"];
    if let Some(pane) = pane.as_deref() {
        args.extend(["-t", pane]);
    }
    args.push("#{pane_top} #{pane_left} #{status} #{status-position}");
    parse_pane_origin(&tmux_output(&args)?)
}

/// What imgtui asks tmux of its pane at start, in one question: the title to give back on
/// leaving, and whether a program's copy (OSC 52) reaches tmux's buffer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TmuxPane {
    pub title: String,
    /// `set-clipboard`: on, external (tmux's default) or off.
    pub set_clipboard: String,
    /// The outer terminal as tmux knows it from its XTVERSION answer (`kitty(0.35.2)`); empty
    /// when it did not say (tmux before 3.3, or no answer).
    pub client_termtype: String,
}

pub fn tmux_pane() -> Option<TmuxPane> {
    let pane = std::env::var("TMUX_PANE").ok();
    let mut args = vec!["display-message", "-p"];
    if let Some(pane) = pane.as_deref() {
        args.extend(["-t", pane]);
    }
    args.push("#{set-clipboard}\t#{host}\t#{client_termtype}\t#{pane_title}");
    let answer = tmux_output(&args)?;
    let mut parts = answer.trim_end_matches('\n').splitn(4, '\t');
    let (set_clipboard, host, termtype, title) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    // An imgtui killed before it could give the title back left its own: tmux's default then.
    let title = if title.starts_with("imgtui") { host } else { title };
    Some(TmuxPane {
        title: title.to_string(),
        set_clipboard: set_clipboard.to_string(),
        client_termtype: termtype.to_string(),
    })
}

/// Why a copy through OSC 52 may not reach the clipboard here, when it is known: tmux with
/// `set-clipboard` not `on` ignores it (`external` is its default); xterm takes it only when
/// allowed.
pub fn clipboard_caveat(tmux: Option<&TmuxPane>, terminal_name: Option<&str>) -> Option<String> {
    if let Some(pane) = tmux.filter(|p| p.set_clipboard.trim() != "on") {
        let setting = pane.set_clipboard.trim();
        return Some(format!("not copied: tmux's set-clipboard is {setting} (tmux set -g set-clipboard on)"));
    }
    if terminal_name.is_some_and(|n| n.to_ascii_lowercase().starts_with("xterm(")) {
        return Some("maybe not copied: xterm takes OSC 52 only with allowWindowOps".into());
    }
    None
}

/// `"3 40 on top"` → (4, 40); `status` is off, on or a number of lines.
fn parse_pane_origin(answer: &str) -> Option<(u16, u16)> {
    let mut parts = answer.split_whitespace();
    let top: u16 = parts.next()?.parse().ok()?;
    let left: u16 = parts.next()?.parse().ok()?;
    let status_lines = match parts.next() {
        Some("off") | None => 0,
        Some("on") => 1,
        Some(n) => n.parse().unwrap_or(0),
    };
    let above = if parts.next() == Some("top") { status_lines } else { 0 };
    Some((top + above, left))
}

fn tmux_passthrough() -> Option<String> {
    tmux_output(&["show", "-gv", "allow-passthrough"])
}

/// `tmux ARGS`'s answer, given a second: a tmux server that hangs must not hang imgtui.
pub(crate) fn tmux_output(args: &[&str]) -> Option<String> {
    use std::io::Read;
    let mut child = std::process::Command::new("tmux")
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let deadline = std::time::Instant::now() + Duration::from_secs(1);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if std::time::Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    };
    let mut text = String::new();
    child.stdout.take()?.take(4096).read_to_string(&mut text).ok()?;
    let text = text.trim().to_string();
    (status.success() && !text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panes_origin_counts_a_status_line_at_the_top() {
        assert_eq!(parse_pane_origin("3 40 on bottom"), Some((3, 40)));
        assert_eq!(parse_pane_origin("3 40 on top"), Some((4, 40)));
        assert_eq!(parse_pane_origin("0 0 2 top"), Some((2, 0)));
        assert_eq!(parse_pane_origin("0 0 off top"), Some((0, 0)));
        assert_eq!(parse_pane_origin("no answer"), None);
    }
}
