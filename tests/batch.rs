//! `imgtui batch` end to end against a demo server over real HTTP: every problem with its
//! line before anything is sent, the exit codes, a 429 that slows the whole batch, and a
//! batch killed mid-way that `--resume` finishes by running only what is left.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use imgtui::demo::DemoConfig;
use imgtui::demo::faults::{Fault, FaultRule};
use imgtui::store::{JobStatus, Store};

async fn run(cmd: &mut tokio::process::Command) -> (i32, String, String) {
    let out = tokio::time::timeout(Duration::from_secs(60), cmd.output()).await.expect("in time").unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

/// How many jobs of the history at `data` have `status` (0 while it cannot be read).
fn count(data: &std::path::Path, status: JobStatus) -> u64 {
    Store::open_read_only(data).ok().and_then(|s| s.count(Some(status)).ok()).unwrap_or(0)
}

/// How many image requests `server` served.
fn served(server: &imgtui::demo::DemoServer) -> usize {
    server.requests().iter().filter(|r| r.path.contains("/images/")).count()
}

/// A 429 answer that says to wait `secs`.
fn too_many(secs: u32) -> Fault {
    Fault::Status {
        status: 429,
        body: r#"{"error":{"message":"slow down","type":"rate_limit_error"}}"#.into(),
        headers: vec![("retry-after".into(), secs.to_string())],
    }
}

/// `imgtui ARGS FILE` against `server`, started and left running (its output piped).
fn spawn_batch(
    data: &std::path::Path,
    server: &imgtui::demo::DemoServer,
    args: &[&str],
    file: &std::path::Path,
) -> tokio::process::Child {
    let mut cmd = common::imgtui_at(data, "sk-test", server.base_url());
    cmd.args(args).arg(file).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    cmd.kill_on_drop(true).spawn().unwrap()
}

/// Sends `signal` to `child` and waits (with a deadline) for its output.
async fn signal_and_wait(child: tokio::process::Child, signal: rustix::process::Signal) -> std::process::Output {
    let pid = rustix::process::Pid::from_raw(child.id().unwrap() as i32).unwrap();
    rustix::process::kill_process(pid, signal).unwrap();
    tokio::time::timeout(Duration::from_secs(30), child.wait_with_output()).await.unwrap().unwrap()
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

/// A batch waiting out a 429 has nothing queued or running, yet its entries are its own: a
/// second run of the file (`--resume` after a dropped session) is refused instead of paying for
/// them too, and the entry after the 429 waits the server's retry-after.
#[tokio::test]
async fn a_batch_waiting_out_a_429_keeps_its_entries_from_a_second_run() {
    let server = common::demo().await;
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("b.jsonl");
    std::fs::write(&file, lines(&["one", "two", "three", "four"])).unwrap();
    // The second request is refused with a 429 and no retries are allowed.
    server.faults().push(FaultRule { path: "generations".into(), ..FaultRule::once(Fault::Delay { ms: 0 }) });
    server.faults().push(FaultRule::once(too_many(4)).on("generations"));
    let first = spawn_batch(data.path(), &server, &["--retries", "0", "batch", "--concurrency", "1"], &file);
    let failed = || count(data.path(), JobStatus::Failed);
    assert!(common::wait_until(Duration::from_secs(30), || failed() == 1).await, "the 429 ended entry 2");
    let sent_before = served(&server);
    let mut cmd = common::imgtui_at(data.path(), "sk-test", server.base_url());
    let (code, _, stderr) = run(cmd.args(["batch", "--resume"]).arg(&file)).await;
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("run by imgtui pid"), "{stderr}");
    assert_eq!(served(&server), sent_before, "the second run sent nothing, and the first waits out the 429");
    let out = tokio::time::timeout(Duration::from_secs(60), first.wait_with_output()).await.unwrap().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "entry 2 failed: {said}");
    assert_eq!(served(&server), 3, "entries 1, 3 and 4 served once each (the 429 served nothing): {said}");
    // Its claims went with it: a resume now runs the failed entry only.
    let mut cmd = common::imgtui_at(data.path(), "sk-test", server.base_url());
    let (code, stdout, stderr) = run(cmd.args(["batch", "--resume"]).arg(&file)).await;
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(served(&server), 4);
}

/// A dropped SSH session (SIGHUP) asked nothing to stop: the entry on its way (paid for)
/// arrives and is kept, the entries waiting do not start, and `--resume` runs only those.
#[tokio::test]
async fn a_hung_up_batch_keeps_what_it_sent_and_starts_nothing_more() {
    let config = DemoConfig {
        latency_per_image: (Duration::from_millis(1500), Duration::from_millis(1500)),
        ..DemoConfig::instant()
    };
    let server = common::demo_with(config).await;
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("b.jsonl");
    std::fs::write(&file, lines(&["one", "two", "three"])).unwrap();
    let child = spawn_batch(data.path(), &server, &["batch", "--concurrency", "1"], &file);
    let sent = || count(data.path(), JobStatus::Running) == 1;
    assert!(common::wait_until(Duration::from_secs(30), sent).await, "entry 1 sent");
    let out = signal_and_wait(child, rustix::process::Signal::HUP).await;
    assert_eq!(out.status.code(), Some(129));
    assert_eq!(count(data.path(), JobStatus::Done), 1, "the answer on its way was kept");
    assert_eq!(served(&server), 1, "nothing more sent");
    let mut cmd = common::imgtui_at(data.path(), "sk-test", server.base_url());
    let (code, stdout, stderr) = run(cmd.args(["batch", "--resume", "--json"]).arg(&file)).await;
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("\"skipped\":1"), "{stdout}");
}

/// A hang-up while a request waits to be tried again (after a 429): the retry, a new request,
/// is not sent; the batch ends 129.
#[tokio::test]
async fn a_hang_up_sends_no_retry() {
    let server = common::demo().await;
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("b.jsonl");
    std::fs::write(&file, lines(&["one", "two"])).unwrap();
    server.faults().push(FaultRule::once(too_many(5)).on("generations"));
    let child = spawn_batch(data.path(), &server, &["batch", "--concurrency", "1"], &file);
    let waiting = || server.faults().pending() == 0 && count(data.path(), JobStatus::Running) == 1;
    assert!(common::wait_until(Duration::from_secs(30), waiting).await, "the 429 met, the retry waiting");
    let out = signal_and_wait(child, rustix::process::Signal::HUP).await;
    assert_eq!(out.status.code(), Some(129));
    assert_eq!(served(&server), 0, "no retry was sent");
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
    let done = || count(data.path(), JobStatus::Done);
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
    let child = spawn_batch(data.path(), &server, &["batch", "--concurrency", "1", "--json"], &file);
    let one_each = || count(data.path(), JobStatus::Done) >= 1 && count(data.path(), JobStatus::Running) == 1;
    assert!(common::wait_until(Duration::from_secs(30), one_each).await, "one done, one running");
    let out = signal_and_wait(child, rustix::process::Signal::TERM).await;
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
    // A model the config prices by the token, with no formula: its bill is known after, not before.
    let declared = "budget_daily_usd = 0.001\n[models.\"acme-draw\"]\nlike = \"gpt-image-2\"\n\
                    [prices.openai.\"acme-draw\"]\nimage_out = 30.0\ntext_in = 5.0\n";
    std::fs::write(config.join("config.toml"), declared).unwrap();
    let file = data.path().join("auto.jsonl");
    let text: String = (1..=4).map(|i| format!("{{\"prompt\": \"auto {i}\", \"model\": \"acme-draw\"}}\n")).collect();
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

#[tokio::test]
async fn an_input_replaced_by_a_fifo_during_the_run_fails_its_entry_and_the_batch_ends() {
    let config = DemoConfig {
        latency_per_image: (Duration::from_millis(300), Duration::from_millis(300)),
        ..DemoConfig::instant()
    };
    let server = common::demo_with(config).await;
    let data = tempfile::tempdir().unwrap();
    let first = common::write_png(data.path(), "first.png", (64, 64), [200, 10, 10, 255], None);
    let second = common::write_png(data.path(), "second.png", (64, 64), [10, 200, 10, 255], None);
    let file = data.path().join("b.jsonl");
    let lines = format!(
        "{{\"prompt\": \"a hat\", \"model\": \"gpt-image-2\", \"image\": {first:?}}}\n\
         {{\"prompt\": \"a scarf\", \"model\": \"gpt-image-2\", \"image\": {second:?}}}\n"
    );
    std::fs::write(&file, lines).unwrap();
    let mut cmd = common::imgtui_at(data.path(), "sk-test", server.base_url());
    let child = cmd.args(["batch", "--concurrency", "1", "--json"]).arg(&file).kill_on_drop(true);
    let child = child.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    let running =
        || Store::open_read_only(data.path()).ok().and_then(|s| s.count(Some(JobStatus::Running)).ok()).unwrap_or(0);
    assert!(common::wait_until(Duration::from_secs(30), || running() == 1).await, "the first job runs");
    // Checked before the run, swapped for a pipe nobody writes to during it.
    std::fs::remove_file(&second).unwrap();
    rustix::fs::mknodat(rustix::fs::CWD, &second, rustix::fs::FileType::Fifo, rustix::fs::Mode::from(0o600), 0)
        .unwrap();
    let out = tokio::time::timeout(Duration::from_secs(30), child.wait_with_output()).await.expect("it ends").unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("not a regular file"), "the second entry names why: {stdout}");
    let summary: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!((summary["done"].as_u64(), summary["failed"].as_u64()), (Some(1), Some(1)), "{summary}");
}

#[tokio::test]
async fn a_budget_reached_mid_batch_stops_what_waits_and_keeps_what_was_sent() {
    let config = DemoConfig {
        latency_per_image: (Duration::from_millis(400), Duration::from_millis(400)),
        ..DemoConfig::instant()
    };
    let server = common::demo_with(config).await;
    let data = tempfile::tempdir().unwrap();
    let model = common::priced_model();
    let each = common::estimate_usd(&model, "low", "1024x1024", 1, 3);
    let config_dir = data.path().join("config/imgtui");
    std::fs::create_dir_all(&config_dir).unwrap();
    // Room for the whole batch when it starts.
    std::fs::write(config_dir.join("config.toml"), format!("budget_daily_usd = {:.4}\n", each * 10.0)).unwrap();
    // The first entry is slow (three images), the second quick: the third is refused while the
    // first is still in flight.
    let file = data.path().join("b.jsonl");
    let slow = lines(&["one"]).replace("\"quality\"", "\"n\": 3, \"quality\"");
    std::fs::write(&file, format!("{slow}{}", lines(&["two", "six"]))).unwrap();
    let mut cmd = common::imgtui_at(data.path(), "sk-test", server.base_url());
    let child = cmd.args(["batch", "--concurrency", "2", "--json"]).arg(&file).kill_on_drop(true);
    let child = child.stdout(std::process::Stdio::piped()).spawn().unwrap();
    let running =
        || Store::open_read_only(data.path()).ok().and_then(|s| s.count(Some(JobStatus::Running)).ok()).unwrap_or(0);
    assert!(common::wait_until(Duration::from_secs(30), || running() == 2).await, "two jobs run");
    // Meanwhile another process spends the rest of the day's budget.
    let mut store = Store::open(data.path()).unwrap();
    let request = imgtui::store::ImageRequest::Generate(imgtui::api::GenerateRequest::new(model.as_str(), "elsewhere"));
    let spent = common::new_job(&request, common::now_ms(), each * 20.0, None);
    assert!(matches!(store.admit_jobs(&[spent], None, None).unwrap(), imgtui::store::Admitted::Queued(_)));
    let out = tokio::time::timeout(Duration::from_secs(30), child.wait_with_output()).await.unwrap().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let first = lines.iter().find(|l| l["line"] == 1).unwrap();
    assert_eq!(first["ok"], true, "the job in flight when the budget was reached finished and was kept: {stdout}");
    assert!(first["cost_usd"].as_f64().is_some(), "and its cost counted: {stdout}");
    let third = lines.iter().find(|l| l["line"] == 3).unwrap();
    assert_eq!(third["ok"], false, "{stdout}");
    // Which entry got job id 1 is a race between the two workers: ask line 1's own job.
    let id = first["job"].as_i64().unwrap();
    let job = common::job_json(data.path(), id).await;
    assert_eq!(job["status"], "done", "{job}");
    assert_eq!(job["images"].as_array().map(Vec::len), Some(3), "{job}");
}

#[tokio::test]
async fn resume_while_the_first_run_still_runs_refuses_naming_its_pid() {
    let config = DemoConfig {
        latency_per_image: (Duration::from_millis(500), Duration::from_millis(500)),
        ..DemoConfig::instant()
    };
    let server = common::demo_with(config).await;
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("b.jsonl");
    std::fs::write(&file, lines(&["one", "two", "three", "four"])).unwrap();
    let mut cmd = common::imgtui_at(data.path(), "sk-test", server.base_url());
    let first = cmd.args(["batch", "--concurrency", "1"]).arg(&file).kill_on_drop(true).spawn().unwrap();
    let pid = first.id().unwrap();
    let running =
        || Store::open_read_only(data.path()).ok().and_then(|s| s.count(Some(JobStatus::Running)).ok()).unwrap_or(0);
    assert!(common::wait_until(Duration::from_secs(30), || running() == 1).await, "the first run is under way");
    let mut cmd = common::imgtui_at(data.path(), "sk-test", server.base_url());
    let (code, _, stderr) = run(cmd.args(["batch", "--resume"]).arg(&file)).await;
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains(&format!("imgtui pid {pid}")), "{stderr}");
    let sent_before = server.requests().iter().filter(|r| r.path.contains("/images/")).count();
    let out = first.wait_with_output().await.unwrap();
    assert!(out.status.success());
    let sent = server.requests().iter().filter(|r| r.path.contains("/images/")).count();
    assert_eq!(sent, 4, "four entries, four requests (before the refusal: {sent_before})");
}

#[tokio::test]
async fn an_entry_without_a_model_is_not_sent_again_when_the_default_model_changes() {
    let server = common::demo().await;
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("b.jsonl");
    std::fs::write(&file, "{\"prompt\": \"a fox\", \"quality\": \"low\", \"size\": \"1024x1024\"}\n").unwrap();
    let config_dir = data.path().join("config/imgtui");
    std::fs::create_dir_all(&config_dir).unwrap();
    let with_default = |model: &str| {
        std::fs::write(config_dir.join("config.toml"), format!("default_model = \"{model}\"\n")).unwrap();
    };
    with_default("gpt-image-2");
    let mut cmd = common::imgtui_at(data.path(), "sk-test", server.base_url());
    let (code, _, stderr) = run(cmd.args(["batch", "--json"]).arg(&file)).await;
    assert_eq!(code, 0, "{stderr}");
    with_default(&common::priced_model());
    let mut cmd = common::imgtui_at(data.path(), "sk-test", server.base_url());
    let (code, stdout, stderr) = run(cmd.args(["batch", "--resume", "--json"]).arg(&file)).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("\"skipped\":1"), "done is done, whatever the default is now: {stdout}");
}

#[tokio::test]
async fn a_429_that_ends_a_job_slows_the_batch_too() {
    let server = common::demo().await;
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("b.jsonl");
    std::fs::write(&file, lines(&["one", "two", "three"])).unwrap();
    let too_many = Fault::Status {
        status: 429,
        body: r#"{"error":{"message":"slow down","type":"rate_limit_error"}}"#.into(),
        headers: vec![("retry-after".into(), "1".into())],
    };
    server.faults().push(FaultRule::once(too_many).on("generations"));
    let mut cmd = common::imgtui_at(data.path(), "sk-test", server.base_url());
    let (code, stdout, stderr) = run(cmd.args(["--retries", "0", "batch", "--concurrency", "1"]).arg(&file)).await;
    assert_eq!(code, 1, "one failed: {stdout}{stderr}");
    assert!(stderr.contains("rate limited (HTTP 429): the batch waits 1.0s"), "{stderr}");
    assert!(stdout.contains("2 of 3 jobs done"), "{stdout}");
}
