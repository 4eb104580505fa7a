//! What the app asks of the terminal besides pictures, seen from a real tmux: `y` copies
//! through OSC 52 into tmux's buffer, a long job ends with the bell on a window not shown, and
//! the title says what runs and is given back on quit. Without tmux these say they are skipped.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::tmux::{Tmux, app_command};

/// A history with job 1 done, made headlessly, and the path of its image.
fn a_done_job(data: &std::path::Path) -> String {
    let out = common::imgtui_std()
        .args(["--demo", "--demo-latency-ms", "0", "--data-dir"])
        .arg(data)
        .args(["generate", "a fox to copy", "-m", "dall-e-2", "-s", "256x256", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["images"][0]["path"].as_str().unwrap().to_string()
}

fn tmux_says(tmux: &Tmux, format: &str) -> String {
    let out = tmux.cmd(&["display-message", "-p", "-t", "e2e:0", format]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Waits (up to `secs`) until tmux's answer to `format` satisfies `check`.
fn wait_for_tmux(tmux: &Tmux, what: &str, format: &str, secs: u64, check: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let said = tmux_says(tmux, format);
        if check(&said) {
            return said;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}: tmux says {said:?}\n{}", tmux.screen());
        std::thread::sleep(Duration::from_millis(40));
    }
}

#[test]
fn y_copies_the_path_into_tmuxs_buffer_and_the_title_is_given_back() {
    if !common::have(common::Tool::Tmux) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let path = a_done_job(data.path());
    let tmux = Tmux::start(120, 40, "sleep 0.3; exec sh");
    assert!(tmux.cmd(&["set-option", "-g", "set-clipboard", "on"]).status().unwrap().success());
    let before = tmux_says(&tmux, "#{pane_title}");
    tmux.type_text(&app_command(data.path(), ""));
    tmux.keys(&["Enter"]);
    tmux.wait_for("the history", 20, |s| s.contains("a fox to copy"));
    wait_for_tmux(&tmux, "the title", "#{pane_title}", 10, |t| t.starts_with("imgtui"));
    tmux.keys(&["Tab", "Tab"]);
    tmux.keys(&["y"]);
    tmux.wait_for("the copy menu", 10, |s| s.contains("Copy from job #1"));
    tmux.keys(&["Enter"]);
    tmux.wait_for("the notice", 10, |s| s.contains("copied the path (OSC 52)"));
    let buffer = tmux.cmd(&["show-buffer"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&buffer.stdout), path, "tmux's buffer holds the path");

    tmux.keys(&["C-c"]);
    tmux.wait_for("the app to exit", 10, |s| s.contains("END-OF-RUN"));
    assert_eq!(tmux_says(&tmux, "#{pane_title}"), before, "the title as it was");
}

#[test]
fn a_long_job_ends_with_the_bell_on_a_window_not_shown() {
    if !common::have(common::Tool::Tmux) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let config = data.path().join("config/imgtui");
    std::fs::create_dir_all(&config).unwrap();
    // A second's job counts as long here (10 s by default), to keep the test short.
    std::fs::write(config.join("config.toml"), "notify_after_secs = 1\n").unwrap();
    let tmux = Tmux::start(120, 40, &app_command(data.path(), "--demo-latency-ms 2500"));
    tmux.wait_for("the app", 20, |s| s.contains("Demo mode"));
    tmux.type_text("a slow fox");
    tmux.keys(&["C-s"]);
    tmux.wait_for("the job running", 10, |s| s.contains("running"));
    let title = wait_for_tmux(&tmux, "the title", "#{pane_title}", 10, |t| t.contains("1 running"));
    assert_eq!(title, "imgtui · 1 running");
    // Another window in front: the app's is not shown.
    assert!(tmux.cmd(&["new-window", "-t", "e2e", "sleep 60"]).status().unwrap().success());
    wait_for_tmux(&tmux, "the bell", "#{window_bell_flag}", 30, |flag| flag == "1");
    tmux.cmd(&["select-window", "-t", "e2e:0"]).status().unwrap();
    tmux.wait_for("the job done", 10, |s| s.contains("✓ #1"));
}
