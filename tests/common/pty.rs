//! The real binary in a pseudo-terminal, its output kept and read back as a terminal shows it
//! (vt100): what the app draws, without tmux.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{PtySize, native_pty_system};

pub struct Pty {
    pub writer: Box<dyn Write + Send>,
    pub output: Arc<Mutex<Vec<u8>>>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    pub master: Box<dyn portable_pty::MasterPty + Send>,
    pub rows: u16,
    pub cols: u16,
}

impl Pty {
    /// The release-like binary in a pty of `rows` x `cols`, with `args`, its data in `data`,
    /// no key (the demo server), TERM=xterm-256color and no tmux.
    pub fn spawn(data: &Path, args: &[&str], size: (u16, u16)) -> Self {
        let mut cmd = super::imgtui_pty();
        cmd.args(args);
        cmd.arg("--data-dir");
        cmd.arg(data);
        cmd.env("XDG_CONFIG_HOME", data.join("config"));
        cmd.env_remove("OPENAI_API_KEY");
        cmd.env_remove("TTAPI_API_KEY");
        cmd.env_remove("TMUX");
        Self::spawn_command(cmd, size)
    }

    /// `cmd` in a pty of `rows` x `cols`, TERM=xterm-256color (tmux, say, as the outer
    /// terminal sees it).
    pub fn spawn_command(mut cmd: portable_pty::CommandBuilder, (rows, cols): (u16, u16)) -> Self {
        let size = PtySize { rows, cols, pixel_width: cols * 10, pixel_height: rows * 20 };
        let pair = native_pty_system().openpty(size).unwrap();
        cmd.env("TERM", "xterm-256color");
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
        Self { writer, output, child, master: pair.master, rows, cols }
    }

    pub fn len(&self) -> usize {
        self.output.lock().unwrap().len()
    }

    pub fn since(&self, mark: usize) -> Vec<u8> {
        self.output.lock().unwrap()[mark..].to_vec()
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }

    /// The screen as a terminal would show it, from all output so far.
    pub fn screen(&self) -> String {
        let mut parser = vt100::Parser::new(self.rows, self.cols, 0);
        parser.process(&self.output.lock().unwrap());
        parser.screen().contents()
    }

    /// Waits (with a deadline) until the screen shows `text`.
    pub fn wait_for_screen(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !self.screen().contains(text) {
            assert!(Instant::now() < deadline, "timed out waiting for {text:?} on screen:\n{}", self.screen());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits (with a deadline) until the output since `mark` satisfies `check`.
    pub fn wait_for(&self, mark: usize, what: &str, check: impl Fn(&[u8]) -> bool) -> Vec<u8> {
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
