//! How fast a batch goes: at most `--concurrency` jobs at once, and when the provider answers
//! 429, the whole batch slows down, not just the job that met it: no job starts before the
//! server's retry-after has passed, and the number running at once is halved (down to one). It
//! grows back by one after every few jobs that end without a 429.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// Jobs that end without a 429 before one more may run at once again.
const CALM_JOBS: u32 = 3;

#[derive(Debug)]
struct Gauge {
    /// Jobs allowed at once now, and at most.
    allowed: usize,
    most: usize,
    /// Permits owed back to the semaphore's count: taken out of circulation as they return.
    to_retire: usize,
    calm: u32,
    /// No job starts before this.
    paused_until: Option<Instant>,
}

/// Shared by every job of one batch.
#[derive(Clone, Debug)]
pub struct Pace {
    slots: Arc<Semaphore>,
    gauge: Arc<Mutex<Gauge>>,
}

/// What a 429 did to the pace, for the progress line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slowed {
    pub wait: Duration,
    pub allowed: usize,
}

/// A running job's place; given back (or retired, after a slow-down) when dropped.
pub struct Slot {
    permit: Option<OwnedSemaphorePermit>,
    gauge: Arc<Mutex<Gauge>>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut gauge = self.gauge.lock().unwrap_or_else(PoisonError::into_inner);
        if gauge.to_retire > 0
            && let Some(permit) = self.permit.take()
        {
            gauge.to_retire -= 1;
            permit.forget();
        }
    }
}

impl Pace {
    pub fn new(concurrency: usize) -> Self {
        let most = concurrency.max(1);
        let gauge = Gauge { allowed: most, most, to_retire: 0, calm: 0, paused_until: None };
        Self { slots: Arc::new(Semaphore::new(most)), gauge: Arc::new(Mutex::new(gauge)) }
    }

    fn gauge(&self) -> std::sync::MutexGuard<'_, Gauge> {
        self.gauge.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for a slot and for any pause to pass.
    pub async fn start(&self) -> Slot {
        let permit = self.slots.clone().acquire_owned().await.ok();
        self.after_pause().await;
        Slot { permit, gauge: self.gauge.clone() }
    }

    /// Waits for any pause to pass: one may begin (or grow) while a job is on its way to being
    /// sent, so it is looked at again right before it goes.
    pub async fn after_pause(&self) {
        loop {
            let until = self.gauge().paused_until;
            match until {
                Some(until) if until > Instant::now() => tokio::time::sleep_until(until).await,
                _ => break,
            }
        }
    }

    /// The provider said 429 with `wait` before the next try.
    pub fn rate_limited(&self, wait: Duration) -> Slowed {
        let mut gauge = self.gauge();
        let until = Instant::now() + wait;
        gauge.paused_until = Some(gauge.paused_until.map_or(until, |u| u.max(until)));
        gauge.calm = 0;
        let halved = (gauge.allowed / 2).max(1);
        gauge.to_retire += gauge.allowed - halved;
        gauge.allowed = halved;
        // Idle slots are retired now; busy ones as their jobs end.
        while gauge.to_retire > 0
            && let Ok(idle) = self.slots.try_acquire()
        {
            idle.forget();
            gauge.to_retire -= 1;
        }
        Slowed { wait, allowed: halved }
    }

    /// A job ended without meeting a 429: after a few, one more may run at once.
    pub fn calm(&self) -> Option<usize> {
        let mut gauge = self.gauge();
        if gauge.allowed >= gauge.most {
            return None;
        }
        gauge.calm += 1;
        if gauge.calm < CALM_JOBS {
            return None;
        }
        gauge.calm = 0;
        gauge.allowed += 1;
        if gauge.to_retire > 0 {
            gauge.to_retire -= 1;
        } else {
            self.slots.add_permits(1);
        }
        Some(gauge.allowed)
    }

    /// Jobs allowed at once now.
    #[cfg(any(test, feature = "internals"))]
    pub fn allowed(&self) -> usize {
        self.gauge().allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_429_pauses_every_start_and_halves_the_jobs_at_once() {
        let pace = Pace::new(4);
        let running: Vec<Slot> = futures::future::join_all((0..4).map(|_| pace.start())).await;
        assert_eq!(pace.slots.available_permits(), 0);
        let slowed = pace.rate_limited(Duration::from_secs(2));
        assert_eq!(slowed.allowed, 2);
        drop(running);
        // Two of the four slots were retired as they came back.
        assert_eq!(pace.slots.available_permits(), 2);
        let before = Instant::now();
        let _one = pace.start().await;
        assert!(Instant::now() - before >= Duration::from_secs(2), "no start before retry-after");
        // Calm jobs earn the slots back, one per CALM_JOBS.
        for _ in 0..CALM_JOBS {
            pace.calm();
        }
        assert_eq!(pace.allowed(), 3);
        assert_eq!(pace.slots.available_permits(), 2, "one running, one more allowed");
    }

    #[tokio::test(start_paused = true)]
    async fn never_below_one_at_a_time() {
        let pace = Pace::new(1);
        assert_eq!(pace.rate_limited(Duration::from_secs(1)).allowed, 1);
        let _slot = pace.start().await;
        assert_eq!(pace.allowed(), 1);
    }
}
