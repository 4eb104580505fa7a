//! Start-up shared by the headless commands and the TUI: config, model table, endpoint, and
//! the demo server when that is what runs.

use std::path::PathBuf;
use std::time::Duration;

use crate::api::{Client, ClientConfig, ModelTable, Provider};
use crate::catalog::ModelCatalog;
use crate::catalog::fetch::{self, Fetch};
use crate::cli::GlobalArgs;
use crate::config::endpoint;
use crate::config::{Config, ConfigError, Paths};
use crate::demo::{DemoConfig, DemoServer};
use crate::store::{SharedStore, Store, now_ms, sweep_temp_files};

pub struct Engine {
    pub client: Client,
    /// What the provider charges (the config's prices over the built-in list): estimates and
    /// the cost of finished jobs.
    pub prices: crate::cost::PriceTable,
    pub paths: Paths,
    pub config: Config,
    pub store: SharedStore,
    /// The running demo server, when the client talks to it.
    pub demo: Option<DemoServer>,
    /// Where images go unless a command names a directory.
    pub out_dir: PathBuf,
    /// Problems met on the way that did not stop start-up, for the user.
    pub notices: Vec<String>,
    /// The models and their state; built in until `load_catalog` asks the provider.
    pub catalog: ModelCatalog,
}

/// Why start-up failed: the user's input (a bad config, flag or URL: exit code 2), or the
/// environment (the history or the data dir cannot be used: exit code 1).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct StartError {
    pub message: String,
    pub environment: bool,
}

impl StartError {
    fn invalid(message: impl Into<String>) -> Self {
        Self { message: message.into(), environment: false }
    }

    fn environment(message: impl Into<String>) -> Self {
        Self { message: message.into(), environment: true }
    }

    /// 2 for bad input, 1 for a failing environment (as docs/headless.md's exit codes say).
    pub fn exit_code(&self) -> u8 {
        if self.environment { 1 } else { 2 }
    }
}

/// How forgiving start-up is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Scripts: a bad config or a missing key stops the command (exit 2).
    Headless,
    /// The TUI: a bad config leaves the defaults and a notice; no key means the demo server.
    Interactive,
    /// Commands that send nothing (`models`, `--dry-run`): strict about the config as scripts
    /// are, but no key is needed, the history is only read, and nothing is written.
    Look,
}

impl Engine {
    pub async fn start(global: &GlobalArgs, mode: Mode) -> Result<Self, StartError> {
        let paths = global.paths();
        let mut notices = Vec::new();
        let loaded = match mode {
            Mode::Headless | Mode::Look => {
                Config::load_with_models(&paths, global.config.is_some()).map(|(c, m)| (c, m, Vec::new()))
            }
            Mode::Interactive => Config::load_forgiving(&paths, global.config.is_some()),
        };
        let (mut config, models) = match loaded {
            Ok((config, models, problems)) => {
                notices.extend(problems);
                (config, models)
            }
            Err(e @ ConfigError::Read { .. }) if mode == Mode::Interactive => {
                notices.push(format!("{e}; using the default settings"));
                (Config::default(), ModelTable::builtin())
            }
            Err(e) => return Err(StartError::invalid(e.to_string())),
        };
        notices.extend(crate::config::key_file::exposed_key(&paths.config_file, &config));
        // The flag wins over the config, for every command that draws.
        config.graphics = global.graphics.or(config.graphics);
        let flags = global.endpoint_flags();
        let resolved = match endpoint::resolve(&flags, &config, &paths.config_file, |v| std::env::var(v).ok()) {
            Ok(resolved) => resolved,
            Err(endpoint::EndpointError::NoKey { .. }) if mode == Mode::Interactive => None,
            Err(endpoint::EndpointError::NoKey { .. }) if mode == Mode::Look => {
                Some(endpoint::keyless(&flags, &config).map_err(|e| StartError::invalid(e.to_string()))?)
            }
            Err(e) => return Err(StartError::invalid(e.to_string())),
        };
        let (client_config, demo) = match resolved {
            Some(client_config) => (client_config, None),
            None => {
                let demo = start_demo(global, &models).await?;
                let mut client_config = ClientConfig::new(Provider::Demo, demo.base_url(), None);
                if let Some(secs) = global.timeout {
                    client_config.request_timeout = Duration::from_secs(secs.max(1));
                }
                (client_config, Some(demo))
            }
        };
        let provider = client_config.provider;
        let prices = config.price_table(&paths.config_file).map_err(|e| StartError::invalid(e.to_string()))?;
        config.budgets(&paths.config_file).map_err(|e| StartError::invalid(e.to_string()))?;
        let client = Client::new(client_config, models).map_err(|e| StartError::environment(e.to_string()))?;
        let store = match mode {
            Mode::Look => read_history(&paths)?,
            Mode::Headless | Mode::Interactive => open_history(&paths, &config, Patience::Wait, &mut notices)?,
        };
        let out_dir = config.out_dir.clone().unwrap_or_else(|| paths.images_dir());
        let catalog = ModelCatalog::builtin(client.models().clone(), provider, "the provider was not asked");
        Ok(Self { client, prices, paths, config, store, demo, out_dir, notices, catalog })
    }

    /// Asks the provider for its models as `fetch` allows (see `catalog::fetch`); without a
    /// key, nothing is asked: the list cached last time, else the built-in one.
    pub async fn load_catalog(&mut self, fetch: Fetch) {
        self.catalog = match self.keyless() {
            true => fetch::load_offline(&self.client, &self.paths.data_dir).await,
            false => fetch::load(&self.client, &self.paths.data_dir, fetch).await,
        };
    }

    /// Whether this runs without a key (a command that sends nothing): the provider is not
    /// asked for anything.
    pub fn keyless(&self) -> bool {
        self.client.config().key.is_none() && self.client.config().provider != Provider::Demo
    }

    /// The model for requests that name none, and a notice when the configured one is gone.
    pub fn default_model(&self) -> (String, Option<String>) {
        self.catalog.default_model(self.config.default_model.as_deref())
    }
}

/// How long opening the history waits while another process holds it locked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Patience {
    /// About a minute: a command that writes (a job's outcome must reach the history).
    Wait,
    /// SQLite's own few seconds: a command that only reads goes read-only rather than wait.
    Once,
}

/// Opens the history, waiting as `patience` says while another process holds it locked.
fn open_patiently(data_dir: &std::path::Path, patience: Patience) -> Result<Store, StartError> {
    let mut wait = Duration::from_millis(200);
    let tries = match patience {
        Patience::Wait => 6,
        Patience::Once => 0,
    };
    for attempt in 0..tries {
        match Store::open(data_dir) {
            Err(crate::store::StoreError::Busy { message, .. }) => {
                tracing::warn!("history busy at start ({message}); trying again in {} ms", wait.as_millis());
                // Said once, so a wait of up to a minute is not taken for a hang.
                if attempt == 0 {
                    eprintln!(
                        "imgtui: another process (an imgtui, a backup, sqlite3) holds the history locked; waiting for \
                         it (up to a minute; Ctrl-C stops)…"
                    );
                }
                std::thread::sleep(wait);
                wait = (wait * 2).min(Duration::from_secs(8));
            }
            other => return other.map_err(|e| StartError::environment(e.to_string())),
        }
    }
    Store::open(data_dir).map_err(|e| StartError::environment(e.to_string()))
}

/// The history for a command that only reads it: read-only (another user's folder, a
/// read-only mount), or empty when there is none yet. Nothing is changed on disk.
fn read_history(paths: &Paths) -> Result<SharedStore, StartError> {
    if !paths.data_dir.join(crate::store::DB_FILE).exists() {
        return Store::open_in_memory().map(SharedStore::new).map_err(|e| StartError::environment(e.to_string()));
    }
    Store::open_read_only(&paths.data_dir).map(SharedStore::new).map_err(|e| StartError::environment(e.to_string()))
}

/// Opens the history, marks jobs a dead process left behind as interrupted, and removes the
/// temp files such a process left in the image folders.
pub fn open_history(
    paths: &Paths,
    config: &Config,
    patience: Patience,
    notices: &mut Vec<String>,
) -> Result<SharedStore, StartError> {
    let mut store = open_patiently(&paths.data_dir, patience)?;
    notices.extend(store.recovered.clone());
    match store.mark_interrupted(now_ms()) {
        Ok(0) => {}
        Ok(n) => tracing::info!("{n} job(s) left running by a stopped imgtui are now interrupted"),
        Err(e) => tracing::error!("history: {e}"),
    }
    // Before the sweep removes temp files: whole images of interrupted jobs are kept.
    match store.recover_pending() {
        Ok(0) => {}
        Ok(n) => notices.push(format!("{n} image(s) a stopped imgtui had received were recovered into their jobs")),
        Err(e) => tracing::error!("history: {e}"),
    }
    let mut dirs = vec![paths.images_dir()];
    dirs.extend(config.out_dir.clone());
    for dir in dirs {
        let removed = sweep_temp_files(&dir);
        if removed > 0 {
            tracing::info!(dir = %dir.display(), "removed {removed} temp file(s) of a stopped imgtui");
        }
    }
    Ok(SharedStore::new(store))
}

async fn start_demo(global: &GlobalArgs, models: &ModelTable) -> Result<DemoServer, StartError> {
    let mut config = DemoConfig { models: models.clone(), ..DemoConfig::default() };
    if let Some(latency) = global.demo_latency_ms {
        config.latency_per_image = (latency.low, latency.high);
    }
    DemoServer::start(config).await.map_err(|e| StartError::environment(format!("cannot start the demo server: {e}")))
}
