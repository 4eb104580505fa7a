//! Progress of a headless job on stderr: retries always, and on a terminal a spinner with the
//! elapsed time.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use crate::api::Progress;
use crate::jobs::{self, Phase, SPINNER};
use crate::store::JobId;

/// Also writes the partial images of a streamed answer (job `id`) into `out_dir/partials`;
/// returns where they went once the job is over.
pub async fn report(mut rx: mpsc::UnboundedReceiver<Progress>, id: JobId, out_dir: PathBuf) -> Vec<PathBuf> {
    let mut partials = Vec::new();
    let tty = std::io::stderr().is_terminal();
    let started = Instant::now();
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    let mut frame = 0;
    let mut phase = Phase::Running;
    loop {
        tokio::select! {
            event = rx.recv() => {
                // The job is over (every sender is gone): partials already received are written.
                let Some(progress) = event else { return partials };
                if let Some(next) = Phase::after(&progress) {
                    phase = next;
                }
                match progress {
                    Progress::RetryScheduled { retry, wait, reason, .. } => {
                        clear_line();
                        let reason = crate::text::escape_controls(&reason);
                        eprintln!("imgtui: retry {retry} in {:.1} s after: {reason}", wait.as_secs_f64());
                    }
                    Progress::Partial { index, image } => {
                        let written = jobs::save_partial(out_dir.clone(), id, index, image).await;
                        clear_line();
                        match written {
                            Ok(path) => {
                                eprintln!("imgtui: partial image {} → {}", index + 1, path.display());
                                partials.push(path);
                            }
                            Err(why) => eprintln!("imgtui: {why}"),
                        }
                    }
                    _ => {}
                }
            }
            _ = tick.tick(), if tty => {
                frame = (frame + 1) % SPINNER.len();
                eprint!("\r\x1b[2K{} {phase}, {:.1} s", SPINNER[frame], started.elapsed().as_secs_f64());
                let _ = std::io::stderr().flush();
            }
        }
    }
}

pub fn clear_line() {
    if std::io::stderr().is_terminal() {
        eprint!("\r\x1b[2K");
    }
}
