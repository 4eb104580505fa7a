//! The interactive app: `imgtui` with no subcommand.

pub mod action;
pub mod app;
pub mod event;
pub mod keymap;
pub mod runner;
pub mod state;
pub mod terminal;
pub mod ui;
pub mod update;

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use tokio::sync::mpsc;

use crate::api::Provider;
use crate::cli::GlobalArgs;
use crate::config::theme::Theme;
use crate::engine::{Engine, Mode};
use keymap::Keymap;
use state::State;

pub async fn run(global: &GlobalArgs) -> ExitCode {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        eprintln!(
            "imgtui: the interactive app needs a terminal; for scripts use `imgtui generate`, `edit` or `history`"
        );
        return ExitCode::from(2);
    }
    let engine = match Engine::start(global, Mode::Interactive).await {
        Ok(engine) => engine,
        Err(e) => {
            eprintln!("imgtui: {e}");
            return ExitCode::from(2);
        }
    };
    let config_dir = engine.paths.config_file.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
    let (keymap, keymap_problem) = Keymap::load(&config_dir.join("keymap.toml"));
    let theme_choice = global.theme.clone().or_else(|| engine.config.theme.clone());
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let (theme, theme_problem) = Theme::load(theme_choice.as_deref(), &config_dir.join("themes"), no_color);

    let cfg = engine.client.config();
    let endpoint = format!("{} {}", cfg.provider, cfg.base_url);
    let mut state = State::new(engine.client.models().clone(), keymap, engine.default_model(), endpoint);
    if cfg.provider == Provider::Demo {
        state.banner.push(
            "Demo mode: no API key found, so imgtui runs on its built-in demo server (images are drawn locally). \
             Set TTAPI_API_KEY or OPENAI_API_KEY to use the real API."
                .to_string(),
        );
    }
    state.banner.extend(engine.notices.iter().cloned());
    state.banner.extend(keymap_problem);
    state.banner.extend(theme_problem);

    let (tx, rx) = mpsc::unbounded_channel();
    let concurrency = engine.config.concurrency.unwrap_or(3);
    let runner =
        runner::Runner::new(Arc::new(engine.client), engine.store.clone(), engine.out_dir.clone(), concurrency, tx);
    terminal::install_panic_hook();
    let outcome = app::run(state, theme, runner, rx).await;
    drop(engine.demo);
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = terminal::restore();
            eprintln!("imgtui: terminal error: {e}");
            ExitCode::from(1)
        }
    }
}
