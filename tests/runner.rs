//! The app's job runner over real HTTP. Nothing the API returned is lost: when neither the
//! output folder nor the rescue folder can take an image, it waits in memory, the app says so,
//! and a retry writes it once a folder can. And a fresh answer's first image is decoded while it
//! is written, so its preview does not decode the file again.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use imgtui::api::{GenerateRequest, Progress};
use imgtui::preview::WarmPixels;
use imgtui::store::{ImageRequest, JobStatus, SharedStore, Store};
use imgtui::tui::event::{AppEvent, Command};
use imgtui::tui::runner::Runner;
use tokio::sync::mpsc;

async fn next_event(
    rx: &mut mpsc::UnboundedReceiver<AppEvent>,
    what: &str,
    pick: impl Fn(&AppEvent) -> bool,
) -> AppEvent {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let event = tokio::time::timeout_at(deadline, rx.recv()).await.unwrap_or_else(|_| panic!("no {what} in time"));
        let event = event.expect("the runner is alive");
        if pick(&event) {
            return event;
        }
    }
}

#[tokio::test]
async fn images_no_folder_takes_wait_in_memory_until_a_retry_writes_them() {
    let server = common::demo().await;
    let data = tempfile::tempdir().unwrap();
    let store = SharedStore::new(Store::open(data.path()).unwrap());
    // A file where the folders should be: nothing can be created below it.
    let blocker = data.path().join("blocker");
    std::fs::write(&blocker, b"in the way").unwrap();
    let dirs = imgtui::jobs::Folders::new(blocker.join("out")).with_rescue(blocker.join("rescue"));
    let (tx, mut rx) = mpsc::unbounded_channel();
    let runner = Runner::new(Arc::new(common::client(&server)), store.clone(), dirs.clone(), 1, tx);

    let request = ImageRequest::Generate(GenerateRequest::new("dall-e-2", "a kept fox"));
    runner.execute(Command::Submit { requests: vec![request], parent: None, budget: None });
    let unsaved = next_event(&mut rx, "Unsaved", |e| matches!(e, AppEvent::Unsaved { .. })).await;
    let AppEvent::Unsaved { id, count, reason, .. } = unsaved else { unreachable!() };
    assert_eq!(count, 1);
    assert!(reason.contains("cannot write"), "{reason}");
    let finished = next_event(&mut rx, "JobFinished", |e| matches!(e, AppEvent::JobFinished { .. })).await;
    // Not one image kept: not done (issue 13), though the image waits in memory.
    assert!(
        matches!(&finished, AppEvent::JobFinished { end, .. } if end.status() == JobStatus::Failed),
        "{finished:?}"
    );
    let job = store.run(move |s| s.job(id)).await.unwrap().unwrap();
    assert_eq!(job.status, JobStatus::Failed);
    assert!(job.images.is_empty() && job.error.unwrap().contains("not written"));

    // A retry while the folders are still blocked keeps the image waiting.
    runner.execute(Command::RetrySave);
    let retried = next_event(&mut rx, "SaveRetried", |e| matches!(e, AppEvent::SaveRetried { .. })).await;
    assert!(matches!(retried, AppEvent::SaveRetried { written: 0, waiting: 1, .. }), "{retried:?}");

    // The disk has room again: the retry writes the image and records it.
    std::fs::remove_file(&blocker).unwrap();
    runner.execute(Command::RetrySave);
    let retried = next_event(&mut rx, "SaveRetried", |e| matches!(e, AppEvent::SaveRetried { .. })).await;
    assert!(matches!(retried, AppEvent::SaveRetried { written: 1, waiting: 0, .. }), "{retried:?}");
    let job = store.run(move |s| s.job(id)).await.unwrap().unwrap();
    assert_eq!(job.images.len(), 1);
    assert_eq!(job.status, JobStatus::Done, "kept at last: done");
    assert!(job.images[0].path.starts_with(&dirs.out));
    assert_eq!(image::open(&job.images[0].path).unwrap().to_rgba8().dimensions(), (1024, 1024));
}

#[tokio::test]
async fn the_first_image_is_decoded_while_it_is_written_and_handed_to_its_preview() {
    let server = common::demo().await;
    let data = tempfile::tempdir().unwrap();
    let store = SharedStore::new(Store::open(data.path()).unwrap());
    let (tx, mut rx) = mpsc::unbounded_channel();
    let warm = WarmPixels::default();
    let runner = Runner::new(
        Arc::new(common::client(&server)),
        store.clone(),
        imgtui::jobs::Folders::new(data.path().join("out")),
        1,
        tx,
    )
    .with_warm_pixels(warm.clone());

    let mut request = GenerateRequest::new("gpt-image-1", "a warm fox");
    request.options.size = Some("1536x1024".into());
    request.options.n = Some(2);
    runner.execute(Command::Submit { requests: vec![ImageRequest::Generate(request)], parent: None, budget: None });
    let received = next_event(&mut rx, "the answer", |e| {
        matches!(e, AppEvent::JobProgress { progress: Progress::Received { .. }, .. } | AppEvent::JobFinished { .. })
    })
    .await;
    assert!(matches!(received, AppEvent::JobProgress { .. }), "the answer is announced before the job ends");
    let finished = next_event(&mut rx, "JobFinished", |e| matches!(e, AppEvent::JobFinished { .. })).await;
    let AppEvent::JobFinished { id, end } = finished else { panic!("{finished:?}") };
    assert_eq!(end.status(), JobStatus::Done, "{end:?}");
    let job = store.run(move |s| s.job(id)).await.unwrap().unwrap();
    let first = job.images.iter().find(|i| i.index == 0).unwrap();
    let pixels = warm.take(&first.path).expect("the first image's pixels wait for its preview");
    assert_eq!(pixels, image::open(&first.path).unwrap().into_rgba8(), "the same pixels as the file's");
    assert!(warm.take(&first.path).is_none(), "taken once");
    assert!(warm.take(&job.images[1].path).is_none(), "only the first image is decoded ahead");
}

/// The runner checks a budget with the history's spend of the moment, a running job counting
/// by its estimate: the second of two quick submits is held back and the app is asked.
#[tokio::test]
async fn a_request_past_a_budget_is_held_back_counting_the_jobs_still_running() {
    let slow = (Duration::from_millis(1500), Duration::from_millis(1500));
    let server =
        common::demo_with(imgtui::demo::DemoConfig { latency_per_image: slow, ..imgtui::demo::DemoConfig::instant() })
            .await;
    let data = tempfile::tempdir().unwrap();
    let store = SharedStore::new(Store::open(data.path()).unwrap());
    let (tx, mut rx) = mpsc::unbounded_channel();
    let folders = imgtui::jobs::Folders::new(data.path().join("images"));
    let runner = Runner::new(Arc::new(common::client(&server)), store.clone(), folders, 2, tx);
    // dall-e-2 at 256x256: $0.016 an image; a budget of three cents a day.
    let mut request = GenerateRequest::new("dall-e-2", "a fox");
    request.options.size = Some("256x256".into());
    let check = imgtui::cost::BudgetCheck {
        budgets: imgtui::cost::Budgets { daily: Some(0.03), monthly: None },
        estimate: Some(0.016),
    };
    let submit = || Command::Submit {
        requests: vec![ImageRequest::Generate(request.clone())],
        parent: None,
        budget: Some(check),
    };
    runner.execute(submit());
    next_event(&mut rx, "the first job queued", |e| matches!(e, AppEvent::JobQueued { .. })).await;
    runner.execute(submit());
    let held = next_event(&mut rx, "the second held back", |e| matches!(e, AppEvent::OverBudget { .. })).await;
    let AppEvent::OverBudget { message, .. } = held else { unreachable!() };
    assert!(message.contains("would pass the daily budget of $0.03"), "{message}");
    assert!(message.contains("$0.016 spent"), "the running job counted by its estimate: {message}");
    let spent = store.run(|s| s.spent()).await.unwrap();
    assert!((spent.today - 0.016).abs() < 1e-12, "one job in the history: {spent:?}");
}

#[tokio::test]
async fn the_app_hears_of_jobs_another_process_records() {
    let server = common::demo().await;
    let data = tempfile::tempdir().unwrap();
    let store = SharedStore::new(Store::open(data.path()).unwrap());
    let dirs = imgtui::jobs::Folders::new(data.path().join("images"));
    let (tx, mut rx) = mpsc::unbounded_channel();
    let runner = Runner::new(Arc::new(common::client(&server)), store.clone(), dirs, 1, tx);
    runner.watch_others().await;
    // Our own writes are not news.
    let request = ImageRequest::Generate(GenerateRequest::new("gpt-image-1", "ours"));
    store.run(move |s| s.insert_job(&request, "demo", "u", None, &[], 1)).await.unwrap();
    // Another process's are (a second connection stands for it).
    let mut other = Store::open(data.path()).unwrap();
    let request = ImageRequest::Generate(GenerateRequest::new("gpt-image-1", "theirs"));
    other.insert_job(&request, "demo", "u", None, &[], 2).unwrap();
    next_event(&mut rx, "news of the other's job", |e| matches!(e, AppEvent::HistoryChanged)).await;
}

/// Ctrl-S, then `q` in the same burst: the quit question's hold reaches the runner just after
/// the job was queued. The job is not sent while the question is open, and goes once it is
/// answered "stay".
#[tokio::test]
async fn a_hold_that_comes_just_after_the_submit_keeps_the_job_unsent() {
    let server = common::demo().await;
    let data = tempfile::tempdir().unwrap();
    let store = SharedStore::new(Store::open(data.path()).unwrap());
    let (tx, mut rx) = mpsc::unbounded_channel();
    let dirs = imgtui::jobs::Folders::new(data.path().join("out"));
    let runner = Runner::new(Arc::new(common::client(&server)), store, dirs, 1, tx);
    let request = ImageRequest::Generate(GenerateRequest::new("dall-e-2", "a fox, then quit"));
    runner.execute(Command::Submit { requests: vec![request], parent: None, budget: None });
    next_event(&mut rx, "JobQueued", |e| matches!(e, AppEvent::JobQueued { .. })).await;
    runner.execute(Command::HoldQueue(true));
    // Nothing starts within the next half second (the question is open)…
    let quiet = tokio::time::timeout(Duration::from_millis(500), async {
        loop {
            if let Some(AppEvent::JobStarted { .. }) = rx.recv().await {
                return;
            }
        }
    })
    .await;
    assert!(quiet.is_err(), "the job started while the quit question held the queue");
    assert!(server.requests().is_empty(), "nothing was sent");
    // …and it goes once the question is answered "stay".
    runner.execute(Command::HoldQueue(false));
    let finished = next_event(&mut rx, "JobFinished", |e| matches!(e, AppEvent::JobFinished { .. })).await;
    assert!(matches!(&finished, AppEvent::JobFinished { end, .. } if end.status() == JobStatus::Done), "{finished:?}");
    assert_eq!(server.requests().len(), 1);
}

/// Another process holds the history while a job is submitted: the app hears at once that the
/// submit waits for it (not a job that vanished), and the job goes once the history is free.
#[tokio::test]
async fn a_submit_that_waits_for_a_locked_history_says_so_and_goes_when_it_is_free() {
    let server = common::demo().await;
    let data = tempfile::tempdir().unwrap();
    let store = SharedStore::new(Store::open(data.path()).unwrap());
    let holder = rusqlite::Connection::open(data.path().join(imgtui::store::DB_FILE)).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let dirs = imgtui::jobs::Folders::new(data.path().join("out"));
    let runner = Runner::new(Arc::new(common::client(&server)), store, dirs, 1, tx);
    let request = ImageRequest::Generate(GenerateRequest::new("dall-e-2", "a patient fox"));
    runner.execute(Command::Submit { requests: vec![request], parent: None, budget: None });
    next_event(&mut rx, "SubmitWaiting", |e| matches!(e, AppEvent::SubmitWaiting)).await;
    assert!(server.requests().is_empty());
    holder.execute_batch("COMMIT").unwrap();
    let finished = next_event(&mut rx, "JobFinished", |e| matches!(e, AppEvent::JobFinished { .. })).await;
    assert!(matches!(&finished, AppEvent::JobFinished { end, .. } if end.status() == JobStatus::Done), "{finished:?}");
}
