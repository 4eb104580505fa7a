//! The terminal's small services from the shell: copying through OSC 52 and a notification
//! when a command ends, written to the terminal itself (standard output when it is one, else
//! the controlling terminal), so a pipe never receives them.

use std::io::{self, IsTerminal, Write};

use crate::osc::{self, Notifier};

fn inside_tmux() -> bool {
    std::env::var_os("TMUX").is_some_and(|v| !v.is_empty())
}

/// Writes `bytes` to the terminal; an error when there is none (a cron job, a pipe with no
/// controlling terminal).
fn to_terminal(bytes: &[u8]) -> io::Result<()> {
    if io::stdout().is_terminal() {
        let mut out = io::stdout().lock();
        out.write_all(bytes)?;
        return out.flush();
    }
    let mut tty = std::fs::OpenOptions::new().write(true).open("/dev/tty")?;
    tty.write_all(bytes)?;
    tty.flush()
}

/// `text` to the clipboard. Inside tmux as it is: tmux keeps it in a buffer and, with
/// `set-clipboard on`, passes it to the terminal outside.
pub fn copy(text: &str) -> io::Result<()> {
    to_terminal(&osc::copy(text))
}

/// The terminal's notification that `title` happened; inside tmux the bell (tmux flags the
/// window), with the outer terminal's own notification passed through.
pub fn notify(title: &str, body: &str) -> io::Result<()> {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let program = osc::terminal_program(var);
    let notifier = Notifier::for_terminal(&program, &var("TERM"), !var("KITTY_WINDOW_ID").is_empty());
    let mut bytes = Vec::new();
    if inside_tmux() {
        bytes.extend(osc::notify(Notifier::Bell, title, body));
        if notifier != Notifier::Bell {
            bytes.extend(crate::preview::encode::wrap_for_tmux(&osc::notify(notifier, title, body)));
        }
    } else {
        bytes.extend(osc::notify(notifier, title, body));
    }
    to_terminal(&bytes)
}
