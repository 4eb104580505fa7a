//! `imgtui config path|show|init`: the config file at hand.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::process::ExitCode;

use crate::cli::{ConfigAction, GlobalArgs};
use crate::config::endpoint::{self, EndpointError};
use crate::config::{Config, Paths};
use crate::headless::EXIT_INVALID;
use crate::text::escape_controls;

/// The commented defaults `init` writes: the same file the repository documents.
const DEFAULTS: &str = include_str!("../config/default.toml");

pub fn run(global: &GlobalArgs, action: ConfigAction) -> ExitCode {
    let paths = global.paths();
    match action {
        ConfigAction::Path => {
            crate::outln!("{}", escape_controls(&paths.config_file.display().to_string()));
            ExitCode::SUCCESS
        }
        ConfigAction::Show => show(global, &paths),
        ConfigAction::Init => init(&paths),
    }
}

fn show(global: &GlobalArgs, paths: &Paths) -> ExitCode {
    let file = &paths.config_file;
    let shown = escape_controls(&file.display().to_string());
    let config = match Config::load_with_models(paths, global.config.is_some()) {
        Ok((config, _)) => config,
        Err(e) => {
            eprintln!("imgtui: {}", escape_controls(&e.to_string()));
            return ExitCode::from(EXIT_INVALID);
        }
    };
    crate::config::key_file::warn_if_exposed(file, &config);
    match file.is_file() {
        true => crate::outln!("# {shown}"),
        false => crate::outln!("# {shown} does not exist: the defaults (`imgtui config init` writes them)"),
    }
    let hidden = Config {
        api_key: config.api_key.as_ref().map(|_| "(set; not shown)".to_string()),
        // A gateway's user:password is as secret as the key.
        base_url: config.base_url.as_deref().map(crate::catalog::fetch::public_url),
        ..config.clone()
    };
    // The key, wherever else in the file it was pasted (a default_model, a comment-like
    // value), and whatever the URL carries, are hidden in every line printed.
    let secrets = secrets_of(global, paths, &config);
    let hide = |line: &str| secrets.iter().fold(line.to_string(), |line, secret| crate::text::redact(&line, secret));
    let text = toml::to_string(&hidden).unwrap_or_default();
    for line in text.trim_end().lines() {
        crate::outln!("{}", escape_controls(&hide(line)));
    }
    crate::outln!("\n# In effect, with the environment and flags:");
    for line in effect(global, paths, &config) {
        crate::outln!("# {}", escape_controls(&hide(&line)));
    }
    ExitCode::SUCCESS
}

/// What must not be printed: the key (the file's, the environment's), and the password and
/// query values of the base URL.
fn secrets_of(global: &GlobalArgs, paths: &Paths, config: &Config) -> Vec<String> {
    let mut secrets: Vec<String> = config.api_key.iter().cloned().collect();
    let flags = global.endpoint_flags();
    if let Ok(Some(cfg)) = endpoint::resolve(&flags, config, &paths.config_file, |v| std::env::var(v).ok())
        && let Some(key) = &cfg.key
    {
        secrets.push(key.expose().to_string());
    }
    for url in [config.base_url.as_deref(), flags.base_url.as_deref()].into_iter().flatten() {
        if let Ok(url) = reqwest::Url::parse(url) {
            secrets.extend(url.password().map(str::to_string));
            secrets.extend(url.query_pairs().map(|(_, value)| value.into_owned()).filter(|v| !v.is_empty()));
        }
    }
    secrets
}

/// What the file, the environment and the flags make together.
fn effect(global: &GlobalArgs, paths: &Paths, config: &Config) -> Vec<String> {
    let flags = global.endpoint_flags();
    let mut lines = vec![match endpoint::resolve(&flags, config, &paths.config_file, |v| std::env::var(v).ok()) {
        Ok(Some(cfg)) => format!(
            "provider {} at {}, key from {}",
            cfg.provider,
            cfg.public_base_url(),
            cfg.key_source.unwrap_or_default()
        ),
        Ok(None) => "the built-in demo server (--demo)".to_string(),
        Err(EndpointError::NoKey { .. }) => "no API key set: the app uses its demo server".to_string(),
        Err(e) => e.to_string(),
    }];
    lines.push(format!("data dir {}", paths.data_dir.display()));
    let images = config.out_dir.clone().unwrap_or_else(|| paths.images_dir());
    lines.push(format!("images go to {}", images.display()));
    lines
}

fn init(paths: &Paths) -> ExitCode {
    let file = &paths.config_file;
    let shown = escape_controls(&file.display().to_string());
    if let Some(dir) = file.parent()
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        let in_the_way = dir.ancestors().find(|d| d.exists() && !d.is_dir());
        let why = in_the_way.map_or(e.to_string(), |f| format!("{} is a file, not a folder", f.display()));
        eprintln!("imgtui: cannot make {}: {}", escape_controls(&dir.display().to_string()), escape_controls(&why));
        return ExitCode::FAILURE;
    }
    // Readable by its owner alone from the start: it may come to hold api_key.
    let created = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(file);
    let written = created.and_then(|mut f| f.write_all(DEFAULTS.as_bytes()).and_then(|()| f.sync_all()));
    match written {
        Ok(()) => {
            crate::outln!("wrote {shown}: every key is commented out; uncomment what you change");
            ExitCode::SUCCESS
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!("imgtui: {shown} exists and is left as it is (`imgtui config show` prints what it holds)");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("imgtui: cannot write {shown}: {e}");
            ExitCode::FAILURE
        }
    }
}
