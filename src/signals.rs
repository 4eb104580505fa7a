//! The signals that end imgtui from outside: SIGHUP (a dropped SSH session), SIGTERM, SIGQUIT and
//! SIGINT. Caught instead of dying at once, so what has arrived is written and recorded first;
//! the process then exits with 128 + the signal's number, as a shell expects.

use tokio::signal::unix::{Signal, SignalKind, signal};

pub struct Stops {
    watched: Vec<(i32, Signal)>,
}

impl Stops {
    /// Watches the stopping signals; one that cannot be watched keeps its default action.
    pub fn new() -> Self {
        let kinds = [
            (1, SignalKind::hangup()),
            (2, SignalKind::interrupt()),
            (3, SignalKind::quit()),
            (15, SignalKind::terminate()),
        ];
        let watched = kinds
            .into_iter()
            .filter_map(|(number, kind)| match signal(kind) {
                Ok(watch) => Some((number, watch)),
                Err(e) => {
                    tracing::warn!(signal = number, "cannot watch the signal: {e}");
                    None
                }
            })
            .collect();
        Self { watched }
    }

    /// The number of the next stopping signal (pending for ever when none can be watched).
    pub async fn next(&mut self) -> i32 {
        if self.watched.is_empty() {
            return std::future::pending().await;
        }
        let waits = self.watched.iter_mut().map(|(number, watch)| {
            let number = *number;
            Box::pin(async move {
                watch.recv().await;
                number
            })
        });
        let (number, _, _) = futures::future::select_all(waits).await;
        tracing::info!(signal = number, "stopping on a signal");
        number
    }
}

impl Default for Stops {
    fn default() -> Self {
        Self::new()
    }
}

/// The exit code for a stop by signal `number`.
pub fn exit_code(number: i32) -> u8 {
    u8::try_from(128 + number).unwrap_or(1)
}
