//! The store for async code: one connection behind a mutex, used from blocking threads so no
//! query ever runs on the async workers (or the UI task).

use std::sync::{Arc, Mutex, PoisonError};

use super::{Store, StoreError};

#[derive(Clone)]
pub struct SharedStore(Arc<Mutex<Store>>);

impl SharedStore {
    pub fn new(store: Store) -> Self {
        Self(Arc::new(Mutex::new(store)))
    }

    /// Runs `f` on a blocking thread with the store.
    pub async fn run<R, F>(&self, f: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnOnce(&mut Store) -> Result<R, StoreError> + Send + 'static,
    {
        let inner = self.0.clone();
        tokio::task::spawn_blocking(move || {
            // A panic in another call leaves the connection usable: SQLite rolls back an
            // unfinished transaction when its guard drops.
            let mut store = inner.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut store)
        })
        .await
        .map_err(|e| StoreError::Db { path: "history".into(), message: format!("the store task failed: {e}") })?
    }

    /// Runs `f` like `run`, trying again while another process holds the database, with
    /// growing waits (about a minute in all, beside SQLite's own 5 s per try): a job's outcome
    /// must reach the history even while a second imgtui or a backup holds a lock for a while.
    pub async fn run_patiently<R, F>(&self, f: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: Fn(&mut Store) -> Result<R, StoreError> + Clone + Send + 'static,
    {
        let mut wait = std::time::Duration::from_millis(200);
        for _ in 0..8 {
            match self.run(f.clone()).await {
                Err(StoreError::Busy { message, .. }) => {
                    tracing::warn!("history busy ({message}); trying again in {} ms", wait.as_millis());
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(std::time::Duration::from_secs(10));
                }
                other => return other,
            }
        }
        self.run(f).await
    }

    /// Runs `f` on the calling thread: for synchronous callers only.
    pub fn blocking<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        let mut store = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut store)
    }
}
