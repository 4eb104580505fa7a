//! The real binary in tmux, as a user over SSH would drive it: type a prompt, pick n=2,
//! submit, watch the job go running → done, find the files, quit, and check the terminal.
//! CI installs tmux (.ci/run); without it this test fails and says so.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(width: u16, height: u16, command: &str) -> Self {
        let socket = format!("imgtui-e2e-{}-{}", std::process::id(), rand_suffix());
        let tmux = Self { socket };
        let status = tmux
            .cmd(&["new-session", "-d", "-s", "e2e", "-x", &width.to_string(), "-y", &height.to_string(), command])
            .status()
            .expect("tmux runs (install it: apt-get install tmux)");
        assert!(status.success());
        tmux
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new("tmux");
        cmd.args(["-L", &self.socket, "-f", "/dev/null"]).args(args);
        cmd
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        assert!(self.cmd(&args).status().unwrap().success());
    }

    fn type_text(&self, text: &str) {
        assert!(self.cmd(&["send-keys", "-t", "e2e", "-l", text]).status().unwrap().success());
    }

    fn screen(&self) -> String {
        let out = self.cmd(&["capture-pane", "-t", "e2e", "-p"]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits (up to `secs`) until the screen satisfies `check`; returns that screen.
    fn wait_for(&self, what: &str, secs: u64, check: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let screen = self.screen();
            if check(&screen) {
                return screen;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}; the screen:\n{screen}");
            std::thread::sleep(Duration::from_millis(40));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]).status();
    }
}

fn rand_suffix() -> u32 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos())
}

fn app_command(data: &Path, extra: &str) -> String {
    format!(
        "env -u OPENAI_API_KEY -u TTAPI_API_KEY TERM=xterm-256color XDG_CONFIG_HOME='{cfg}' '{bin}' --data-dir '{data}' {extra}; \
         echo \"EXIT=$?\"; stty -a | tr ' ' '\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' '; echo; sleep 60",
        cfg = data.join("config").display(),
        bin = env!("CARGO_BIN_EXE_imgtui"),
        data = data.display(),
    )
}

#[test]
fn generate_two_images_from_the_keyboard_and_quit_cleanly() {
    let data = tempfile::tempdir().unwrap();
    let tmux = Tmux::start(120, 40, &app_command(data.path(), "--demo-latency-ms 1500"));
    tmux.wait_for("the demo banner", 20, |s| s.contains("Demo mode: no API key found"));

    tmux.type_text("a red fox in the snow");
    tmux.keys(&["Tab", "Down", "Down", "Down", "Right"]); // settings → Images (n) → 2
    tmux.wait_for("n = 2", 5, |s| s.contains("Images (n)  ‹ 2 ›"));
    tmux.keys(&["C-s"]);
    let running = tmux.wait_for("the job running", 10, |s| s.contains("#1") && s.contains("running"));
    assert!(running.contains("a red fox in the snow"));
    let done = tmux.wait_for("the job done", 30, |s| s.contains("✓ #1") && s.contains("2 img"));
    assert!(done.contains("job 1 done: 2 image(s) saved"), "{done}");

    let images: Vec<_> = std::fs::read_dir(data.path().join("images")).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(images.len(), 2, "{images:?}");
    for image in &images {
        assert_eq!(image::open(image).unwrap().to_rgba8().dimensions(), (1024, 1024));
    }

    tmux.keys(&["C-c"]);
    let after = tmux.wait_for("the app to exit", 10, |s| s.contains("EXIT="));
    assert!(after.contains("EXIT=0"), "{after}");
    assert!(after.contains("icanon echo"), "raw mode was undone: {after}");
    assert!(!after.contains("Prompt") && !after.contains("History ("), "the alternate screen was left: {after}");
}

#[test]
fn a_tiny_terminal_shows_a_notice_and_80x24_stays_usable() {
    let data = tempfile::tempdir().unwrap();
    let tmux = Tmux::start(30, 8, &app_command(data.path(), ""));
    tmux.wait_for("the too-small notice", 20, |s| s.contains("terminal too small"));
    assert!(tmux.cmd(&["resize-window", "-t", "e2e", "-x", "80", "-y", "24"]).status().unwrap().success());
    let screen = tmux.wait_for("the compose page", 10, |s| s.contains("Compose") && s.contains("Prompt"));
    assert!(screen.contains("Jobs") && screen.contains("Settings"), "{screen}");
    tmux.keys(&["Tab", "Tab"]);
    tmux.wait_for("the jobs page", 10, |s| s.contains("no jobs yet"));
    tmux.keys(&["q"]);
    let after = tmux.wait_for("the app to exit", 10, |s| s.contains("EXIT="));
    assert!(after.contains("EXIT=0"), "{after}");
}
