//! A pretend terminal around a pty: it answers the queries a program writes (kitty graphics,
//! XTVERSION, DA1, cell and window pixels, background colour, DSR) as kitty, xterm with sixel,
//! a terminal without graphics, or not at all, and keeps every byte the program wrote.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{PtySize, native_pty_system};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Terminal {
    /// Answers the kitty query OK (but not for a local file: as over SSH), names itself.
    Kitty,
    /// xterm as a VT340: DA1 lists 4 (sixel), a light background.
    SixelXterm,
    /// Answers DA1 only: no graphics, no pixel sizes.
    Plain,
    /// Answers nothing at all.
    Silent,
    /// Answers nothing, but a stray ^D arrives (what `script` sends when its input ends).
    Stray,
    /// The user presses Ctrl-C while the terminal is being asked.
    CtrlC,
    /// Answers the first round of queries as kitty does (up to the first DA1), then nothing:
    /// a second round of questions would wait for ever.
    KittyOnce,
}

impl Terminal {
    /// The answer to one query, if this terminal gives one.
    fn answer(self, query: &[u8]) -> Option<Vec<u8>> {
        if self == Self::KittyOnce {
            return Self::Kitty.answer(query);
        }
        let text = String::from_utf8_lossy(query);
        let answer: &str = match (self, text.as_ref()) {
            (Self::Silent, _) => return None,
            (Self::Stray, "\x1b[c") => "\x04",
            (Self::Stray, _) => return None,
            (Self::CtrlC, "\x1b[c") => "\x03",
            (Self::CtrlC, _) => return None,
            (Self::Kitty, q) if q.starts_with("\x1b_G") && q.contains("t=t") => "\x1b_Gi=31;ENOENT:no such file\x1b\\",
            (Self::Kitty, q) if q.starts_with("\x1b_G") => "\x1b_Gi=31;OK\x1b\\",
            (_, q) if q.starts_with("\x1b_G") => return None,
            (_, "\x1b[5n") => "\x1b[0n",
            (Self::Kitty, "\x1b[c") => "\x1b[?62;c",
            (Self::SixelXterm, "\x1b[c") => "\x1b[?63;1;2;4;6;9;15;16;22c",
            (Self::Plain, "\x1b[c") => "\x1b[?62;22c",
            (Self::Kitty, "\x1b[>0q") => "\x1bP>|kitty(0.35.2)\x1b\\",
            (Self::SixelXterm, "\x1b[>0q") => "\x1bP>|XTerm(390)\x1b\\",
            (Self::Kitty, "\x1b[16t") => "\x1b[6;20;10t",
            (Self::SixelXterm, "\x1b[16t") => "\x1b[6;17;8t",
            (Self::Kitty, "\x1b[14t") => "\x1b[4;480;800t",
            (Self::SixelXterm, "\x1b[14t") => "\x1b[4;408;640t",
            (Self::Kitty, "\x1b]11;?\x07") => "\x1b]11;rgb:1e1e/1e1e/2e2e\x1b\\",
            (Self::SixelXterm, "\x1b]11;?\x07") => "\x1b]11;rgb:ffff/ffff/ffff\x07",
            _ => return None,
        };
        Some(answer.as_bytes().to_vec())
    }
}

const SIMPLE_QUERIES: [&[u8]; 6] = [b"\x1b[5n", b"\x1b[c", b"\x1b[>0q", b"\x1b[16t", b"\x1b[14t", b"\x1b]11;?\x07"];

/// The next whole query in `bytes`: where it ends and its bytes. A kitty APC still arriving
/// is not a query yet.
pub fn next_query(bytes: &[u8]) -> Option<(usize, Vec<u8>)> {
    let find = |needle: &[u8]| bytes.windows(needle.len()).position(|w| w == needle);
    let simple = SIMPLE_QUERIES.iter().filter_map(|q| find(q).map(|at| (at, at + q.len()))).min();
    let kitty = find(b"\x1b_G").and_then(|at| {
        let end = bytes[at..].windows(2).position(|w| w == b"\x1b\\")?;
        let query = &bytes[at..at + end + 2];
        // Only queries (a=q) are answered; images sent are not.
        String::from_utf8_lossy(query).contains("a=q").then_some((at, at + end + 2))
    });
    let (start, end) = match (simple, kitty) {
        (Some(s), Some(k)) => s.min(k),
        (s, k) => s.or(k)?,
    };
    Some((end, bytes[start..end].to_vec()))
}

/// A `tmux` on PATH that answers `-V` and `show -gv allow-passthrough` as told; its folder.
pub fn fake_tmux(dir: &Path, passthrough: &str) -> std::path::PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = format!("#!/bin/sh\ncase \"$1\" in -V) echo 'tmux 3.3a';; show) echo '{passthrough}';; esac\n");
    let path = bin.join("tmux");
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    bin
}

pub struct FakeTerminal {
    pub output: Arc<Mutex<Vec<u8>>>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    /// Closed when the program's side of the pty is gone and everything was read.
    drained: std::sync::mpsc::Receiver<()>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl FakeTerminal {
    /// `imgtui args…` in an 80x24 pty (10x20-pixel cells in the ioctl unless `ioctl_pixels`
    /// is false), HOME and the config in `home`, `env` added, TMUX removed unless given.
    pub fn spawn(terminal: Terminal, home: &Path, args: &[&str], env: &[(&str, &str)], ioctl_pixels: bool) -> Self {
        Self::spawn_sized(terminal, home, args, env, ioctl_pixels, (24, 80))
    }

    /// As `spawn`, in a pty of `rows` x `cols` (0 x 0: a size the pty does not report).
    pub fn spawn_sized(
        terminal: Terminal,
        home: &Path,
        args: &[&str],
        env: &[(&str, &str)],
        ioctl_pixels: bool,
        (rows, cols): (u16, u16),
    ) -> Self {
        let pixels = if ioctl_pixels { (cols * 10, rows * 20) } else { (0, 0) };
        let size = PtySize { rows, cols, pixel_width: pixels.0, pixel_height: pixels.1 };
        let pair = native_pty_system().openpty(size).unwrap();
        let mut cmd = super::imgtui_pty();
        cmd.args(args);
        cmd.env("HOME", home);
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env("XDG_DATA_HOME", home.join("data"));
        cmd.env("TERM", "xterm-256color");
        for var in
            ["OPENAI_API_KEY", "TTAPI_API_KEY", "TMUX", "COLORTERM", "TERM_PROGRAM", "LC_TERMINAL", "KITTY_WINDOW_ID"]
        {
            cmd.env_remove(var);
        }
        for (key, value) in env {
            cmd.env(key, value);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let mut writer = pair.master.take_writer().unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = output.clone();
        let (done, drained) = std::sync::mpsc::channel::<()>();
        std::thread::spawn(move || {
            let _done = done;
            let mut buf = [0u8; 8192];
            let mut answered = 0;
            let mut rounds = 0;
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut all = sink.lock().unwrap();
                all.extend_from_slice(&buf[..n]);
                while let Some((end, query)) = next_query(&all[answered..]) {
                    answered += end;
                    if terminal == Terminal::KittyOnce && rounds > 0 {
                        continue;
                    }
                    if let Some(answer) = terminal.answer(&query) {
                        let _ = writer.write_all(&answer).and_then(|()| writer.flush());
                    }
                    rounds += usize::from(query == b"\x1b[c");
                }
            }
        });
        Self { output, child, drained, _master: pair.master }
    }

    /// Waits (with a deadline) for the program to end; its exit code and everything it wrote.
    pub fn finish(mut self) -> (u32, Vec<u8>) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // The reader ends at the pty's end, after the last bytes.
                let left = deadline.saturating_duration_since(Instant::now());
                let _ = self.drained.recv_timeout(left);
                return (status.exit_code(), self.output.lock().unwrap().clone());
            }
            assert!(Instant::now() < deadline, "the program did not end; it wrote:\n{}", self.text());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned()
    }

    /// The program's pid.
    pub fn pid(&self) -> u32 {
        self.child.process_id().unwrap()
    }

    /// Whether the terminal echoes and edits lines (as a shell needs it), read off the pty.
    pub fn cooked(&self) -> bool {
        use rustix::termios::LocalModes;
        let slave = std::fs::File::open(self._master.tty_name().unwrap()).unwrap();
        let modes = rustix::termios::tcgetattr(&slave).unwrap().local_modes;
        modes.contains(LocalModes::ECHO | LocalModes::ICANON)
    }

    /// Whether the program still runs.
    pub fn running(&mut self) -> bool {
        self.exit_code().is_none()
    }

    /// The program's exit code, once it has ended (128 + n for a signal it caught and exited
    /// on; portable_pty reports a death by signal as 1).
    pub fn exit_code(&mut self) -> Option<u32> {
        self.child.try_wait().unwrap().map(|status| status.exit_code())
    }
}

impl Drop for FakeTerminal {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
