//! A program in a pty, with everything it writes kept and timestamped, so a measure can ask
//! when a given byte pattern reached the "terminal".

use std::io::{Read, Write};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

pub const ROWS: u16 = 40;
pub const COLS: u16 = 120;

/// Everything written so far, and when each read from the pty ended.
#[derive(Default)]
pub struct Output {
    pub bytes: Vec<u8>,
    marks: Vec<(usize, Instant)>,
}

impl Output {
    /// When the byte at `offset` had arrived.
    pub fn arrival(&self, offset: usize) -> Option<Instant> {
        self.marks.iter().find(|(end, _)| *end > offset).map(|(_, at)| *at)
    }

    /// The writes that carried bytes `from..to`: when each arrived and how many of those bytes
    /// it held.
    pub fn writes(&self, from: usize, to: usize) -> Vec<(Instant, usize)> {
        let mut start = 0;
        let mut writes = Vec::new();
        for &(end, at) in &self.marks {
            let held = end.min(to).saturating_sub(start.max(from));
            if held > 0 {
                writes.push((at, held));
            }
            start = end;
        }
        writes
    }
}

/// Answers a terminal query: given all output so far, the bytes to send back, if any.
pub type Responder = Box<dyn FnMut(&[u8]) -> Option<Vec<u8>> + Send>;

/// Answers the app's start-up question as a dark kitty over SSH would (its background colour
/// and DA1), once: a silent pty would cost the app its whole wait for an answer.
pub fn terminal_answers() -> Responder {
    let mut answered = false;
    Box::new(move |out: &[u8]| {
        if answered || find(out, b"\x1b[c", 0).is_none() {
            return None;
        }
        answered = true;
        Some(b"\x1b_Gi=31;OK\x1b\\\x1b]11;rgb:0000/0000/0000\x1b\\\x1b[?62;4c".to_vec())
    })
}

pub struct Session {
    pub child: Box<dyn Child + Send + Sync>,
    pub pid: u32,
    pub started: Instant,
    output: Arc<Mutex<Output>>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
}

impl Session {
    pub fn spawn(cmd: CommandBuilder, mut responder: Option<Responder>) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize { rows: ROWS, cols: COLS, pixel_width: COLS * 10, pixel_height: ROWS * 20 })
            .unwrap_or_else(|e| panic!("{e}"));
        let started = Instant::now();
        let child = pair.slave.spawn_command(cmd).unwrap_or_else(|e| panic!("{e}"));
        let pid = child.process_id().unwrap_or(0);
        let mut reader = pair.master.try_clone_reader().unwrap_or_else(|e| panic!("{e}"));
        let writer: Arc<Mutex<Box<dyn Write + Send>>> =
            Arc::new(Mutex::new(pair.master.take_writer().unwrap_or_else(|e| panic!("{e}"))));
        let output: Arc<Mutex<Output>> = Arc::default();
        let (sink, answer) = (output.clone(), writer.clone());
        std::thread::spawn(move || {
            // The master must outlive the reader, or the pty closes under the child.
            let _master = pair.master;
            let mut buf = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let reply = {
                    let mut out = sink.lock().unwrap_or_else(PoisonError::into_inner);
                    out.bytes.extend_from_slice(&buf[..n]);
                    let end = out.bytes.len();
                    out.marks.push((end, Instant::now()));
                    responder.as_mut().and_then(|r| r(&out.bytes))
                };
                if let Some(reply) = reply {
                    let mut w = answer.lock().unwrap_or_else(PoisonError::into_inner);
                    let _ = w.write_all(&reply);
                    let _ = w.flush();
                }
            }
        });
        Self { child, pid, started, output, writer }
    }

    pub fn output(&self) -> MutexGuard<'_, Output> {
        self.output.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn len(&self) -> usize {
        self.output().bytes.len()
    }

    pub fn send(&self, bytes: &[u8]) {
        let mut w = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = w.write_all(bytes);
        let _ = w.flush();
    }

    /// Waits (with a deadline) until `check` holds for the output; polls every millisecond.
    pub fn wait(&self, what: &str, timeout: Duration, check: impl Fn(&Output) -> bool) {
        let deadline = Instant::now() + timeout;
        while !check(&self.output()) {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// Whether the screen, as a terminal would show it, contains `text`.
    pub fn shows(&self, text: &str) -> bool {
        screen_contains(&self.output().bytes, text)
    }
}

pub fn screen_contains(bytes: &[u8], text: &str) -> bool {
    let mut parser = vt100::Parser::new(ROWS, COLS, 0);
    parser.process(bytes);
    parser.screen().contents().contains(text)
}

pub fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

/// The app with a fresh config and the given flags, as `TERM=xterm-256color` over SSH.
pub fn app(data: &std::path::Path, args: &[&str]) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_imgtui"));
    cmd.args(args);
    cmd.arg("--data-dir");
    cmd.arg(data);
    cmd.env("TERM", "xterm-256color");
    cmd.env("XDG_CONFIG_HOME", data.join("config"));
    cmd.env_remove("OPENAI_API_KEY");
    cmd.env_remove("TTAPI_API_KEY");
    cmd
}
