//! The fault matrix as the app's job list sees it: each fault injected by the demo server over
//! real HTTP, the job run by the TUI's runner, and then its final state, message, visible
//! retries, and the output folder (whole images only, never a partial file).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use imgtui::api::{GenerateRequest, Progress, Provider};
use imgtui::demo::faults::{Fault, FaultRule, openai_error};
use imgtui::demo::{DemoConfig, DemoServer};
use imgtui::store::{ImageRequest, JobStatus, SharedStore, Store};
use imgtui::tui::event::{AppEvent, Command};
use imgtui::tui::runner::Runner;
use tokio::sync::mpsc;

struct Outcome {
    status: JobStatus,
    message: String,
    retries_seen: u32,
    files: Vec<std::path::PathBuf>,
    /// Kept so the files exist until the checks are done.
    _data: tempfile::TempDir,
}

async fn run(server: &DemoServer, model: &str, timeout: Duration, key: &str) -> Outcome {
    let data = tempfile::tempdir().unwrap();
    let store = SharedStore::new(Store::open(data.path()).unwrap());
    let mut cfg = common::config_for(server, Provider::Openai, Some(key));
    cfg.request_timeout = timeout;
    cfg.key_source = Some("$OPENAI_API_KEY".into());
    let out = data.path().join("out");
    let (tx, mut rx) = mpsc::unbounded_channel();
    let runner = Runner::new(
        Arc::new(common::client_with(cfg)),
        store,
        imgtui::jobs::Folders::new(out.clone()).with_rescue(data.path().join("rescue")),
        1,
        tx,
    );
    let request = ImageRequest::Generate(GenerateRequest::new(model, "a fox in a storm"));
    runner.execute(Command::Submit { requests: vec![request], parent: None, budget: None });
    let mut retries_seen = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let event = tokio::time::timeout_at(deadline, rx.recv()).await.expect("the job ends in time").unwrap();
        match event {
            AppEvent::JobProgress { progress: Progress::RetryScheduled { .. }, .. } => retries_seen += 1,
            AppEvent::JobFinished { id, end } => {
                // The words the app shows for it: the event goes through `update` as in the app.
                let status = end.status();
                let mut state = common::tui::state();
                imgtui::tui::update::update(
                    &mut state,
                    imgtui::tui::event::Msg::App(AppEvent::JobFinished { id, end }),
                );
                let message = state.status.notice.map(|(text, _)| text).unwrap_or_default();
                let files =
                    std::fs::read_dir(&out).map(|rd| rd.flatten().map(|e| e.path()).collect()).unwrap_or_default();
                return Outcome { status, message, retries_seen, files, _data: data };
            }
            _ => {}
        }
    }
}

/// Every file in the output folder is a whole image; no temp file is left.
fn assert_whole(files: &[std::path::PathBuf], label: &str) {
    for file in files {
        assert!(!file.to_string_lossy().ends_with(".tmp"), "{label}: a temp file was left: {file:?}");
        image::open(file).unwrap_or_else(|e| panic!("{label}: {file:?} is not a whole image: {e}"));
    }
}

#[tokio::test]
async fn each_fault_ends_the_job_in_the_right_state_with_a_clear_message() {
    let server = common::demo().await;
    let html = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    let status =
        |status: u16, body: &str, headers: Vec<(String, String)>| Fault::Status { status, body: body.into(), headers };
    // (label, fault rule, expected status, part of the message, retries shown)
    let cases: Vec<(&str, FaultRule, JobStatus, &str, u32)> = vec![
        (
            "429 retry-after",
            FaultRule::once(status(
                429,
                r#"{"error":{"message":"slow down"}}"#,
                vec![("retry-after".into(), "0".into())],
            )),
            JobStatus::Done,
            "1 image(s) saved",
            1,
        ),
        (
            "429 retry-after-ms",
            FaultRule::once(status(
                429,
                r#"{"error":{"message":"slow down"}}"#,
                vec![("retry-after-ms".into(), "30".into())],
            )),
            JobStatus::Done,
            "1 image(s) saved",
            1,
        ),
        ("500 then ok", FaultRule::once(openai_error(500, "oops")), JobStatus::Done, "saved", 1),
        (
            "502 x3",
            FaultRule::times(openai_error(502, "bad gateway"), 3),
            JobStatus::Failed,
            "HTTP 502 Bad Gateway: bad gateway",
            2,
        ),
        (
            "503 x3",
            FaultRule::times(openai_error(503, "overloaded"), 3),
            JobStatus::Failed,
            "HTTP 503 Service Unavailable: overloaded",
            2,
        ),
        (
            "reset before the answer",
            FaultRule::times(Fault::Drop, 3),
            JobStatus::Failed,
            "the connection broke during the request",
            2,
        ),
        // The answer had begun: made and billed, so never sent again.
        ("reset mid-body", FaultRule::once(Fault::Truncate), JobStatus::Failed, "broke off after", 0),
        (
            "truncated JSON",
            FaultRule::once(status(200, r#"{"created":1,"data":[{"b64_js"#, vec![])),
            JobStatus::Failed,
            "is not JSON",
            0,
        ),
        (
            "invalid base64",
            FaultRule::once(status(200, r#"{"created":1,"data":[{"b64_json":"%%%"}]}"#, vec![])),
            JobStatus::Failed,
            "b64_json is not valid base64",
            0,
        ),
        (
            "HTML from a proxy",
            FaultRule::times(status(502, html, vec![]), 3),
            JobStatus::Failed,
            "it starts with: \"502 Bad Gateway nginx\"",
            2,
        ),
        ("empty 200", FaultRule::once(status(200, "", vec![])), JobStatus::Failed, "the body is empty", 0),
        (
            "400 OpenAI body",
            FaultRule::times(
                status(400, r#"{"error":{"message":"Your prompt was flagged.","code":"moderation_blocked"}}"#, vec![]),
                3,
            ),
            JobStatus::Failed,
            "HTTP 400 Bad Request: Your prompt was flagged. (code moderation_blocked)",
            0,
        ),
        (
            "400 TTAPI envelope",
            FaultRule::times(status(400, r#"{"status":"FAILED","message":"insufficient quota"}"#, vec![]), 3),
            JobStatus::Failed,
            "HTTP 400 Bad Request: insufficient quota",
            0,
        ),
        (
            "slow body in time",
            FaultRule::once(Fault::SlowBody { chunk: 4096, every_ms: 5 }),
            JobStatus::Done,
            "saved",
            0,
        ),
    ];
    for (label, rule, expected, message, retries) in cases {
        server.faults().clear();
        server.faults().push(rule.on("generations"));
        let model = if label.contains("slow") { "dall-e-2" } else { "gpt-image-1" };
        let outcome = run(&server, model, Duration::from_secs(10), "k").await;
        assert_eq!(outcome.status, expected, "{label}: {}", outcome.message);
        assert!(outcome.message.contains(message), "{label}: {:?} lacks {message:?}", outcome.message);
        assert_eq!(outcome.retries_seen, retries, "{label}: retries shown in the job");
        assert_whole(&outcome.files, label);
        assert_eq!(outcome.files.len(), usize::from(expected == JobStatus::Done), "{label}");
    }
}

#[tokio::test]
async fn a_body_slower_than_the_timeout_fails_without_a_silent_resend() {
    let server = common::demo().await;
    server.faults().push(FaultRule::times(Fault::SlowBody { chunk: 200, every_ms: 50 }, 3));
    let outcome = run(&server, "dall-e-2", Duration::from_millis(500), "k").await;
    assert_eq!(outcome.status, JobStatus::Failed);
    assert!(outcome.message.contains("may still have made (and billed) the images"), "{}", outcome.message);
    assert_eq!(outcome.retries_seen, 0);
    assert!(outcome.files.is_empty());
}

#[tokio::test]
async fn a_refused_key_names_where_it_came_from_and_an_expired_url_is_reported() {
    let server = common::demo_with(DemoConfig {
        expected_key: Some("right".into()),
        url_ttl: Duration::ZERO,
        ..DemoConfig::instant()
    })
    .await;
    let outcome = run(&server, "gpt-image-1", Duration::from_secs(10), "wrong").await;
    assert_eq!(outcome.status, JobStatus::Failed);
    assert!(
        outcome.message.contains("HTTP 401") && outcome.message.contains("$OPENAI_API_KEY was refused"),
        "{}",
        outcome.message
    );
    assert!(!outcome.message.contains("wrong"));
    let outcome = run(&server, "dall-e-2", Duration::from_secs(10), "right").await;
    assert_eq!(outcome.status, JobStatus::Failed);
    assert!(outcome.message.contains("download failed: HTTP 404"), "{}", outcome.message);
}

#[tokio::test]
async fn a_connect_timeout_is_retried_then_reported() {
    // A listener that never accepts, its queue filled: the next connection attempt hangs.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(1).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    for _ in 0..8 {
        if let Ok(stream) = std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
            fillers.push(stream);
        }
    }
    let mut cfg =
        imgtui::api::ClientConfig::new(Provider::Openai, format!("http://{addr}/v1"), imgtui::api::ApiKey::new("k"));
    cfg.connect_timeout = Duration::from_millis(300);
    cfg.retry = common::fast_retries();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let ctl = imgtui::api::RequestControl { progress: Some(tx), ..Default::default() };
    let err = common::client_with(cfg).generate(&GenerateRequest::new("dall-e-2", "x"), &ctl).await.unwrap_err();
    assert!(matches!(err, imgtui::api::ApiError::Connect { .. }), "{err:?}");
    assert!(err.to_string().starts_with(&format!("cannot connect to http://{addr}/v1")), "{err}");
    let retries =
        std::iter::from_fn(|| rx.try_recv().ok()).filter(|p| matches!(p, Progress::RetryScheduled { .. })).count();
    assert_eq!(retries, 2, "connect failures are retried (nothing was sent)");
    drop(fillers);
}
