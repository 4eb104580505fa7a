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

    /// Runs `f` on the calling thread: for synchronous callers only.
    pub fn blocking<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        let mut store = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut store)
    }
}
