//! Where a job of this app is in its life, as the history row shows it.

use std::fmt;
use std::time::Duration;

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
