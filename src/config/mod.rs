//! The config file: one TOML file, every key optional, unknown keys refused by name. Errors say
//! the file, the line and the key.

pub mod endpoint;
pub mod key_file;
mod salvage;
pub mod theme;

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::api::{ModelTable, Provider};

#[derive(Clone, Debug, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub provider: Option<Provider>,
    pub base_url: Option<String>,
    pub api_key: Option<String>,
    pub default_model: Option<String>,
    pub request_timeout_secs: Option<u64>,
    pub connect_timeout_secs: Option<u64>,
    pub max_retries: Option<u32>,
    pub out_dir: Option<PathBuf>,
    /// Theme name (dark, light, or a file in ~/.config/imgtui/themes/) or path.
    pub theme: Option<String>,
    /// Jobs the TUI runs at once.
    pub concurrency: Option<usize>,
    /// Inline previews: auto, kitty, iterm, sixel, blocks, none.
    pub graphics: Option<crate::preview::Graphics>,
    /// Ask before a key in a list sends a paid request (re-run): on unless `false`.
    pub confirm_paid_keys: Option<bool>,
    /// Clicks and the wheel in the app: on unless `false` (then the terminal selects text).
    pub mouse: Option<bool>,
    /// A job that ran long ends with the terminal's notification (the bell in tmux): on
    /// unless `false`; after `notify_after_secs` (10).
    pub notify: Option<bool>,
    pub notify_after_secs: Option<u64>,
    #[serde(default, skip_serializing_if = "toml::Table::is_empty")]
    pub models: toml::Table,
    /// Dollars a local day (month) may cost: a request that would pass it is asked about.
    pub budget_daily_usd: Option<f64>,
    pub budget_monthly_usd: Option<f64>,
    /// `[prices.openai."MODEL"]`, `[prices.ttapi."MODEL"]`: token rates per 1M tokens
    /// (text_in, image_in, image_out, …) or `per_image` prices, over the built-in list.
    #[serde(default, skip_serializing_if = "toml::Table::is_empty")]
    pub prices: toml::Table,
    /// `[mcp]`: what agents may do through `imgtui mcp`.
    #[serde(default, skip_serializing_if = "McpConfig::is_empty")]
    pub mcp: McpConfig,
}

/// `[mcp]`: an agent's own budgets (below the person's, which hold too) and the folders its
/// input files may come from besides the working directory and the data dir.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct McpConfig {
    pub budget_daily_usd: Option<f64>,
    pub budget_monthly_usd: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_dirs: Vec<PathBuf>,
}

impl McpConfig {
    fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {message}")]
    Read { path: String, message: String },
    #[error("config file {path}, line {line}: {message}")]
    Parse { path: String, line: usize, message: String },
    #[error("config file {path}, [models.\"{model}\"]: {message}")]
    Model { path: String, model: String, message: String },
    #[error("config file {path}, {message}")]
    Prices { path: String, message: String },
    #[error("config file {path}: a budget cannot be read ({message}); imgtui will not spend without it")]
    Budget { path: String, message: String },
}

impl Config {
    /// Reads `path`; a missing file is the empty config unless `required`.
    pub fn load(path: &Path, required: bool) -> Result<Self, ConfigError> {
        let text = match crate::files::read_text_bounded(path, crate::files::SETTINGS_FILE_MAX) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => return Ok(Self::default()),
            Err(e) => return Err(ConfigError::Read { path: path.display().to_string(), message: e.to_string() }),
        };
        Self::parse(&text, path)
    }

    /// The app's reading: what parses whole, or else every key that is good on its own, with a
    /// notice per key dropped (see `salvage`); `[models]` and `[prices]` that do not apply are
    /// dropped with a notice too. Errors only when the file cannot be read or a budget is lost.
    pub fn load_forgiving(paths: &Paths, required: bool) -> Result<(Self, ModelTable, Vec<String>), ConfigError> {
        let path = &paths.config_file;
        let text = match crate::files::read_text_bounded(path, crate::files::SETTINGS_FILE_MAX) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
                return Ok((Self::default(), ModelTable::builtin(), Vec::new()));
            }
            Err(e) => return Err(ConfigError::Read { path: path.display().to_string(), message: e.to_string() }),
        };
        let mut notices = Vec::new();
        let mut config = match Self::parse(&text, path) {
            Ok(config) => config,
            Err(whole) => {
                let salvaged = salvage::salvage(&text, path, &whole)?;
                notices.push(format!("{whole}; ignored: {}", salvaged.dropped.join(", ")));
                salvaged.config
            }
        };
        let models = config.model_table(path).unwrap_or_else(|e| {
            notices.push(format!("{e}; the built-in model rules are used"));
            config.models.clear();
            ModelTable::builtin()
        });
        if let Err(e) = config.price_table(path) {
            // The prices decide what counts against a budget: with a budget kept, prices that
            // cannot be read stop the app as the budget itself would.
            if config.budget_daily_usd.is_some() || config.budget_monthly_usd.is_some() {
                return Err(ConfigError::Budget {
                    path: path.display().to_string(),
                    message: format!("{e}; the prices decide what counts against it"),
                });
            }
            notices.push(format!("{e}; the built-in prices are used"));
            config.prices.clear();
        }
        Ok((config, models, notices))
    }

    /// One table as a config, or why not (serde's words).
    fn deserialize_table(table: toml::Table) -> Result<Self, String> {
        Self::deserialize(toml::Value::Table(table)).map_err(|e| e.message().trim().to_string())
    }

    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let parsed: Result<Self, _> = toml::from_str(text);
        if let Ok(Some(key)) = parsed.as_ref().map(|c| c.api_key.as_deref()) {
            crate::text::keep_secret(key);
        }
        parsed.map_err(|e| {
            // A file that does not parse has no key read from it, yet its key may be quoted
            // by the error (repeated in another field): known as a secret before anything is said.
            for line in text.lines().filter(|l| l.trim_start().starts_with("api_key")) {
                if let Some((_, value)) = line.split_once('=') {
                    crate::text::keep_secret(value.trim().trim_matches(|c| c == '"' || c == '\''));
                }
            }
            let line = e.span().map_or(1, |span| text[..span.start.min(text.len())].matches('\n').count() + 1);
            let on_key = text.lines().nth(line - 1).is_some_and(|l| l.trim_start().starts_with("api_key"));
            // serde quotes the value it refused: a key typed without quotes would be shown.
            let message = match on_key {
                true => "api_key: must be text in quotes, e.g. api_key = \"sk-…\" (the value is not shown)".to_string(),
                false => e.message().trim().to_string(),
            };
            ConfigError::Parse { path: path.display().to_string(), line, message }
        })
    }

    /// The config file `paths` name (it must exist when `--config` named it) and the model
    /// table with its `[models]` applied: what every command that sends requests starts from.
    pub fn load_with_models(paths: &Paths, named: bool) -> Result<(Self, ModelTable), ConfigError> {
        let config = Self::load(&paths.config_file, named)?;
        let models = config.model_table(&paths.config_file)?;
        Ok((config, models))
    }

    /// The budgets, checked.
    pub fn budgets(&self, path: &Path) -> Result<crate::cost::Budgets, ConfigError> {
        let budgets = crate::cost::Budgets { daily: self.budget_daily_usd, monthly: self.budget_monthly_usd };
        budgets.check().map_err(|message| ConfigError::Prices { path: path.display().to_string(), message })?;
        Ok(budgets)
    }

    /// `[mcp]`'s budgets for agents, checked as the person's are.
    pub fn agent_budgets(&self, path: &Path) -> Result<crate::cost::Budgets, ConfigError> {
        let budgets = crate::cost::Budgets { daily: self.mcp.budget_daily_usd, monthly: self.mcp.budget_monthly_usd };
        budgets.check().map_err(|message| ConfigError::Prices {
            path: path.display().to_string(),
            message: format!("[mcp]: {message}"),
        })?;
        Ok(budgets)
    }

    /// The built-in prices with this config's `[prices]` over them.
    pub fn price_table(&self, path: &Path) -> Result<crate::cost::PriceTable, ConfigError> {
        crate::cost::PriceTable::with_config(&self.prices)
            .map_err(|message| ConfigError::Prices { path: path.display().to_string(), message })
    }

    /// The built-in model table with this config's `[models]` applied.
    pub fn model_table(&self, path: &Path) -> Result<ModelTable, ConfigError> {
        let mut table = ModelTable::builtin();
        for (name, value) in &self.models {
            let model_error =
                |message: String| ConfigError::Model { path: path.display().to_string(), model: name.clone(), message };
            let toml::Value::Table(fields) = value else {
                return Err(model_error("must be a table of model rules".into()));
            };
            table.apply_override(name, fields).map_err(model_error)?;
        }
        Ok(table)
    }
}

/// Where imgtui keeps its files (XDG on Linux), with `--data-dir` overriding data and state.
#[derive(Clone, Debug, PartialEq)]
pub struct Paths {
    pub config_file: PathBuf,
    pub data_dir: PathBuf,
    pub state_dir: PathBuf,
    /// What can be made again (gallery thumbnails).
    pub cache_dir: PathBuf,
}

impl Paths {
    pub fn resolve(config_file: Option<PathBuf>, data_dir: Option<PathBuf>) -> Self {
        let dirs = directories::ProjectDirs::from("", "", "imgtui");
        let fallback = || std::env::temp_dir().join("imgtui");
        let config_file = config_file.unwrap_or_else(|| {
            dirs.as_ref().map_or_else(fallback, |d| d.config_dir().to_path_buf()).join("config.toml")
        });
        let data_dir_given = data_dir.is_some();
        let (data_dir, state_dir) = match data_dir {
            Some(dir) => (dir.clone(), dir.join("state")),
            None => {
                let data = dirs.as_ref().map_or_else(fallback, |d| d.data_dir().to_path_buf());
                let state = dirs
                    .as_ref()
                    .and_then(|d| d.state_dir().map(Path::to_path_buf))
                    .unwrap_or_else(|| data.join("state"));
                (data, state)
            }
        };
        let cache_dir = match (&data_dir_given, dirs.as_ref()) {
            (false, Some(d)) => d.cache_dir().to_path_buf(),
            _ => data_dir.join("cache"),
        };
        Self { config_file, data_dir, state_dir, cache_dir }
    }

    pub fn images_dir(&self) -> PathBuf {
        self.data_dir.join("images")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_parses() {
        // The commented default config in config/ says what the defaults are; it must not lie.
        let default_config = include_str!("../../config/default.toml");
        assert_eq!(Config::parse(default_config, Path::new("default.toml")), Ok(Config::default()));
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let err = Config::parse("provider = \"openai\"\n\nrequest_timeout = 5\n", Path::new("/c.toml")).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("config file /c.toml, line 3: unknown field `request_timeout`"), "{text}");
    }

    #[test]
    fn bad_model_override_names_model() {
        let config = Config::parse("[models.x]\nlike = \"dall-e-9\"\n", Path::new("c.toml")).unwrap();
        let err = config.model_table(Path::new("c.toml")).unwrap_err().to_string();
        assert!(err.contains("[models.\"x\"]") && err.contains("dall-e-9"), "{err}");
    }
}
