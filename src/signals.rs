//! The signals that end imgtui from outside: SIGHUP (a dropped SSH session), SIGTERM, SIGQUIT and
//! SIGINT. Caught instead of dying at once, so what has arrived is written and recorded first;
//! the process then exits with 128 + the signal's number, as a shell expects.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once, PoisonError};

use tokio::signal::unix::{Signal, SignalKind, signal};

/// Set once something in this process stops gracefully on a signal (a `Stops` exists).
static GRACEFUL: AtomicBool = AtomicBool::new(false);

pub struct Stops {
    watched: Vec<(i32, Signal)>,
}

impl Stops {
    /// Watches the stopping signals; one that cannot be watched keeps its default action.
    pub fn new() -> Self {
        GRACEFUL.store(true, Ordering::Relaxed);
        let kinds = [
            (1, SignalKind::hangup()),
            (2, SignalKind::interrupt()),
            (3, SignalKind::quit()),
            (15, SignalKind::terminate()),
        ];
        let watched = kinds
            .into_iter()
            .filter_map(|(number, kind)| match signal(kind) {
                Ok(watch) => Some((number, watch)),
                Err(e) => {
                    tracing::warn!(signal = number, "cannot watch the signal: {e}");
                    None
                }
            })
            .collect();
        Self { watched }
    }

    /// The next stopping signal that is not a hang-up (after one, a shell passing SIGHUP on to
    /// its jobs sends another, and a pipe whose reader left raises its own: only another kind
    /// of signal asks for more than the hang-up did).
    pub async fn next_after_hangup(&mut self) -> i32 {
        loop {
            let number = self.next().await;
            if number != HANGUP {
                return number;
            }
        }
    }

    /// The number of the next stopping signal (pending for ever when none can be watched).
    pub async fn next(&mut self) -> i32 {
        if self.watched.is_empty() {
            return std::future::pending().await;
        }
        let waits = self.watched.iter_mut().map(|(number, watch)| {
            let number = *number;
            Box::pin(async move {
                watch.recv().await;
                number
            })
        });
        let (number, _, _) = futures::future::select_all(waits).await;
        tracing::info!(signal = number, "stopping on a signal");
        number
    }
}

impl Default for Stops {
    fn default() -> Self {
        Self::new()
    }
}

/// SIGHUP: the terminal (an SSH session) is gone, the person has not asked to stop anything.
pub const HANGUP: i32 = 1;

/// After a hang-up, standard output and error that were the terminal go to /dev/null: answers
/// still on their way (already paid for) are let arrive and be kept, and the lines they print
/// neither fail nor panic on a terminal that is gone. Output to a file or a pipe is left as it is.
pub fn leave_the_terminal() {
    let Ok(null) = std::fs::OpenOptions::new().write(true).open("/dev/null") else { return };
    // A terminal that hung up is no longer a tty to `isatty` (it cannot be asked), but it is
    // still a character device; a file or a pipe is left as it is.
    let terminal = |fd: std::os::fd::BorrowedFd<'_>| {
        rustix::fs::fstat(fd)
            .is_ok_and(|st| rustix::fs::FileType::from_raw_mode(st.st_mode) == rustix::fs::FileType::CharacterDevice)
    };
    use std::os::fd::AsFd;
    if terminal(std::io::stdout().as_fd()) {
        let _ = rustix::stdio::dup2_stdout(&null);
    }
    if terminal(std::io::stderr().as_fd()) {
        let _ = rustix::stdio::dup2_stderr(&null);
    }
}

/// Standard output or error cannot be written any more (the terminal is gone, or the reader of
/// the pipe): in a command that stops gracefully, the same as a hang-up (what was sent is let
/// arrive and be kept, nothing more starts), so this process sends itself SIGHUP and says
/// `true`; elsewhere `false` (the caller ends as it would).
pub fn output_gone() -> bool {
    static SAID: AtomicBool = AtomicBool::new(false);
    if !GRACEFUL.load(Ordering::Relaxed) {
        return false;
    }
    leave_the_terminal();
    // Once: every later line fails the same way.
    if !SAID.swap(true, Ordering::Relaxed) {
        let _ = rustix::process::kill_process(rustix::process::getpid(), rustix::process::Signal::HUP);
    }
    true
}

/// The exit code for a stop by signal `number`.
pub fn exit_code(number: i32) -> u8 {
    u8::try_from(128 + number).unwrap_or(1)
}

/// The terminal's settings while a `TtyGuard` lives (the terminal is being asked, in raw mode).
static SAVED_TTY: Mutex<Option<rustix::termios::Termios>> = Mutex::new(None);
static TTY_WATCHER: Once = Once::new();

/// While it lives, a stopping signal (a dropped SSH session, SIGTERM) puts the terminal's
/// settings back as they were before it ends the process with 128 + the signal's number: the
/// shell is never left without echo. Outside its life, a process with no graceful `Stops`
/// still ends on the signal (the watcher took the default action's place).
pub struct TtyGuard(());

impl TtyGuard {
    pub fn new() -> Self {
        let stdin = rustix::stdio::stdin();
        if let Ok(settings) = rustix::termios::tcgetattr(stdin) {
            *SAVED_TTY.lock().unwrap_or_else(PoisonError::into_inner) = Some(settings);
        }
        TTY_WATCHER.call_once(|| {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGHUP, SIGINT, SIGQUIT, SIGTERM]) else {
                return;
            };
            std::thread::spawn(move || {
                for number in signals.forever() {
                    if restore_saved_tty() || !GRACEFUL.load(Ordering::Relaxed) {
                        std::process::exit(i32::from(exit_code(number)));
                    }
                }
            });
        });
        Self(())
    }
}

/// Puts back the settings a `TtyGuard` saved, if one lives; true if it did. The lock is held
/// until they are back, so whoever exits after this sees the terminal as it was.
fn restore_saved_tty() -> bool {
    let mut saved = SAVED_TTY.lock().unwrap_or_else(PoisonError::into_inner);
    let Some(settings) = saved.take() else { return false };
    let _ = rustix::termios::tcsetattr(rustix::stdio::stdin(), rustix::termios::OptionalActions::Now, &settings);
    true
}

/// Ends the process at once on signal `number`, the terminal's settings put back first when it
/// was being asked (whichever of the two watchers saw the signal first).
pub fn exit_at_once(number: i32) -> ! {
    restore_saved_tty();
    std::process::exit(i32::from(exit_code(number)))
}

impl Default for TtyGuard {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TtyGuard {
    fn drop(&mut self) {
        SAVED_TTY.lock().unwrap_or_else(PoisonError::into_inner).take();
    }
}
