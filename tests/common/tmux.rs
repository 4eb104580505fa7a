//! tmux driven from the tests: a private server per test, keys in, the screen out.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

pub struct Tmux {
    socket: String,
}

impl Tmux {
    pub fn start(width: u16, height: u16, command: &str) -> Self {
        Self::start_in(width, height, command, &std::env::temp_dir())
    }

    pub fn start_in(width: u16, height: u16, command: &str, cwd: &Path) -> Self {
        let socket = format!("imgtui-e2e-{}-{}", std::process::id(), rand_suffix());
        let tmux = Self { socket };
        let (w, h) = (width.to_string(), height.to_string());
        let cwd = cwd.display().to_string();
        let status = tmux
            .cmd(&["new-session", "-d", "-s", "e2e", "-x", &w, "-y", &h, "-c", &cwd, command])
            .status()
            .expect("tmux runs (install it: apt-get install tmux)");
        assert!(status.success());
        tmux
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new("tmux");
        cmd.args(["-L", &self.socket, "-f", "/dev/null"]).args(args);
        cmd
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        assert!(self.cmd(&args).status().unwrap().success());
    }

    pub fn type_text(&self, text: &str) {
        assert!(self.cmd(&["send-keys", "-t", "e2e", "-l", text]).status().unwrap().success());
    }

    pub fn screen(&self) -> String {
        let out = self.cmd(&["capture-pane", "-t", "e2e", "-p"]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits (up to `secs`) until the screen satisfies `check`; returns that screen.
    pub fn wait_for(&self, what: &str, secs: u64, check: impl Fn(&str) -> bool) -> String {
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
    // Random enough for a socket name: the hasher's per-process random keys.
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.finish() as u32
}

pub fn app_command(data: &Path, extra: &str) -> String {
    format!(
        "env -u OPENAI_API_KEY -u TTAPI_API_KEY TERM=xterm-256color XDG_CONFIG_HOME='{cfg}' {today}='{day}' '{bin}' --data-dir '{data}' {extra}; \
         echo \"EXIT=$?\"; stty -a | tr ' ' '\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' '; echo; echo END-OF-RUN; sleep 60",
        cfg = data.join("config").display(),
        bin = env!("CARGO_BIN_EXE_imgtui"),
        today = imgtui::clock::TODAY_VAR,
        day = super::TODAY,
        data = data.display(),
    )
}
