//! The graphics protocol in use: chosen by `--graphics`/config, or detected from the terminal's
//! answers to queries, with environment variables only as hints (over SSH they are often
//! missing). Inside tmux, sequences are wrapped for passthrough.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Graphics {
    /// Detect from the terminal's answers.
    Auto,
    Kitty,
    Iterm,
    Sixel,
    /// Unicode half blocks in 256 or true colours: works everywhere.
    Blocks,
    /// No preview, only the file's path and size.
    None,
}

impl fmt::Display for Graphics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Auto => "auto",
            Self::Kitty => "kitty",
            Self::Iterm => "iTerm2",
            Self::Sixel => "sixel",
            Self::Blocks => "half-blocks",
            Self::None => "none",
        })
    }
}

/// What start-up found out about the terminal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Detection {
    pub graphics: Graphics,
    /// Running inside tmux: sequences go through `ESC P tmux;` passthrough.
    pub tmux: bool,
    /// Something the user should know (passthrough off, a fallback taken).
    pub note: Option<String>,
    /// The terminal's background is light, when it said (for the `auto` theme).
    pub light_background: Option<bool>,
}

/// Environment hints, used when the terminal does not answer (or to pick iTerm2, which has no
/// query of its own that every version answers).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnvHints {
    pub term: Option<String>,
    pub term_program: Option<String>,
    pub lc_terminal: Option<String>,
    pub kitty_window: bool,
    pub tmux: bool,
}

impl EnvHints {
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Self {
            term: var("TERM"),
            term_program: var("TERM_PROGRAM"),
            lc_terminal: var("LC_TERMINAL"),
            kitty_window: var("KITTY_WINDOW_ID").is_some(),
            tmux: var("TMUX").is_some(),
        }
    }
}

/// What the terminal said to the queries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Answers {
    /// The kitty graphics query was answered OK.
    pub kitty: bool,
    /// Primary device attributes list 4 (sixel).
    pub sixel: bool,
    /// XTVERSION or similar named the terminal (e.g. "iTerm2 3.5", "WezTerm 2024").
    pub name: Option<String>,
    /// Any answer at all came back (a silent terminal means no graphics query got through).
    pub answered: bool,
    /// The terminal's background is light (OSC 11), when it said.
    pub light_background: Option<bool>,
    /// The background colour as the terminal wrote it (`rgb:1e1e/1e1e/2e2e`).
    pub background: Option<String>,
    /// The parameters of the DA1 answer (`62;4`).
    pub da1: Option<String>,
    /// `CSI 16 t`: one cell, width x height in pixels.
    pub cell_pixels: Option<(u16, u16)>,
    /// `CSI 14 t`: the text area, width x height in pixels.
    pub window_pixels: Option<(u16, u16)>,
}

/// Decides the protocol from the terminal's answers first, then the hints.
pub fn decide(answers: &Answers, hints: &EnvHints) -> Graphics {
    let name = answers.name.as_deref().unwrap_or_default().to_ascii_lowercase();
    let program = hints.term_program.as_deref().unwrap_or_default().to_ascii_lowercase();
    let lc = hints.lc_terminal.as_deref().unwrap_or_default().to_ascii_lowercase();
    if answers.kitty {
        Graphics::Kitty
    } else if name.contains("iterm") || program.contains("iterm") || lc.contains("iterm") {
        Graphics::Iterm
    } else if answers.sixel {
        Graphics::Sixel
    } else if hints.kitty_window || hints.term.as_deref().is_some_and(|t| t.contains("kitty")) {
        Graphics::Kitty
    } else if program.contains("wezterm") || name.contains("wezterm") {
        Graphics::Iterm
    } else {
        Graphics::Blocks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_win_over_hints() {
        let none = EnvHints::default();
        assert_eq!(decide(&Answers { kitty: true, ..Answers::default() }, &none), Graphics::Kitty);
        assert_eq!(decide(&Answers { sixel: true, ..Answers::default() }, &none), Graphics::Sixel);
        let iterm = EnvHints { lc_terminal: Some("iTerm2".into()), ..EnvHints::default() };
        assert_eq!(decide(&Answers { sixel: true, ..Answers::default() }, &iterm), Graphics::Iterm);
        assert_eq!(decide(&Answers::default(), &none), Graphics::Blocks);
    }
}
