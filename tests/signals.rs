//! Signals from outside (issue 13): a dropped SSH session (SIGHUP), SIGTERM, SIGQUIT. Headless,
//! the job records how it ended and the process exits 128+n; the app gives the terminal back,
//! lets arrived answers be written, and leaves no job "running".

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn kill(pid: u32, signal: &str) {
    assert!(Command::new("kill").args(["-s", signal, &pid.to_string()]).status().unwrap().success());
}

fn history_json(data: &Path) -> serde_json::Value {
    let out = common::imgtui_std()
        .env("XDG_CONFIG_HOME", data.join("config"))
        .arg("--data-dir")
        .arg(data)
        .args(["history", "--json"])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null)
}

/// `imgtui --demo generate PROMPT` on the history at `data`, each image `latency_ms` away, its
/// standard output dropped.
fn demo_generate(data: &Path, latency_ms: &str, prompt: &str) -> Command {
    let mut cmd = common::imgtui_std();
    cmd.env_remove("OPENAI_API_KEY")
        .env_remove("TTAPI_API_KEY")
        .env("XDG_CONFIG_HOME", data.join("config"))
        .arg("--data-dir")
        .arg(data)
        .args(["--demo", "--demo-latency-ms", latency_ms, "generate", prompt])
        .stdout(Stdio::null());
    cmd
}

/// Waits (with a deadline) until job 1 is in the history with `status`.
fn wait_for_status(data: &Path, status: &str) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let jobs = history_json(data);
        if jobs[0]["status"] == status {
            return jobs;
        }
        assert!(Instant::now() < deadline, "job 1 never became {status}: {jobs}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A dropped SSH session asked nothing to stop: the answer on its way (paid for) arrives and
/// is kept, then the process ends 129. Before, it was cancelled and a re-run paid again.
#[test]
fn a_hang_up_lets_the_paid_answer_arrive_and_keeps_it() {
    let data = tempfile::tempdir().unwrap();
    let mut child =
        demo_generate(data.path(), "1500", "a fox on a dropped line").stderr(Stdio::null()).spawn().unwrap();
    wait_for_status(data.path(), "running");
    // A shell in a dropped session passes SIGHUP on to its jobs: two come, one after the other.
    kill(child.id(), "HUP");
    kill(child.id(), "HUP");
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(129));
    let jobs = history_json(data.path());
    assert_eq!(jobs[0]["status"], "done", "{jobs}");
    assert_eq!(jobs[0]["image_count"], 1, "{jobs}");
}

/// The app hung up (its SSH session dropped) with a job in flight: the job finishes and is
/// kept, with no terminal to show it.
#[test]
fn the_app_hung_up_keeps_the_job_it_had_sent() {
    let data = tempfile::tempdir().unwrap();
    let mut pty = common::pty::Pty::spawn(data.path(), &["--graphics", "none", "--demo-latency-ms", "1500"], (30, 100));
    pty.wait_for_screen("Prompt");
    pty.send(b"a fox sent before the line dropped\x13");
    wait_for_status(data.path(), "running");
    kill(pty.child.process_id().unwrap(), "HUP");
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = pty.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the app did not end after its job on SIGHUP");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.exit_code(), 129);
    let jobs = history_json(data.path());
    assert_eq!(jobs[0]["status"], "done", "{jobs}");
}

#[test]
fn headless_jobs_record_their_end_and_exit_128_plus_the_signal() {
    for (signal, code) in [("TERM", 143), ("QUIT", 131), ("INT", 130)] {
        let data = tempfile::tempdir().unwrap();
        let mut child = demo_generate(data.path(), "20000", "a slow fox").stderr(Stdio::piped()).spawn().unwrap();
        wait_for_status(data.path(), "running");
        kill(child.id(), signal);
        let status = child.wait().unwrap();
        let mut stderr = String::new();
        child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
        assert_eq!(status.code(), Some(code), "SIG{signal}: {stderr}");
        let jobs = history_json(data.path());
        assert_eq!(jobs[0]["status"], "cancelled", "SIG{signal}: {jobs}");
    }
}

#[test]
fn the_app_gives_the_terminal_back_on_sigterm_and_leaves_no_job_running() {
    let data = tempfile::tempdir().unwrap();
    let mut pty =
        common::pty::Pty::spawn(data.path(), &["--graphics", "none", "--demo-latency-ms", "20000"], (30, 100));
    pty.wait_for_screen("Prompt");
    pty.send(b"a fox that never finishes\x13");
    wait_for_status(data.path(), "running");
    let mark = pty.len();
    kill(pty.child.process_id().unwrap(), "TERM");
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = pty.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the app did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.exit_code(), 143);
    // The reader thread may still be taking the last bytes: wait for them, with a deadline.
    pty.wait_for(mark, "the terminal given back (alternate screen, cursor)", |out| {
        let text = String::from_utf8_lossy(out);
        text.contains("\x1b[?1049l") && text.contains("\x1b[?25h")
    });
    let jobs = history_json(data.path());
    assert_eq!(jobs[0]["status"], "interrupted", "{jobs}");
}
