//! When to try again, and how long to wait: the official clients' policy.

use std::time::Duration;

#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The first backoff wait; it doubles each retry.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// A server-requested wait above this is ignored in favour of backoff.
    pub max_server_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_server_wait: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (0-based), honouring a reasonable server request.
    pub fn delay(&self, retry: u32, server_wait: Option<Duration>) -> Duration {
        if let Some(wait) = server_wait.filter(|w| *w <= self.max_server_wait) {
            return wait;
        }
        let doubled = self.base_delay.saturating_mul(1u32 << retry.min(16));
        let capped = doubled.min(self.max_delay);
        // Up to 25% less, so clients that failed together do not retry together.
        let jitter = 1.0 - rand::random::<f64>() * 0.25;
        capped.mul_f64(jitter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_caps_and_honours_server() {
        let p = RetryPolicy::default();
        let d0 = p.delay(0, None);
        assert!(d0 <= Duration::from_millis(500) && d0 >= Duration::from_millis(375));
        let d1 = p.delay(1, None);
        assert!(d1 <= Duration::from_secs(1) && d1 >= Duration::from_millis(750));
        assert!(p.delay(10, None) <= Duration::from_secs(8));
        assert_eq!(p.delay(0, Some(Duration::from_secs(3))), Duration::from_secs(3));
        assert!(p.delay(0, Some(Duration::from_secs(600))) <= Duration::from_millis(500));
    }
}
