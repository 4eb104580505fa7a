//! `imgtui batch` end to end against a demo server over real HTTP: every problem with its
//! line before anything is sent, the exit codes, a 429 that slows the whole batch, and a
//! batch killed mid-way that `--resume` finishes by running only what is left.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use imgtui::demo::{DemoConfig, Fault, FaultRule};
use imgtui::store::{JobStatus, Store};

async fn run(cmd: &mut tokio::process::Command) -> (i32, String, String) {
    let out = tokio::time::timeout(Duration::from_secs(60), cmd.output()).await.expect("in time").unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

fn lines(prompts: &[&str]) -> String {
    let model = common::priced_model();
    prompts
        .iter()
        .map(|p| {
            format!("{{\"prompt\": \"{p}\", \"model\": \"{model}\", \"quality\": \"low\", \"size\": \"1024x1024\"}}\n")
        })
        .collect()
}

#[tokio::test]
async fn every_problem_is_named_with_its_line_and_nothing_is_sent() {
    let server = common::demo().await;
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("b.jsonl");
    let model = common::priced_model();
    let text = format!(
        "{{\"prompt\": \"fine\", \"model\": \"{model}\"}}\n{{\"prompt\": \"x\", \"qualty\": \"low\"}}\n\n\
         {{\"prompt\": \"y\", \"model\": \"{model}\", \"size\": \"13x13\"}}\n{{\"prompt\": \"z\", \"image\": \"gone.png\"}}\n"
    );
    std::fs::write(&file, text).unwrap();
    for dry in [true, false] {
        let mut cmd = common::imgtui_at(data.path(), "sk-test", server.base_url());
        cmd.arg("batch").arg(&file);
        if dry {
            cmd.arg("--dry-run");
        }
        let (code, _, stderr) = run(&mut cmd).await;
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains("line 2: qualty: not a request field"), "{stderr}");
        assert!(stderr.contains("line 4: size: \"13x13\""), "{stderr}");
        assert!(stderr.contains("line 5: image:"), "{stderr}");
        assert!(stderr.contains("3 problem(s); nothing was sent"), "{stderr}");
    }
    let sent = server.requests().iter().filter(|r| r.path.contains("/images/")).count();
    assert_eq!(sent, 0, "nothing was sent");
    // A dry run of a good file counts and estimates, and sends nothing either.
    std::fs::write(&file, lines(&["a", "b", "c"])).unwrap();
    let mut cmd = common::imgtui_at(data.path(), "sk-test", server.base_url());
    let (code, stdout, stderr) = run(cmd.args(["batch", "--dry-run"]).arg(&file)).await;
    assert_eq!(code, 0, "{stderr}");
    let each = common::estimate_usd(&common::priced_model(), "low", "1024x1024", 1, 1);
    let expected = format!("3 jobs, 3 images · ≈ {}", imgtui::cost::dollars(3.0 * each));
    assert!(stdout.contains(&expected), "{expected}: {stdout}");
    assert_eq!(server.requests().iter().filter(|r| r.path.contains("/images/")).count(), 0);
}

#[tokio::test]
async fn a_failed_job_makes_exit_1_and_a_429_slows_the_whole_batch() {
    let server = common::demo().await;
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("b.jsonl");
    std::fs::write(&file, lines(&["one", "two", "three", "four", "five"])).unwrap();
    let too_many = Fault::Status {
        status: 429,
        body: r#"{"error":{"message":"slow down","type":"rate_limit_error"}}"#.into(),
        headers: vec![("retry-after".into(), "1".into())],
    };
    server.faults().push(FaultRule::once(too_many).on("generations"));
    let mut cmd = common::imgtui_at(data.path(), "sk-test", server.base_url());
    let (code, stdout, stderr) = run(cmd.args(["batch", "--concurrency", "4"]).arg(&file)).await;
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stderr.contains("rate limited (HTTP 429): the batch waits 1.0s and runs 2 at a time"), "{stderr}");
    assert!(stdout.contains("batch: 5 of 5 jobs done"), "{stdout}");
    assert_eq!(stdout.matches(" done · 1 image(s)").count(), 5, "a line per job: {stdout}");

    let refusal = Fault::Status {
        status: 400,
        body: r#"{"error":{"message":"no","type":"invalid_request_error"}}"#.into(),
        headers: vec![],
    };
    server.faults().push(FaultRule::once(refusal).on("generations"));
    let mut cmd = common::imgtui_at(data.path(), "sk-test", server.base_url());
    let (code, stdout, _) = run(cmd.args(["batch", "--json", "--concurrency", "1"]).arg(&file)).await;
    assert_eq!(code, 1, "{stdout}");
    let summary: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!((summary["done"].as_u64(), summary["failed"].as_u64()), (Some(4), Some(1)), "{summary}");
}

#[tokio::test]
async fn a_batch_killed_midway_is_finished_by_resume_running_only_what_is_left() {
    // Slow enough to be killed in the middle: 300 ms per image.
    let config = DemoConfig {
        latency_per_image: (Duration::from_millis(300), Duration::from_millis(300)),
        ..DemoConfig::instant()
    };
    let server = common::demo_with(config).await;
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("b.yaml");
    let yaml: String = (1..=6)
        .map(|i| format!("- prompt: fox {i}\n  model: {}\n  quality: low\n  size: 1024x1024\n", common::priced_model()))
        .collect();
    std::fs::write(&file, yaml).unwrap();
    let mut cmd = common::imgtui_at(data.path(), "sk-test", server.base_url());
    let mut child = cmd.args(["batch", "--concurrency", "1"]).arg(&file).kill_on_drop(true).spawn().unwrap();
    let done =
        || Store::open_read_only(data.path()).ok().and_then(|s| s.count(Some(JobStatus::Done)).ok()).unwrap_or(0);
    assert!(common::wait_until(Duration::from_secs(30), || done() >= 2).await, "two jobs done");
    child.start_kill().unwrap();
    child.wait().await.unwrap();
    let before = done();
    assert!(before < 6, "killed mid-way");
    let mut cmd = common::imgtui_at(data.path(), "sk-test", server.base_url());
    let (code, stdout, stderr) = run(cmd.args(["batch", "--resume", "--json"]).arg(&file)).await;
    assert_eq!(code, 0, "{stdout}{stderr}");
    let summary: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(summary["skipped"].as_u64(), Some(before), "{summary}");
    assert_eq!(summary["done"].as_u64(), Some(6 - before), "only what was left ran: {summary}");
    assert_eq!(done(), 6, "every entry has a done job");
    // All done: a third run has nothing to do.
    let mut cmd = common::imgtui_at(data.path(), "sk-test", server.base_url());
    let (code, stdout, _) = run(cmd.args(["batch", "--resume", "--json"]).arg(&file)).await;
    assert_eq!(code, 0);
    assert!(stdout.contains("\"skipped\":6"), "{stdout}");
}

#[tokio::test]
async fn a_batch_stopped_by_a_signal_counts_its_running_job_as_stopped_not_failed() {
    let config = DemoConfig {
        latency_per_image: (Duration::from_millis(400), Duration::from_millis(400)),
        ..DemoConfig::instant()
    };
    let server = common::demo_with(config).await;
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("b.jsonl");
    std::fs::write(&file, lines(&["one", "two", "three", "four"])).unwrap();
    let mut cmd = common::imgtui_at(data.path(), "sk-test", server.base_url());
    cmd.args(["batch", "--concurrency", "1", "--json"]).arg(&file).stdout(std::process::Stdio::piped());
    let child = cmd.kill_on_drop(true).spawn().unwrap();
    let running =
        || Store::open_read_only(data.path()).ok().and_then(|s| s.count(Some(JobStatus::Running)).ok()).unwrap_or(0);
    let done =
        || Store::open_read_only(data.path()).ok().and_then(|s| s.count(Some(JobStatus::Done)).ok()).unwrap_or(0);
    assert!(
        common::wait_until(Duration::from_secs(30), || done() >= 1 && running() == 1).await,
        "one done, one running"
    );
    let pid = rustix::process::Pid::from_raw(child.id().unwrap() as i32).unwrap();
    rustix::process::kill_process(pid, rustix::process::Signal::TERM).unwrap();
    let out = tokio::time::timeout(Duration::from_secs(30), child.wait_with_output()).await.unwrap().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let summary: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(summary["stopped"].as_u64(), Some(1), "{stdout}");
    assert_eq!(summary["failed"].as_u64(), Some(0), "a stopped job is not a failed one: {stdout}");
    assert!(stdout.contains("\"error\":\"stopped\""), "{stdout}");
    let total = ["done", "stopped", "not_started"].iter().map(|k| summary[k].as_u64().unwrap()).sum::<u64>();
    assert_eq!(total, 4, "{summary}");
}

#[tokio::test]
async fn with_a_budget_kept_entries_that_cannot_be_estimated_do_not_run_blind() {
    let server = common::demo().await;
    let data = tempfile::tempdir().unwrap();
    let config = data.path().join("config/imgtui");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "budget_daily_usd = 0.001\n").unwrap();
    let file = data.path().join("auto.jsonl");
    // Quality auto: no price table, no formula, no earlier jobs to go by.
    let text: String = (1..=4).map(|i| format!("{{\"prompt\": \"auto {i}\", \"model\": \"gpt-image-2\"}}\n")).collect();
    std::fs::write(&file, text).unwrap();
    let mut cmd = common::imgtui_at(data.path(), "sk-test", server.base_url());
    let (code, stdout, _) = run(cmd.args(["batch", "--dry-run"]).arg(&file)).await;
    assert_eq!(code, 0);
    assert!(stdout.contains("running it would be refused: 4 entries cannot be estimated"), "{stdout}");
    let mut cmd = common::imgtui_at(data.path(), "sk-test", server.base_url());
    let (code, _, stderr) = run(cmd.args(["batch", "--concurrency", "4"]).arg(&file)).await;
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("cannot be estimated") && stderr.contains("--over-budget"), "{stderr}");
    assert_eq!(server.requests().iter().filter(|r| r.path.contains("/images/")).count(), 0, "nothing sent");
}
