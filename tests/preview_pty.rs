//! The real binary in a pty, per graphics protocol, reading the raw bytes it writes: the image
//! is sent once, in the preview pane; typing afterwards sends no image data; selecting another
//! job erases the old image before the new one is drawn.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Pty {
    writer: Box<dyn Write + Send>,
    output: Arc<Mutex<Vec<u8>>>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Pty {
    fn spawn(data: &Path, graphics: &str) -> Self {
        let pair =
            native_pty_system().openpty(PtySize { rows: 40, cols: 120, pixel_width: 1200, pixel_height: 800 }).unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_imgtui"));
        cmd.args(["--graphics", graphics, "--data-dir"]);
        cmd.arg(data);
        cmd.env("TERM", "xterm-256color");
        cmd.env("XDG_CONFIG_HOME", data.join("config"));
        cmd.env_remove("OPENAI_API_KEY");
        cmd.env_remove("TTAPI_API_KEY");
        cmd.env_remove("TMUX");
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = output.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let writer = pair.master.take_writer().unwrap();
        Self { writer, output, child, _master: pair.master }
    }

    fn len(&self) -> usize {
        self.output.lock().unwrap().len()
    }

    fn since(&self, mark: usize) -> Vec<u8> {
        self.output.lock().unwrap()[mark..].to_vec()
    }

    fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }

    /// The screen as a terminal would show it, from all output so far.
    fn screen(&self) -> String {
        let mut parser = vt100::Parser::new(40, 120, 0);
        parser.process(&self.output.lock().unwrap());
        parser.screen().contents()
    }

    /// Waits (with a deadline) until the screen shows `text`.
    fn wait_for_screen(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.screen().contains(text) {
            assert!(Instant::now() < deadline, "timed out waiting for {text:?} on screen:\n{}", self.screen());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits (with a deadline) until the output since `mark` satisfies `check`.
    fn wait_for(&self, mark: usize, what: &str, check: impl Fn(&[u8]) -> bool) -> Vec<u8> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let out = self.since(mark);
            if check(&out) {
                return out;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}; got {} bytes", out.len());
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack.windows(needle.len()).filter(|w| *w == needle).count()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Two finished jobs in the history, made with the headless command.
fn history_with_two_jobs() -> tempfile::TempDir {
    let data = tempfile::tempdir().unwrap();
    for prompt in ["a red fox", "a lighthouse"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_imgtui"))
            .env_remove("OPENAI_API_KEY")
            .env_remove("TTAPI_API_KEY")
            .env("XDG_CONFIG_HOME", data.path().join("config"))
            .args(["--data-dir"])
            .arg(data.path())
            .args(["--demo-latency-ms", "0", "generate", prompt, "--demo", "-m", "dall-e-2", "-s", "256x256"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    data
}

/// The bytes that start an image in each protocol.
fn signature(graphics: &str) -> &'static [u8] {
    match graphics {
        "kitty" => b"\x1b_Gf=100,a=T",
        "iterm" => b"\x1b]1337;File=",
        "sixel" => b"\x1bPq\"",
        _ => "▀".as_bytes(),
    }
}

/// The cell (row, column) of the cursor move right before the image sequence.
fn placed_at(out: &[u8], sig: &[u8]) -> (u16, u16) {
    let at = find(out, sig).unwrap();
    let before = String::from_utf8_lossy(&out[..at]);
    let cup = before.rfind("\x1b7\x1b[").unwrap();
    let coords = &before[cup + 4..];
    let end = coords.find('H').unwrap();
    let (row, col) = coords[..end].split_once(';').unwrap();
    (row.parse().unwrap(), col.parse().unwrap())
}

fn run_protocol(graphics: &str) {
    let data = history_with_two_jobs();
    let mut pty = Pty::spawn(data.path(), graphics);
    let sig = signature(graphics);
    pty.wait_for_screen("History (2)");
    pty.wait_for_screen(graphics_label(graphics));
    let first = pty.wait_for(0, "the first image", |out| find(out, sig).is_some());
    let settled = first.clone();
    if graphics != "blocks" {
        assert_eq!(count(&settled, sig), 1, "{graphics}: the image is sent once");
        let (row, col) = placed_at(&first, sig);
        assert!(row > 14 && row < 40 && col > 58, "{graphics}: placed in the preview pane, at row {row} col {col}");
    }

    // Output is ordered: once this key's echo is on screen, the frame with the image is complete.
    pty.send(b">");
    pty.wait_for_screen(">");
    // Counting starts between frames, not inside one (its end may still be on the way).
    pty.wait_for(0, "the frame to close", |out| out.ends_with(b"\x1b[?2026l"));
    let mark = pty.len();
    pty.send(b"abcdefghijklmnopqrst");
    pty.wait_for_screen(">abcdefghijklmnopqrst");
    pty.wait_for_screen("21/32000");
    // The frame's end comes in a write of its own, maybe after the screen shows the text.
    let typed = pty.wait_for(mark, "the last frame to close", |out| out.ends_with(b"\x1b[?2026l"));
    assert_eq!(count(&typed, sig), 0, "{graphics}: typing sent no image data");
    for other in ["kitty", "iterm", "sixel"] {
        assert_eq!(count(&typed, signature(other)), 0, "{graphics}: typing sent no {other} data");
    }
    // Each frame is one synchronized update: as many starts as ends, the last one closed.
    let (begins, ends) = (count(&typed, b"\x1b[?2026h"), count(&typed, b"\x1b[?2026l"));
    assert!(begins > 0 && begins == ends, "{graphics}: {begins} frame starts, {ends} ends");

    let mark = pty.len();
    pty.send(b"\t\tj"); // focus the history, select the other job
    pty.wait_for_screen("Job #1");
    let switched = pty.wait_for(mark, "the other image", |out| find(out, sig).is_some());
    let shown = find(&switched, sig).unwrap();
    match graphics {
        "kitty" => {
            let erased = find(&switched, b"\x1b_Ga=d,d=I,i=1").expect("the old image is deleted");
            assert!(erased < shown, "deleted before the new one is drawn");
        }
        "sixel" | "iterm" => {
            let erased = find(&switched, b"\x1b[2J").expect("the screen is repainted over the old image");
            assert!(erased < shown, "repainted before the new one is drawn");
        }
        _ => {}
    }

    pty.send(b"\x03");
    let deadline = Instant::now() + Duration::from_secs(10);
    while pty.child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the app did not quit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn graphics_label(graphics: &str) -> &'static str {
    match graphics {
        "kitty" => "· kitty",
        "iterm" => "· iTerm2",
        "sixel" => "· sixel",
        _ => "· half-blocks",
    }
}

#[test]
fn kitty() {
    run_protocol("kitty");
}

#[test]
fn sixel() {
    run_protocol("sixel");
}

#[test]
fn iterm() {
    run_protocol("iterm");
}

#[test]
fn blocks() {
    run_protocol("blocks");
}
