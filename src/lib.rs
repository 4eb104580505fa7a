//! imgtui: generate and edit images through the OpenAI-compatible Images API from the terminal.

#[cfg(feature = "internals")]
pub mod api;
#[cfg(not(feature = "internals"))]
mod api;
#[cfg(feature = "internals")]
pub mod batch;
#[cfg(not(feature = "internals"))]
mod batch;
#[cfg(feature = "internals")]
pub mod browse;
#[cfg(not(feature = "internals"))]
mod browse;
#[cfg(feature = "internals")]
pub mod catalog;
#[cfg(not(feature = "internals"))]
mod catalog;
#[cfg(feature = "internals")]
pub mod cell_size;
#[cfg(not(feature = "internals"))]
mod cell_size;
#[cfg(feature = "internals")]
pub mod cli;
#[cfg(not(feature = "internals"))]
mod cli;
#[cfg(feature = "internals")]
pub mod clock;
#[cfg(not(feature = "internals"))]
mod clock;
#[cfg(feature = "internals")]
pub mod completions;
#[cfg(not(feature = "internals"))]
mod completions;
#[cfg(feature = "internals")]
pub mod config;
#[cfg(not(feature = "internals"))]
mod config;
#[cfg(feature = "internals")]
pub mod config_cli;
#[cfg(not(feature = "internals"))]
mod config_cli;
#[cfg(feature = "internals")]
pub mod cost;
#[cfg(not(feature = "internals"))]
mod cost;
#[cfg(feature = "internals")]
pub mod demo;
#[cfg(not(feature = "internals"))]
mod demo;
#[cfg(feature = "internals")]
pub mod doctor;
#[cfg(not(feature = "internals"))]
mod doctor;
#[cfg(feature = "internals")]
pub mod edit_tree;
#[cfg(not(feature = "internals"))]
mod edit_tree;
#[cfg(feature = "internals")]
pub mod engine;
#[cfg(not(feature = "internals"))]
mod engine;
#[cfg(feature = "internals")]
pub mod files;
#[cfg(not(feature = "internals"))]
mod files;
#[cfg(feature = "internals")]
pub mod headless;
#[cfg(not(feature = "internals"))]
mod headless;
#[cfg(feature = "internals")]
pub mod history_cli;
#[cfg(not(feature = "internals"))]
mod history_cli;
#[cfg(feature = "internals")]
pub mod jobs;
#[cfg(not(feature = "internals"))]
mod jobs;
#[cfg(feature = "internals")]
pub mod logging;
#[cfg(not(feature = "internals"))]
mod logging;
#[cfg(feature = "internals")]
pub mod man;
#[cfg(not(feature = "internals"))]
mod man;
#[cfg(feature = "internals")]
pub mod mask;
#[cfg(not(feature = "internals"))]
mod mask;
#[cfg(feature = "internals")]
pub mod mask_cli;
#[cfg(not(feature = "internals"))]
mod mask_cli;
#[cfg(feature = "internals")]
pub mod mcp;
#[cfg(not(feature = "internals"))]
mod mcp;
#[cfg(feature = "internals")]
pub mod models_cli;
#[cfg(not(feature = "internals"))]
mod models_cli;
#[cfg(feature = "internals")]
pub mod osc;
#[cfg(not(feature = "internals"))]
mod osc;
#[cfg(feature = "internals")]
pub mod out;
#[cfg(not(feature = "internals"))]
mod out;
#[cfg(feature = "internals")]
pub mod preview;
#[cfg(not(feature = "internals"))]
mod preview;
#[cfg(feature = "internals")]
pub mod process;
#[cfg(not(feature = "internals"))]
mod process;
#[cfg(feature = "internals")]
pub mod serve;
#[cfg(not(feature = "internals"))]
mod serve;
#[cfg(feature = "internals")]
pub mod show;
#[cfg(not(feature = "internals"))]
mod show;
#[cfg(feature = "internals")]
pub mod signals;
#[cfg(not(feature = "internals"))]
mod signals;
#[cfg(feature = "internals")]
pub mod store;
#[cfg(not(feature = "internals"))]
mod store;
#[cfg(feature = "internals")]
pub mod text;
#[cfg(not(feature = "internals"))]
mod text;
#[cfg(feature = "internals")]
pub mod tree_cli;
#[cfg(not(feature = "internals"))]
mod tree_cli;
#[cfg(feature = "internals")]
pub mod tui;
#[cfg(not(feature = "internals"))]
mod tui;
#[cfg(feature = "internals")]
pub mod variants;
#[cfg(not(feature = "internals"))]
mod variants;
#[cfg(feature = "internals")]
pub mod vector;
#[cfg(not(feature = "internals"))]
mod vector;

#[cfg(test)]
mod params_tests;

use std::process::ExitCode;

use crate::cli::Command;

/// The whole program: parse the command line and run what it asks.
pub fn run() -> ExitCode {
    // The keys in the environment are secrets from the start, used or not.
    for name in ["OPENAI_API_KEY", "TTAPI_API_KEY"] {
        if let Ok(key) = std::env::var(name) {
            crate::text::keep_secret(&key);
        }
    }
    crate::cli::complete::answer_shell_if_asked();
    let cli = crate::cli::parse();
    // Commands that only look (or print text for the shell) make no folders for a log.
    let looks_only = matches!(
        cli.command,
        Some(
            Command::Show(_)
                | Command::Models(_)
                | Command::Doctor
                | Command::Completions { .. }
                | Command::Man { .. }
                | Command::Keys { .. }
                | Command::Config { .. }
        )
    );
    if !looks_only {
        logging::init(&cli.global);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("imgtui: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let code = runtime.block_on(async move {
        match cli.command {
            Some(Command::Generate(args)) => headless::generate(&cli.global, args).await,
            Some(Command::Edit(args)) => headless::edit(&cli.global, args).await,
            Some(Command::History(args)) => crate::history_cli::run(&cli.global, args).await,
            Some(Command::ServeDemo(args)) => crate::serve::run(&cli.global, args).await,
            Some(Command::Models(args)) => crate::models_cli::run(&cli.global, args).await,
            Some(Command::Mask(args)) => crate::mask_cli::run(&args),
            Some(Command::Markup(args)) => crate::mask_cli::run_markup(&args),
            Some(Command::Batch(args)) => crate::batch::run(&cli.global, args).await,
            Some(Command::Mcp(args)) => crate::mcp::run(&cli.global, args).await,
            Some(Command::Show(args)) => crate::show::run(&cli.global, args).await,
            Some(Command::Doctor) => crate::doctor::run(&cli.global).await,
            Some(Command::Completions { shell }) => crate::cli::complete::print_script(shell),
            Some(Command::Man { dir }) => crate::man::print_man(dir.as_deref()),
            Some(Command::Keys { merged }) => crate::tui::keys_cli::run(&cli.global, merged),
            Some(Command::Config { action }) => crate::config_cli::run(&cli.global, action),
            None => crate::tui::run(&cli.global).await,
        }
    });
    // A blocking read that never returns (a device, a dead network mount, the terminal reader)
    // must not keep the process alive once the command has ended: everything it wrote is
    // written by now, so the runtime waits a moment, no longer (a new session started as this
    // one drops finds its draft left behind at once).
    runtime.shutdown_timeout(std::time::Duration::from_millis(300));
    code
}
