//! The terminal's own small services, as the bytes that ask for them: the clipboard (OSC 52),
//! a notification (OSC 9, OSC 777, kitty's OSC 99, else the bell) and the window title (OSC 2,
//! kept on the title stack while imgtui runs). Pure: callers write the bytes where they go.

use base64::Engine as _;

/// The most text copied at once (a 32,000-character prompt fits whole, in any script).
pub const COPY_MAX_BYTES: usize = 128 * 1024;

/// OSC 52: `text` to the clipboard (`c`). Text past `COPY_MAX_BYTES` is cut at a character.
pub fn copy(text: &str) -> Vec<u8> {
    let mut end = text.len().min(COPY_MAX_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let data = base64::engine::general_purpose::STANDARD.encode(&text.as_bytes()[..end]);
    format!("\x1b]52;c;{data}\x07").into_bytes()
}

/// Which notification a terminal understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notifier {
    /// kitty's own (OSC 99): a title and a body.
    Kitty,
    /// OSC 9: iTerm2, WezTerm, Windows Terminal, ghostty.
    Osc9,
    /// OSC 777: rxvt-unicode, foot, Konsole, VTE terminals.
    Osc777,
    /// The bell: every terminal, and tmux flags the window that rang.
    Bell,
}

impl Notifier {
    /// From what the terminal says it is (`terminal_program`, `TERM`, kitty's answer).
    pub fn for_terminal(term_program: &str, term: &str, kitty: bool) -> Self {
        let program = term_program.to_ascii_lowercase();
        let term = term.to_ascii_lowercase();
        if kitty || term.contains("kitty") {
            Self::Kitty
        } else if ["iterm", "wezterm", "ghostty", "windows"].iter().any(|p| program.contains(p)) {
            Self::Osc9
        } else if term.starts_with("rxvt")
            || term.starts_with("foot")
            || program.contains("vte")
            || program.contains("konsole")
        {
            Self::Osc777
        } else {
            Self::Bell
        }
    }
}

/// Text a notification can carry: no control characters, no `;` (OSC 777's separator), short.
fn clean(text: &str, most: usize) -> String {
    let text: String = text.chars().map(|c| if c.is_control() || c == ';' { ' ' } else { c }).collect();
    text.chars().take(most).collect()
}

/// A notification that `title` happened (`body` says more), as `notifier` takes it.
pub fn notify(notifier: Notifier, title: &str, body: &str) -> Vec<u8> {
    let (title, body) = (clean(title, 80), clean(body, 200));
    match notifier {
        Notifier::Kitty => {
            format!("\x1b]99;i=imgtui:d=0;{title}\x1b\\\x1b]99;i=imgtui:d=1:p=body;{body}\x1b\\").into_bytes()
        }
        Notifier::Osc9 => format!("\x1b]9;{title}: {body}\x07").into_bytes(),
        Notifier::Osc777 => format!("\x1b]777;notify;{title};{body}\x07").into_bytes(),
        Notifier::Bell => b"\x07".to_vec(),
    }
}

/// OSC 2: the window (and tmux pane) title.
pub fn title(text: &str) -> Vec<u8> {
    // Only a control character ends OSC 2: a `;` stays.
    let text: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).take(120).collect();
    format!("\x1b]2;{text}\x07").into_bytes()
}

/// The title as it was, kept on the terminal's title stack (xterm, kitty, VTE): `pop_title`
/// gives it back.
pub const PUSH_TITLE: &[u8] = b"\x1b[22;0t";
pub const POP_TITLE: &[u8] = b"\x1b[23;0t";

/// The terminal's program as the environment says it: `TERM_PROGRAM` (not tmux's own), else
/// `LC_TERMINAL` (iTerm2 sends it over SSH), and "vte" when `VTE_VERSION` is set.
pub fn terminal_program(var: impl Fn(&str) -> String) -> String {
    let program = var("TERM_PROGRAM");
    let mut program = if program.is_empty() || program == "tmux" { var("LC_TERMINAL") } else { program };
    if !var("VTE_VERSION").is_empty() {
        program.push_str(" vte");
    }
    program
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_sequence_says_what_it_should_and_nothing_more() {
        assert_eq!(copy("/a/b.png"), b"\x1b]52;c;L2EvYi5wbmc=\x07");
        let long = "é".repeat(70_000);
        let copied = copy(&long);
        let data = &copied[7..copied.len() - 1];
        let back = base64::engine::general_purpose::STANDARD.decode(data).unwrap();
        assert!(std::str::from_utf8(&back).is_ok(), "cut at a character");
        assert_eq!(back.len(), COPY_MAX_BYTES);
        assert_eq!(notify(Notifier::Bell, "x", "y"), b"\x07");
        assert_eq!(
            notify(Notifier::Osc777, "job 3 done", "a fox; \x1b[31mred"),
            b"\x1b]777;notify;job 3 done;a fox   [31mred\x07"
        );
        assert_eq!(title("imgtui · 2 running\x07"), "\x1b]2;imgtui · 2 running \x07".as_bytes());
        assert_eq!(Notifier::for_terminal("iTerm.app", "xterm-256color", false), Notifier::Osc9);
        assert_eq!(Notifier::for_terminal("", "xterm-kitty", false), Notifier::Kitty);
        assert_eq!(Notifier::for_terminal("tmux", "tmux-256color", false), Notifier::Bell);
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(k, _)| *k == name).map_or(String::new(), |(_, v)| v.to_string())
        };
        assert_eq!(terminal_program(env(&[("TERM_PROGRAM", "tmux"), ("LC_TERMINAL", "iTerm2")])), "iTerm2");
        let vte = terminal_program(env(&[("VTE_VERSION", "7600")]));
        assert_eq!(Notifier::for_terminal(&vte, "xterm-256color", false), Notifier::Osc777);
        assert_eq!(title("a;b c"), b"\x1b]2;a;b c\x07");
    }
}
