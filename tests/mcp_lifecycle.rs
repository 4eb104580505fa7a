//! `imgtui mcp` ends as the other commands do: a client that closes stdin while a job runs
//! leaves it to finish and record what it paid for; a signal stops the job, records its end
//! and exits 128+n. Raw JSON-RPC, no SDK needed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

fn start(data: &Path, latency_ms: &str) -> Child {
    common::imgtui_std()
        .args(["--demo", "--demo-latency-ms", latency_ms, "--data-dir"])
        .arg(data)
        .arg("mcp")
        .current_dir(data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Starts a session and calls generate (the answer is not awaited).
fn call_generate(child: &mut Child) {
    let stdin = child.stdin.as_mut().unwrap();
    let lines = [
        r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"#,
        r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
        r#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"generate","arguments":{"prompt":"a slow fox","quality":"low"}}}"#,
    ];
    for line in lines {
        writeln!(stdin, "{line}").unwrap();
    }
    stdin.flush().unwrap();
}

fn status_of_job_1(data: &Path) -> String {
    let out = common::imgtui_std().arg("--data-dir").arg(data).args(["history", "--json"]).output().unwrap();
    let jobs: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    jobs[0]["status"].as_str().unwrap_or_default().to_string()
}

fn wait_until(what: &str, secs: u64, check: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn exit_of(child: &mut Child, secs: u64) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "imgtui mcp did not exit");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_client_gone_leaves_the_job_to_finish_and_record_its_images() {
    let data = tempfile::tempdir().unwrap();
    let mut child = start(data.path(), "2500");
    call_generate(&mut child);
    wait_until("the job to run", 20, || status_of_job_1(data.path()) == "running");
    drop(child.stdin.take());
    assert!(exit_of(&mut child, 30).success());
    assert_eq!(status_of_job_1(data.path()), "done", "what was paid for is kept");
    assert_eq!(std::fs::read_dir(data.path().join("images")).unwrap().count(), 1);
}

#[test]
fn a_signal_stops_the_job_records_its_end_and_exits_128_plus_n() {
    let data = tempfile::tempdir().unwrap();
    let mut child = start(data.path(), "20000");
    call_generate(&mut child);
    wait_until("the job to run", 20, || status_of_job_1(data.path()) == "running");
    assert!(std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    let status = exit_of(&mut child, 20);
    assert_eq!(std::os::unix::process::ExitStatusExt::into_raw(status) >> 8, 143, "{status:?}");
    assert_eq!(status_of_job_1(data.path()), "cancelled", "its end is recorded, not left running");
}

/// The person stays in charge: another imgtui (the app's `c` on the agent's job) asks through
/// the history, and the agent's job is cancelled within a second or two.
#[test]
fn the_person_cancels_an_agents_job_from_another_imgtui() {
    let data = tempfile::tempdir().unwrap();
    let mut child = start(data.path(), "20000");
    call_generate(&mut child);
    wait_until("the job to run", 20, || status_of_job_1(data.path()) == "running");
    let store = imgtui::store::Store::open(data.path()).unwrap();
    assert!(store.ask_cancel(1).unwrap(), "asked while it runs");
    wait_until("the job to end cancelled", 20, || status_of_job_1(data.path()) == "cancelled");
    assert!(!store.ask_cancel(1).unwrap(), "a job that ended is not asked");
    drop(child.stdin.take());
    assert!(exit_of(&mut child, 20).success());
}
