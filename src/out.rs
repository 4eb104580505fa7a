//! Standard output for the headless commands. A reader that goes away (`imgtui history | head
//! -1`) ends the process quietly, as command-line tools do, instead of a panic and a backtrace.

use std::io::Write;
use std::process::ExitCode;

/// Prints a line to standard output (see `line`).
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => { $crate::out::line(format_args!($($arg)*)) };
}

/// Writes one line; a closed pipe exits with 141 (128 + SIGPIPE, what a shell expects), any
/// other failure (a full disk) with 1.
pub fn line(args: std::fmt::Arguments) {
    // JSON and tables alike: no secret this process knows is printed (see `text::keep_secret`).
    let text = crate::text::without_secrets(&args.to_string());
    let mut out = std::io::stdout().lock();
    let written = out.write_all(text.as_bytes()).and_then(|()| out.write_all(b"\n")).and_then(|()| out.flush());
    match written {
        Ok(()) => {}
        // The terminal or the reader went away while jobs may be in flight: treated as a
        // hang-up (they finish and are kept; see `signals::output_gone`).
        Err(e) if is_gone(&e) && crate::signals::output_gone() => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(141),
        // A full disk or a closed file: the output is not what the caller asked for.
        Err(e) => {
            eprintln!("imgtui: cannot write to standard output: {e}");
            std::process::exit(1)
        }
    }
}

/// Whether `e` says the output is gone: a pipe with no reader, a terminal that hung up (EIO).
fn is_gone(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::BrokenPipe || e.raw_os_error() == Some(rustix::io::Errno::IO.raw_os_error())
}

/// Writes `bytes` whole (a script, a manual page): success, 141 for a closed pipe, 1 else.
pub fn bytes(bytes: &[u8]) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(141),
        Err(e) => {
            eprintln!("imgtui: cannot write to standard output: {e}");
            ExitCode::FAILURE
        }
    }
}
