//! The interactive app: `imgtui` with no subcommand.

pub mod action;
pub mod app;
pub mod commands;
pub mod context;
pub mod event;
mod file_work;
/// The rule the keymap keeps (one meaning per key), held by tests and shown in the manual.
#[cfg(any(test, feature = "internals"))]
pub mod grammar;
pub mod keymap;
pub mod keys_cli;
pub mod late_answers;
pub mod runner;
pub mod screen_keys;
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
use crate::preview::Graphics;
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
            eprintln!("imgtui: {}", crate::text::escape_controls(&e.to_string()));
            return ExitCode::from(e.exit_code());
        }
    };
    let config_dir = engine.paths.config_file.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
    let (keymap, keymap_problem) = Keymap::load(&config_dir.join("keymap.toml"));
    // The terminal is asked first (graphics and its background colour), before the event reader.
    // The engine already put --graphics over the config's choice.
    let choice = engine.config.graphics.unwrap_or(Graphics::Auto);
    let probe = crate::preview::probe(choice, crate::preview::detect::APP_WAIT);
    let detection = probe.detection.clone();
    let (theme, theme_problem) = load_theme(global, &engine, &detection, &config_dir);

    let cfg = engine.client.config();
    let endpoint = endpoint_label(cfg);
    let (default_model, default_notice) = engine.default_model();
    let mut state = State::new(engine.catalog.clone(), keymap, default_model, endpoint);
    // The prompt and form that were being written when imgtui last stopped, however it stopped.
    let draft = state::draft::Draft::adopt_left_behind(&engine.paths.state_dir);
    state.env.prices = engine.prices.clone();
    // Checked when the engine started.
    state.env.budgets = engine.config.budgets(&engine.paths.config_file).unwrap_or_default();
    state.env.catalog.listing.source = crate::catalog::ListingSource::Asking { provider: cfg.provider };
    state.compose.configured_model = engine.config.default_model.clone();
    if cfg.provider == Provider::Demo {
        state.status.demo_line = Some(
            "Demo mode: no API key found; images are drawn locally. Set TTAPI_API_KEY or OPENAI_API_KEY for the \
             real API."
                .to_string(),
        );
    }
    state.status.banner.extend(engine.notices.iter().cloned());
    if let Some(notice) = default_notice {
        state.set_notice(notice, state::Severity::Warning);
    }
    let look_again = draft.is_none();
    if let Some((draft, more)) = draft {
        draft.restore(&mut state);
        let more = match more {
            0 => String::new(),
            1 => "; one more from another session comes back at the next start".into(),
            n => format!("; {n} more from other sessions come back one a start"),
        };
        state
            .set_notice(format!("the prompt you were writing is back (kept as you type){more}"), state::Severity::Info);
    }
    for problem in engine.notices.iter().chain(&keymap_problem).chain(&theme_problem) {
        tracing::warn!("{problem}");
    }
    state.status.banner.extend(keymap_problem);
    state.status.banner.extend(theme_problem);

    state.env.graphics = detection.graphics;
    state.env.confirm_paid = engine.config.confirm_paid_keys.unwrap_or(true);
    state.env.mouse = engine.config.mouse.unwrap_or(true);
    state.env.notify_after = match engine.config.notify {
        Some(false) => None,
        _ => Some(std::time::Duration::from_secs(engine.config.notify_after_secs.unwrap_or(10))),
    };
    // The terminal's name from the environment, else from what it answered (over SSH the
    // environment's TERM_PROGRAM is often the remote side's).
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let answered = probe.answers.name.clone().unwrap_or_default();
    let from_env = crate::osc::terminal_program(var);
    let program = if from_env.trim().is_empty() { answered } else { from_env };
    state.env.notifier = crate::osc::Notifier::for_terminal(&program, &var("TERM"), probe.answers.kitty);
    // One question to tmux: the title to give back, and whether a copy reaches its buffer.
    let pane = detection.tmux.then(crate::preview::detect::tmux_pane).flatten();
    state.status.copy_caveat = crate::preview::detect::clipboard_caveat(pane.as_ref(), probe.answers.name.as_deref());
    state.env.truecolor = std::env::var("COLORTERM").is_ok_and(|v| v.contains("truecolor") || v.contains("24bit"));
    // Kitty pictures inside tmux are drawn as Unicode placeholders where the outer terminal
    // shows them: tmux then keeps them with the pane (IMGTUI_KITTY_PLACEHOLDERS=1 or 0 decides).
    let termtype = pane.as_ref().map(|p| p.client_termtype.as_str()).unwrap_or_default();
    state.env.kitty_placeholders = detection.graphics == Graphics::Kitty
        && match std::env::var("IMGTUI_KITTY_PLACEHOLDERS").ok().as_deref() {
            Some("1") => true,
            Some("0") => false,
            _ => detection.tmux && crate::preview::placeholder::supported(termtype),
        };
    if let Some(note) = &detection.note {
        state.set_notice(note.clone(), state::Severity::Warning);
    }
    tracing::info!(
        graphics = %detection.graphics,
        tmux = detection.tmux,
        placeholders = state.env.kitty_placeholders,
        termtype,
        "terminal graphics"
    );

    let (tx, rx) = mpsc::unbounded_channel();
    let concurrency = engine.config.concurrency.unwrap_or(3);
    let client = Arc::new(engine.client);
    ask_for_models(client.clone(), engine.paths.data_dir.clone(), tx.clone());
    let folders = crate::jobs::Folders::new(engine.out_dir.clone());
    let mut runner = runner::Runner::new(client, engine.store.clone(), folders, concurrency, tx.clone())
        .with_masks_dir(engine.paths.data_dir.join("masks"))
        .with_drafts_dir(engine.paths.state_dir.clone())
        .with_prices(engine.prices.clone());
    match crate::store::Store::open_reader(&engine.paths.data_dir) {
        Ok(reader) => runner = runner.with_page_reader(reader),
        Err(e) => tracing::info!("the history's pages are read on the writer's connection: {e}"),
    }
    if state.env.graphics != Graphics::None {
        runner = runner
            .with_warm_pixels(crate::preview::WarmPixels::default())
            .with_thumbnails(crate::preview::thumbs::ThumbCache::new(engine.paths.cache_dir.join("thumbnails")));
    }
    if look_again {
        state.compose.initial_draft = Some(state::draft::Draft::of(&state));
        runner.execute(crate::tui::event::Command::LookForLateDraft);
    }
    terminal::install_panic_hook();
    let outcome = app::run(state, theme, runner, rx, detection.tmux, probe.cell, pane.map(|p| p.title)).await;
    drop(engine.demo);
    match outcome {
        Ok(None) => ExitCode::SUCCESS,
        Ok(Some(signal)) => ExitCode::from(crate::signals::exit_code(signal)),
        Err(e) => {
            let _ = terminal::restore();
            eprintln!("imgtui: terminal error: {e}");
            ExitCode::from(1)
        }
    }
}

/// The theme the config or `--theme` names; `auto` (the default) is light on a background the
/// terminal said is light, else dark.
fn load_theme(
    global: &GlobalArgs,
    engine: &Engine,
    detection: &crate::preview::Detection,
    config_dir: &std::path::Path,
) -> (Theme, Option<String>) {
    let choice = global.theme.clone().or_else(|| engine.config.theme.clone());
    let choice = match choice.as_deref() {
        None | Some("auto") => if detection.light_background == Some(true) { "light" } else { "dark" }.to_string(),
        Some(other) => other.to_string(),
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Theme::load(Some(&choice), &config_dir.join("themes"), no_color)
}

/// "TTAPI", or the provider and its address when it is not the usual one (a gateway).
fn endpoint_label(cfg: &crate::api::ClientConfig) -> String {
    // The demo's address is a random local port: not worth showing.
    let usual = cfg.provider == Provider::Demo || cfg.base_url.trim_end_matches('/') == cfg.provider.default_base_url();
    if usual { cfg.provider.to_string() } else { format!("{} {}", cfg.provider, cfg.public_base_url()) }
}

/// The provider's list of models, asked off the UI task: the first frame never waits for it,
/// and the selector follows when it arrives.
fn ask_for_models(
    client: Arc<crate::api::Client>,
    data_dir: std::path::PathBuf,
    tx: mpsc::UnboundedSender<event::AppEvent>,
) {
    tokio::spawn(async move {
        let listing =
            crate::catalog::fetch::load_listing(&client, &data_dir, crate::catalog::fetch::Fetch::IfStale).await;
        // The app may have quit meanwhile.
        let _ = tx.send(event::AppEvent::ModelsListed(listing));
    });
}
