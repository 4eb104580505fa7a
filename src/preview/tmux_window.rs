//! Following the app's tmux window. Kitty keeps an image on screen until it is deleted, over
//! whatever tmux shows next, and tmux (3.3) passes nothing through from a pane that is not
//! shown. So while kitty images are up inside tmux, the app looks now and then whether its
//! window is the one shown; when it is not, the deletes go straight to the terminals showing
//! its session (their ttys), and the images come back when the window does.

use std::io::Write;
use std::path::PathBuf;

use super::detect::tmux_output;

/// Whether the app's window is shown, and when it is not, the ttys of the terminals attached
/// to its session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TmuxWindow {
    pub shown: bool,
    pub clients: Vec<PathBuf>,
}

/// Asks tmux (a second at most; `None` when it does not answer).
pub fn look() -> Option<TmuxWindow> {
    let pane = std::env::var("TMUX_PANE").ok()?;
    let answer = tmux_output(&["display-message", "-p", "-t", &pane, "#{window_active} #{session_id}"])?;
    let (active, session) = answer.split_once(' ')?;
    let shown = active.trim() == "1";
    if shown {
        return Some(TmuxWindow { shown, clients: Vec::new() });
    }
    let listed = tmux_output(&["list-clients", "-t", session.trim(), "-F", "#{client_tty}"]).unwrap_or_default();
    let clients = listed.lines().map(str::trim).filter(|l| l.starts_with("/dev/")).map(PathBuf::from).collect();
    Some(TmuxWindow { shown, clients })
}

/// Writes `bytes` to each terminal at `clients`, without waiting on one that does not take
/// them (and without making it this process's controlling terminal).
pub fn write_to_terminals(clients: &[PathBuf], bytes: &[u8]) {
    use std::os::unix::fs::OpenOptionsExt;
    let flags = rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOCTTY;
    for tty in clients {
        let opened = std::fs::OpenOptions::new().write(true).custom_flags(flags.bits() as i32).open(tty);
        match opened.and_then(|mut file| file.write_all(bytes)) {
            Ok(()) => tracing::debug!(tty = %tty.display(), "images taken off a hidden tmux window"),
            Err(e) => tracing::warn!(tty = %tty.display(), "cannot take images off a hidden tmux window: {e}"),
        }
    }
}
