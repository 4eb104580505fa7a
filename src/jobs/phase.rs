//! Where a running job is in its life, as the app's history row and the headless spinner line
//! show it: one reading of the client's progress for both.

use std::fmt;
use std::time::Duration;

use crate::api::Progress;

/// Frames of the spinner beside a running job.
pub const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// Waiting for a free slot (nothing sent yet).
    Queued,
    Running,
    /// Attempt `n` (2 or more) is being sent.
    Attempt(u32),
    /// Retry `retry` starts after `wait`.
    RetryIn {
        retry: u32,
        wait: Duration,
    },
    /// Downloading `url` result `index` (1-based) of `total`.
    Downloading {
        index: usize,
        total: usize,
    },
    /// Partial image `n` (1-based) of a streamed answer arrived.
    Partial(u32),
    /// The answer is in; its images are being written.
    Writing,
}

impl Phase {
    /// The phase `progress` puts a running job in (`None`: it stays where it is).
    pub fn after(progress: &Progress) -> Option<Self> {
        match *progress {
            Progress::Attempt { number } if number > 1 => Some(Self::Attempt(number)),
            Progress::Attempt { .. } | Progress::RateLimited { .. } => None,
            Progress::RetryScheduled { retry, wait, .. } => Some(Self::RetryIn { retry, wait }),
            Progress::Downloading { index, total } => Some(Self::Downloading { index: index + 1, total }),
            Progress::Received { .. } => Some(Self::Writing),
            Progress::Partial { index, .. } => Some(Self::Partial(index + 1)),
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Queued => f.write_str("queued"),
            Self::Running => f.write_str("running"),
            Self::Attempt(n) => write!(f, "attempt {n}"),
            Self::RetryIn { retry, wait } => write!(f, "retry {retry} in {:.1}s", wait.as_secs_f64()),
            Self::Downloading { index, total } => write!(f, "downloading {index}/{total}"),
            Self::Partial(n) => write!(f, "partial {n}"),
            Self::Writing => f.write_str("writing"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_reads_the_same_for_the_app_and_the_headless_line() {
        let retry = Progress::RetryScheduled {
            retry: 2,
            wait: Duration::from_millis(1500),
            reason: "429".into(),
            status: Some(429),
        };
        assert_eq!(Phase::after(&retry).map(|p| p.to_string()).as_deref(), Some("retry 2 in 1.5s"));
        let download = Progress::Downloading { index: 0, total: 3 };
        assert_eq!(Phase::after(&download), Some(Phase::Downloading { index: 1, total: 3 }), "1-based");
        assert_eq!(Phase::after(&Progress::Attempt { number: 1 }), None, "the first attempt is just running");
        assert_eq!(Phase::after(&Progress::Attempt { number: 3 }), Some(Phase::Attempt(3)));
    }
}
