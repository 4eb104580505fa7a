//! The built-in demo server: an axum app on 127.0.0.1 that speaks the Images API contract,
//! validates with the same model table, draws images itself, and injects faults on request.
//! With no API key the app runs against it; tests use it over real HTTP.

mod catalog;
mod conn;
pub mod draw;
pub mod faults;
mod font;
mod images;
mod record;
mod routes;
mod stream;
mod usage;

use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::api::ModelTable;
pub use catalog::DemoCatalog;
pub use faults::FaultQueue;
pub use record::RecordedRequest;

#[derive(Clone, Debug)]
pub struct DemoConfig {
    /// 127.0.0.1:`port`; 0 picks a free port.
    pub port: u16,
    /// Simulated work per image, drawn uniformly from this range.
    pub latency_per_image: (Duration, Duration),
    /// Cap on the simulated work of one request.
    pub max_latency: Duration,
    /// How long `url` results stay downloadable.
    pub url_ttl: Duration,
    /// When set, requests must carry this key (either auth style) or get a 401.
    pub expected_key: Option<String>,
    pub models: ModelTable,
    /// The models served and their shutdown dates; `None`: every model of `models`.
    pub catalog: Option<DemoCatalog>,
}

impl Default for DemoConfig {
    fn default() -> Self {
        Self {
            port: 0,
            latency_per_image: (Duration::from_secs(1), Duration::from_secs(3)),
            max_latency: Duration::from_secs(12),
            url_ttl: Duration::from_secs(60 * 60),
            expected_key: None,
            models: ModelTable::builtin(),
            catalog: None,
        }
    }
}

impl DemoConfig {
    /// No simulated latency: for tests.
    #[cfg(any(test, feature = "internals"))]
    pub fn instant() -> Self {
        Self { latency_per_image: (Duration::ZERO, Duration::ZERO), ..Self::default() }
    }
}

struct StoredFile {
    bytes: bytes::Bytes,
    mime: &'static str,
    expires: Instant,
}

pub(crate) struct DemoState {
    config: DemoConfig,
    base_url: String,
    faults: FaultQueue,
    requests: Mutex<Vec<RecordedRequest>>,
    files: Mutex<HashMap<String, StoredFile>>,
    next_file: AtomicU64,
    catalog: Mutex<DemoCatalog>,
}

impl DemoState {
    fn lock_requests(&self) -> std::sync::MutexGuard<'_, Vec<RecordedRequest>> {
        self.requests.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn lock_catalog(&self) -> std::sync::MutexGuard<'_, DemoCatalog> {
        self.catalog.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn lock_files(&self) -> std::sync::MutexGuard<'_, HashMap<String, StoredFile>> {
        self.files.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running demo server; dropping it stops the server.
pub struct DemoServer {
    #[cfg(any(test, feature = "internals"))]
    addr: std::net::SocketAddr,
    state: Arc<DemoState>,
    shutdown: CancellationToken,
    task: Option<JoinHandle<()>>,
}

impl DemoServer {
    /// Binds 127.0.0.1 and starts serving on the current tokio runtime.
    pub async fn start(config: DemoConfig) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", config.port)).await?;
        let addr = listener.local_addr()?;
        let catalog = config.catalog.clone().unwrap_or_else(|| DemoCatalog::serving_all(&config.models));
        let state = Arc::new(DemoState {
            catalog: Mutex::new(catalog),
            base_url: format!("http://{addr}/v1"),
            config,
            faults: FaultQueue::default(),
            requests: Mutex::default(),
            files: Mutex::default(),
            next_file: AtomicU64::new(1),
        });
        let app = routes::router(state.clone());
        let shutdown = CancellationToken::new();
        let stop = shutdown.clone();
        let task = tokio::spawn(async move {
            let service = app.into_make_service_with_connect_info::<conn::KillSwitch>();
            let served = axum::serve(conn::KillableListener(listener), service)
                .with_graceful_shutdown(async move { stop.cancelled().await })
                .await;
            if let Err(e) = served {
                tracing::error!("demo server stopped: {e}");
            }
        });
        tracing::info!(%addr, "demo server listening");
        Ok(Self {
            #[cfg(any(test, feature = "internals"))]
            addr,
            state,
            shutdown,
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT/v1`, the base URL clients use.
    pub fn base_url(&self) -> &str {
        &self.state.base_url
    }

    /// Stops accepting, lets running requests finish, and waits for the server task.
    pub async fn stop(mut self) {
        self.shutdown.cancel();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

#[cfg(any(test, feature = "internals"))]
/// What tests look at and steer.
impl DemoServer {
    pub fn addr(&self) -> std::net::SocketAddr {
        self.addr
    }

    pub fn faults(&self) -> &FaultQueue {
        &self.state.faults
    }

    /// Every API request received so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.lock_requests().clone()
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}
