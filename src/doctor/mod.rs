//! `imgtui doctor`: why previews do or do not show in this terminal, and whether the config,
//! the provider and the data folder work. One line per check, OK/WARN/FAIL; exit 1 on a FAIL.

mod setup;
mod terminal;

use std::fmt;
use std::io::IsTerminal;
use std::process::ExitCode;

use crate::cli::GlobalArgs;
use crate::text::escape_controls;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    Ok,
    Warn,
    Fail,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Ok => "OK  ",
            Self::Warn => "WARN",
            Self::Fail => "FAIL",
        })
    }
}

/// One finding: its verdict, what was checked, and what was found (with the fix, if any).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub verdict: Verdict,
    pub what: &'static str,
    pub detail: String,
}

impl Check {
    pub fn new(verdict: Verdict, what: &'static str, detail: impl Into<String>) -> Self {
        Self { verdict, what, detail: detail.into() }
    }
}

/// Prints checks as they are made, in colour on a terminal (not under NO_COLOR).
struct Printer {
    colour: bool,
    worst: Verdict,
}

impl Printer {
    fn heading(&self, title: &str) {
        crate::outln!("\n{title}");
    }

    fn print(&mut self, check: &Check) {
        self.worst = self.worst.max(check.verdict);
        let verdict = check.verdict.to_string();
        let verdict = match (self.colour, check.verdict) {
            (false, _) => verdict,
            (true, Verdict::Ok) => format!("\x1b[32m{verdict}\x1b[39m"),
            (true, Verdict::Warn) => format!("\x1b[33m{verdict}\x1b[39m"),
            (true, Verdict::Fail) => format!("\x1b[31m{verdict}\x1b[39m"),
        };
        // Details quote what the terminal, files and servers said: escaped, line by line (a
        // detail of several lines goes on under its first, indented).
        let mut lines = check.detail.split('\n');
        crate::outln!("{verdict} {:<13} {}", check.what, escape_controls(lines.next().unwrap_or_default()));
        for line in lines {
            crate::outln!("{:<18} {}", "", escape_controls(line));
        }
    }

    fn print_all(&mut self, checks: &[Check]) {
        checks.iter().for_each(|c| self.print(c));
    }
}

pub async fn run(global: &GlobalArgs) -> ExitCode {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let mut printer = Printer { colour: std::io::stdout().is_terminal() && !no_color, worst: Verdict::Ok };
    crate::outln!("imgtui {} doctor", env!("CARGO_PKG_VERSION"));
    let setup = setup::Setup::load(global);
    printer.heading("Terminal");
    let choice = global.graphics.or(setup.config.graphics).unwrap_or(crate::preview::Graphics::Auto);
    let probe = terminal::probe(choice);
    printer.print_all(&terminal::checks(probe.as_ref()));
    if let Some(probe) = &probe {
        terminal::test_pictures(probe);
    }
    printer.heading("Files");
    printer.print_all(&setup.file_checks(global, probe.as_ref()));
    printer.heading("Provider");
    printer.print_all(&setup.provider_checks().await);
    printer.heading("Data");
    printer.print_all(&setup.data_checks());
    let summary = match printer.worst {
        Verdict::Ok => "everything checked is fine".to_string(),
        Verdict::Warn => "works, with warnings above".to_string(),
        Verdict::Fail => "something failed: see the FAIL lines".to_string(),
    };
    crate::outln!("\n{summary}");
    if printer.worst == Verdict::Fail { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}
