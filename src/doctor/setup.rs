//! The rest of `doctor`: the config, keymap and theme files, the provider and its `GET
//! /models`, the data folder.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{Check, Verdict};
use crate::api::{Client, ModelTable, Provider};
use crate::cli::GlobalArgs;
use crate::config::endpoint::{self, EndpointError, EndpointFlags};
use crate::config::{Config, ConfigError, Paths};

/// Less free space than this warns: a day of high-quality images is a few hundred MB.
const LOW_SPACE_BYTES: u64 = 512 << 20;

pub struct Setup {
    pub paths: Paths,
    pub config: Config,
    models: ModelTable,
    loaded: Result<(), ConfigError>,
    flags: EndpointFlags,
}

impl Setup {
    pub fn load(global: &GlobalArgs) -> Self {
        let paths = global.paths();
        let (config, models, loaded) = match Config::load_with_models(&paths, global.config.is_some()) {
            Ok((config, models)) => (config, models, Ok(())),
            Err(e) => (Config::default(), ModelTable::builtin(), Err(e)),
        };
        let flags = global.endpoint_flags();
        Self { paths, config, models, loaded, flags }
    }

    fn config_dir(&self) -> PathBuf {
        self.paths.config_file.parent().map(Path::to_path_buf).unwrap_or_default()
    }

    pub fn file_checks(&self, global: &GlobalArgs, probe: Option<&crate::preview::Probe>) -> Vec<Check> {
        let file = &self.paths.config_file;
        let mut checks = vec![match &self.loaded {
            Err(e) => Check::new(Verdict::Fail, "config", e.to_string()),
            Ok(()) if file.is_file() => Check::new(Verdict::Ok, "config", format!("{} loads", file.display())),
            Ok(()) => Check::new(
                Verdict::Ok,
                "config",
                format!("{} does not exist: the defaults (`imgtui config init` writes them)", file.display()),
            ),
        }];
        if let Some(warning) = crate::config::key_file::exposed_key(file, &self.config) {
            checks.push(Check::new(Verdict::Warn, "config access", warning));
        }
        let keymap_file = self.config_dir().join("keymap.toml");
        let (_, problems) = crate::tui::keymap::Keymap::load(&keymap_file);
        checks.push(match problems.first() {
            // The other lines still apply: a warning, each dropped line named.
            // One problem a line: a key name's own line break is escaped, not a new line.
            Some(_) => Check::new(
                Verdict::Warn,
                "keymap",
                problems.iter().map(|p| crate::text::escape_controls(p)).collect::<Vec<_>>().join("\n"),
            ),
            None if keymap_file.is_file() => {
                Check::new(Verdict::Ok, "keymap", format!("{} loads", keymap_file.display()))
            }
            None => Check::new(
                Verdict::Ok,
                "keymap",
                format!("{} does not exist: the built-in keys", keymap_file.display()),
            ),
        });
        checks.push(self.theme_check(global, probe));
        checks
    }

    fn theme_check(&self, global: &GlobalArgs, probe: Option<&crate::preview::Probe>) -> Check {
        let themes_dir = self.config_dir().join("themes");
        let chosen = global.theme.clone().or_else(|| self.config.theme.clone()).unwrap_or_else(|| "auto".into());
        let light = probe.and_then(|p| p.answers.light_background) == Some(true);
        let name = match chosen.as_str() {
            "auto" => if light { "light" } else { "dark" }.to_string(),
            other => other.to_string(),
        };
        let files = std::fs::read_dir(&themes_dir)
            .map(|entries| {
                entries.filter_map(Result::ok).filter(|e| e.path().extension().is_some_and(|x| x == "toml")).count()
            })
            .unwrap_or(0);
        let (_, problem) = crate::config::theme::Theme::load(Some(&name), &themes_dir, false);
        match problem {
            Some(problem) => Check::new(Verdict::Fail, "theme", problem),
            None => Check::new(
                Verdict::Ok,
                "theme",
                format!("{chosen} → {name} loads · {files} theme file(s) in {}", themes_dir.display()),
            ),
        }
    }

    pub async fn provider_checks(&self) -> Vec<Check> {
        let resolved = endpoint::resolve(&self.flags, &self.config, &self.paths.config_file, |v| std::env::var(v).ok());
        let (client_config, demo) = match resolved {
            Ok(Some(cfg)) => {
                let source = cfg.key_source.clone().unwrap_or_default();
                let line = format!("{} at {} · key set ({source})", cfg.provider, cfg.public_base_url());
                let mut checks = vec![Check::new(Verdict::Ok, "provider", line)];
                checks.push(self.ask_models(cfg).await);
                return checks;
            }
            Ok(None) => {
                let config =
                    crate::demo::DemoConfig { models: self.models.clone(), ..crate::demo::DemoConfig::default() };
                match crate::demo::DemoServer::start(config).await {
                    Ok(demo) => (crate::api::ClientConfig::new(Provider::Demo, demo.base_url(), None), demo),
                    Err(e) => {
                        return vec![Check::new(
                            Verdict::Fail,
                            "provider",
                            format!("the demo server cannot start: {e}"),
                        )];
                    }
                }
            }
            Err(EndpointError::NoKey { .. }) => {
                return vec![
                    Check::new(
                        Verdict::Warn,
                        "provider",
                        "no API key set (TTAPI_API_KEY, OPENAI_API_KEY or api_key in the config): the app uses its \
                         demo server; scripts need --demo",
                    ),
                    Check::new(Verdict::Warn, "GET /models", "not asked: no key"),
                ];
            }
            Err(e) => return vec![Check::new(Verdict::Fail, "provider", e.to_string())],
        };
        let mut checks = vec![Check::new(Verdict::Ok, "provider", "the built-in demo server (--demo), no key needed")];
        checks.push(self.ask_models(client_config).await);
        drop(demo);
        checks
    }

    async fn ask_models(&self, cfg: crate::api::ClientConfig) -> Check {
        let client = match Client::new(cfg, self.models.clone()) {
            Ok(client) => client,
            Err(e) => return Check::new(Verdict::Fail, "GET /models", e.to_string()),
        };
        let started = Instant::now();
        match client.list_models().await {
            Ok(body) => {
                let count = serde_json::from_slice::<serde_json::Value>(&body)
                    .ok()
                    .and_then(|v| v.get("data").and_then(|d| d.as_array()).map(Vec::len));
                let ms = started.elapsed().as_millis();
                match count {
                    Some(count) => {
                        Check::new(Verdict::Ok, "GET /models", format!("answered in {ms} ms: {count} models"))
                    }
                    None => Check::new(
                        Verdict::Warn,
                        "GET /models",
                        format!("answered in {ms} ms, but with no `data` list"),
                    ),
                }
            }
            Err(e) => Check::new(Verdict::Fail, "GET /models", e.to_string()),
        }
    }

    pub fn data_checks(&self) -> Vec<Check> {
        let mut checks = vec![folder_check("data dir", &self.paths.data_dir)];
        if let Some(out) = &self.config.out_dir {
            checks.push(folder_check("out_dir", out));
        }
        let history = self.paths.data_dir.join(crate::store::DB_FILE);
        if history.is_file() {
            let size = std::fs::metadata(&history).map(|m| m.len()).unwrap_or(0);
            checks.push(match crate::store::Store::open_read_only(&self.paths.data_dir) {
                Ok(store) => match store.newer_schema() {
                    Some(refusal) => Check::new(
                        Verdict::Warn,
                        "history",
                        format!("{} can only be read: {refusal}; no job can be recorded", history.display()),
                    ),
                    None => {
                        Check::new(Verdict::Ok, "history", format!("{} ({}) opens", history.display(), megabytes(size)))
                    }
                },
                Err(e) => Check::new(Verdict::Fail, "history", e.to_string()),
            });
        }
        checks
    }
}

/// A folder imgtui writes: it (or, before the first job, the nearest folder above it) must
/// take a new file, and have room.
fn folder_check(what: &'static str, dir: &Path) -> Check {
    let dir = &std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let shown = dir.display();
    if let Some(blocker) = dir.ancestors().find(|d| d.exists() && !d.is_dir()) {
        return Check::new(
            Verdict::Fail,
            what,
            format!("{shown} cannot be made: {} is a file, not a folder", blocker.display()),
        );
    }
    let existing = dir.ancestors().find(|d| d.is_dir()).unwrap_or(Path::new("/"));
    let later =
        if existing == dir { String::new() } else { format!(" (made at the first job, in {})", existing.display()) };
    if let Err(e) = tempfile::Builder::new().prefix(".imgtui-doctor-").tempfile_in(existing) {
        return Check::new(Verdict::Fail, what, format!("{shown}{later} is not writable: {e}"));
    }
    match free_bytes(existing) {
        Some(free) if free < LOW_SPACE_BYTES => {
            Check::new(Verdict::Warn, what, format!("{shown}{later} is writable, but only {} free", megabytes(free)))
        }
        Some(free) => Check::new(Verdict::Ok, what, format!("{shown}{later} is writable, {} free", megabytes(free))),
        None => Check::new(Verdict::Ok, what, format!("{shown}{later} is writable")),
    }
}

fn free_bytes(dir: &Path) -> Option<u64> {
    let stat = rustix::fs::statvfs(dir).ok()?;
    Some(stat.f_bavail.saturating_mul(stat.f_frsize))
}

fn megabytes(bytes: u64) -> String {
    match bytes {
        b if b >= 10 << 30 => format!("{} GB", b >> 30),
        b if b >= 10 << 20 => format!("{} MB", b >> 20),
        b => format!("{} kB", b.div_ceil(1024)),
    }
}
