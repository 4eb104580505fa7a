//! Running a batch's entries: in file order, as many at once as the pace allows, each recorded
//! with its entry's key, a line printed as each ends. A signal cancels what runs and what
//! waits; a hang-up or a budget reached stops what waits only: what was sent is paid for, and
//! is kept.

use std::time::{Duration, Instant};

use serde_json::json;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::{Entry, Pace};
use crate::api::{Progress, RequestControl};
use crate::cli::BatchArgs;
use crate::engine::Engine;
use crate::jobs::{self, JobOutcome};
use crate::store::Admitted;
use crate::text::escape_controls;

/// What the batch came to.
#[derive(Debug, Default)]
pub(super) struct Totals {
    pub jobs: usize,
    pub done: usize,
    pub failed: usize,
    /// Cancelled by a signal while running: not failed, and `--resume` runs them again.
    pub stopped: usize,
    pub images: usize,
    pub cost_usd: f64,
    pub unpriced: usize,
    /// The signal that stopped the batch, if one did.
    pub stopped_by: Option<i32>,
    pub elapsed: Duration,
}

/// How long the batch waits after a 429 that said nothing of when to try again.
const FINAL_429_WAIT: Duration = Duration::from_secs(8);

/// How one entry ended, for its line and the totals.
enum Ended {
    Done {
        job: i64,
        images: Vec<String>,
        cost: Option<f64>,
    },
    Failed {
        job: Option<i64>,
        why: String,
    },
    /// Cancelled while running, by a signal that stopped the batch.
    Stopped {
        job: i64,
    },
    /// Never started: the batch was stopped first (why).
    NotStarted {
        why: &'static str,
    },
}

/// How a batch stops: `cancel` (a signal) cancels what runs; `no_more` (a signal, or a budget
/// reached) only keeps what waits from starting.
struct Stopping {
    cancel: CancellationToken,
    no_more: CancellationToken,
    /// The terminal hung up: what waits does not start, what was sent finishes.
    hung_up: std::sync::atomic::AtomicBool,
}

impl Stopping {
    fn new() -> Self {
        let cancel = CancellationToken::new();
        Self { no_more: cancel.child_token(), cancel, hung_up: Default::default() }
    }

    fn not_started(&self) -> Ended {
        let why = if self.cancel.is_cancelled() || self.hung_up.load(std::sync::atomic::Ordering::Relaxed) {
            "the batch was stopped"
        } else {
            "a budget was reached"
        };
        Ended::NotStarted { why }
    }
}

pub(super) async fn run_all(engine: &Engine, args: &BatchArgs, todo: Vec<Entry>) -> Totals {
    let started = Instant::now();
    let pace = Pace::new(usize::from(args.concurrency));
    let stop = Stopping::new();
    let total = todo.len();
    let out_dir = args.output.out.clone().unwrap_or_else(|| engine.out_dir.clone());
    let folders = jobs::Folders::new(out_dir).with_fallback(engine.out_dir.clone());
    let finished = std::sync::atomic::AtomicUsize::new(0);
    let runs = todo.iter().map(|entry| async {
        let ended = run_one(engine, args, &pace, &stop, &folders, entry).await;
        let number = finished.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        print_line(entry, &ended, number, total, args.output.json);
        ended
    });
    let all = futures::future::join_all(runs);
    tokio::pin!(all);
    let mut stops = crate::signals::Stops::new();
    let mut stopped_by = None;
    let ended = tokio::select! {
        ended = &mut all => ended,
        number = stops.next() => {
            stopped_by = Some(number);
            if number == crate::signals::HANGUP {
                // A dropped session: what waits never starts, what was sent (paid for) is let
                // arrive and be kept; another signal still cancels it.
                crate::signals::leave_the_terminal();
                stop.hung_up.store(true, std::sync::atomic::Ordering::Relaxed);
                stop.no_more.cancel();
                tokio::select! {
                    ended = &mut all => ended,
                    _ = stops.next_after_hangup() => {
                        stop.cancel.cancel();
                        all.await
                    }
                }
            } else {
                // What runs is cancelled (each job records how it ended), what waits never starts.
                stop.cancel.cancel();
                all.await
            }
        }
    };
    let mut totals = Totals { jobs: total, stopped_by, elapsed: started.elapsed(), ..Totals::default() };
    for ended in ended {
        match ended {
            Ended::Done { images, cost, .. } => {
                totals.done += 1;
                totals.images += images.len();
                match cost {
                    Some(usd) => totals.cost_usd += usd,
                    None => totals.unpriced += 1,
                }
            }
            Ended::Failed { .. } => totals.failed += 1,
            Ended::Stopped { .. } => totals.stopped += 1,
            Ended::NotStarted { .. } => {}
        }
    }
    totals
}

async fn run_one(
    engine: &Engine,
    args: &BatchArgs,
    pace: &Pace,
    stop: &Stopping,
    folders: &jobs::Folders,
    entry: &Entry,
) -> Ended {
    let slot = tokio::select! {
        slot = pace.start() => slot,
        _ = stop.no_more.cancelled() => return stop.not_started(),
    };
    if stop.no_more.is_cancelled() {
        return stop.not_started();
    }
    let budget = match args.over_budget {
        true => None,
        false => crate::headless::checks::budget_check(engine, &entry.request).await,
    };
    // A 429 met meanwhile by another job pauses this one too.
    pace.after_pause().await;
    if stop.no_more.is_cancelled() {
        return stop.not_started();
    }
    let requests = std::slice::from_ref(&entry.request);
    let key = Some(entry.key.clone());
    let job = match jobs::submit(&engine.store, &engine.client, &engine.prices, requests, None, budget, key, None).await
    {
        Ok(Admitted::Queued(ids)) if !ids.is_empty() => ids[0],
        Ok(Admitted::OverBudget(why)) => {
            // Spent meanwhile (here or by another process): nothing more starts, and what was
            // sent finishes and is kept.
            stop.no_more.cancel();
            return Ended::Failed { job: None, why: format!("not sent: {why} (--over-budget sends it anyway)") };
        }
        Ok(Admitted::RunningElsewhere { job, pid }) => {
            return Ended::Failed {
                job: None,
                why: format!("not sent: job {job} runs this entry in imgtui pid {pid}"),
            };
        }
        Ok(Admitted::Queued(_)) => return Ended::Failed { job: None, why: "not recorded".into() },
        Err(e) => return Ended::Failed { job: None, why: format!("not recorded: {e}") },
    };
    let (tx, rx) = mpsc::unbounded_channel();
    let ctl = RequestControl {
        cancel: stop.cancel.child_token(),
        no_retry: stop.no_more.clone(),
        progress: Some(tx),
        ..RequestControl::default()
    };
    let watcher = tokio::spawn(watch_rate_limits(rx, pace.clone(), job, args.output.json));
    let outcome = jobs::execute(&engine.client, &engine.prices, &engine.store, job, &entry.request, folders, ctl).await;
    // A 429 slowed the batch as it arrived (see `watch_rate_limits`), retried or not.
    let met_429 = watcher.await.unwrap_or(false);
    // Only now may the next entry take the slot: a 429's pause is set before it looks.
    drop(slot);
    if !met_429
        && let Some(allowed) = pace.calm()
        && !args.output.json
    {
        eprintln!("imgtui: no 429 for a while: {allowed} jobs at once again");
    }
    match outcome {
        JobOutcome::Done { saved, unsaved, lost, recorded, cost, .. } => {
            let images = saved.iter().map(|i| i.path.display().to_string()).collect();
            if unsaved.is_empty() && lost.is_empty() && recorded.is_ok() {
                Ended::Done { job, images, cost: cost.map(|c| c.usd) }
            } else {
                let why = format!("{} image(s) kept, {} not", saved.len(), unsaved.len() + lost.len());
                Ended::Failed { job: Some(job), why }
            }
        }
        JobOutcome::Failed { error, .. } => Ended::Failed { job: Some(job), why: error.to_string() },
        JobOutcome::Cancelled => Ended::Stopped { job },
    }
}

/// Tells the pace of every 429 the job meets; whether it met one.
async fn watch_rate_limits(mut rx: mpsc::UnboundedReceiver<Progress>, pace: Pace, job: i64, quiet: bool) -> bool {
    let mut met = false;
    while let Some(progress) = rx.recv().await {
        if let Progress::RateLimited { wait } = progress {
            met = true;
            let slowed = pace.rate_limited(wait.unwrap_or(FINAL_429_WAIT));
            if !quiet {
                eprintln!(
                    "imgtui: job {job}: rate limited (HTTP 429): the batch waits {:.1}s and runs {} at a time",
                    slowed.wait.as_secs_f64(),
                    slowed.allowed
                );
            }
        }
    }
    met
}

fn print_line(entry: &Entry, ended: &Ended, number: usize, total: usize, as_json: bool) {
    if as_json {
        let body = match ended {
            Ended::Done { job, images, cost } => {
                json!({ "line": entry.line, "ok": true, "job": job, "images": images, "cost_usd": cost.map(|c| rounded(c, 6)) })
            }
            Ended::Failed { job, why } => json!({ "line": entry.line, "ok": false, "job": job, "error": why }),
            Ended::Stopped { job } => json!({ "line": entry.line, "ok": false, "job": job, "error": "stopped" }),
            Ended::NotStarted { why } => {
                json!({ "line": entry.line, "ok": false, "job": null, "error": format!("not started: {why}") })
            }
        };
        crate::outln!("{body}");
        return;
    }
    let at = format!("[{number}/{total}] line {}", entry.line);
    match ended {
        Ended::Done { job, images, cost } => {
            let cost = cost.map_or_else(|| "price unknown".into(), crate::cost::dollars);
            crate::outln!("{at} · job {job} done · {} image(s) · {cost}", images.len());
            for image in images {
                crate::outln!("    {}", escape_controls(image));
            }
        }
        Ended::Failed { job: Some(job), why } => crate::outln!("{at} · job {job} failed: {}", escape_controls(why)),
        Ended::Failed { job: None, why } => crate::outln!("{at} · {}", escape_controls(why)),
        Ended::Stopped { job } => crate::outln!("{at} · job {job} stopped with the batch (--resume runs it again)"),
        Ended::NotStarted { why } => crate::outln!("{at} · not started ({why})"),
    }
}

impl Totals {
    pub(super) fn report(&self, skipped: usize, as_json: bool) {
        let not_started = self.jobs.saturating_sub(self.done + self.failed + self.stopped);
        if as_json {
            let body = json!({
                "ok": self.failed == 0 && self.stopped_by.is_none(), "jobs": self.jobs, "done": self.done,
                "failed": self.failed, "stopped": self.stopped, "not_started": not_started, "skipped": skipped,
                "images": self.images, "cost_usd": rounded(self.cost_usd, 6), "unpriced": self.unpriced,
                "seconds": rounded(self.elapsed.as_secs_f64(), 3),
            });
            crate::outln!("{body}");
            return;
        }
        let mut parts = vec![format!("{} of {} jobs done", self.done, self.jobs)];
        if self.failed > 0 {
            parts.push(format!("{} failed", self.failed));
        }
        if self.stopped > 0 {
            parts.push(format!("{} stopped", self.stopped));
        }
        if not_started > 0 {
            parts.push(format!("{not_started} not started"));
        }
        if skipped > 0 {
            parts.push(format!("{skipped} skipped (done before)"));
        }
        parts.push(format!("{} images", self.images));
        let unpriced = if self.unpriced > 0 { format!(" (+{} unpriced)", self.unpriced) } else { String::new() };
        parts.push(format!("{}{unpriced}", crate::cost::dollars(self.cost_usd)));
        parts.push(format!("{:.1}s", self.elapsed.as_secs_f64()));
        crate::outln!("batch: {}", parts.join(" · "));
    }
}

/// `value` to `places` decimals: sums of prices are not shown as 0.30000000000000004.
fn rounded(value: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (value * scale).round() / scale
}
