//! The terminal: raw mode, alternate screen and bracketed paste on the way in; all of it undone
//! on quit, on panic, and around Ctrl-Z.

use std::io::{self, Stdout, stdout};

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Tui = Terminal<CrosstermBackend<Stdout>>;

pub fn init() -> io::Result<Tui> {
    enter()?;
    Terminal::new(CrosstermBackend::new(stdout()))
}

fn enter() -> io::Result<()> {
    enable_raw_mode()?;
    // Cleared: an imgtui killed earlier may have left its screen in the alternate buffer.
    execute!(
        stdout(),
        EnterAlternateScreen,
        crossterm::terminal::Clear(crossterm::terminal::ClearType::All),
        EnableBracketedPaste,
        // Whether the person is looking: a job watched ends without a notification.
        crossterm::event::EnableFocusChange
    )
}

/// Gives the terminal back as it was. Safe to call more than once.
pub fn restore() -> io::Result<()> {
    let raw = disable_raw_mode();
    // Ending a synchronized update first: a panic may come between its start and its end.
    execute!(
        stdout(),
        crossterm::terminal::EndSynchronizedUpdate,
        crossterm::event::DisableMouseCapture,
        DisableBracketedPaste,
        crossterm::event::DisableFocusChange,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    )?;
    raw
}

/// A panic of the UI (the main thread runs the event loop) restores the terminal before the
/// default message, so the message is readable and the shell usable. A background thread's
/// panic (a decoder on a bad image, say) is caught where it ran and the app goes on, so it is
/// logged instead of printed over the screen.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() == Some("main") {
            let _ = restore();
            previous(info);
        } else {
            tracing::error!("panic in a background thread: {info}");
        }
    }));
}

/// Ctrl-Z: restore the terminal, stop like any job-controlled program, and come back on `fg`.
pub fn suspend(terminal: &mut Tui) -> io::Result<()> {
    restore()?;
    // SIGTSTP stops the process here; execution continues after SIGCONT.
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
    enter()?;
    // A full redraw without `clear`'s cursor-position query: a terminal that does not answer
    // it (or a slow SSH link) would end the app with "the cursor position could not be read".
    let (width, height) = crossterm::terminal::size()?;
    terminal.resize(ratatui::layout::Rect::new(0, 0, width, height))
}
