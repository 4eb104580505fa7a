use std::process::ExitCode;

use imgtui::cli::Command;
use imgtui::{headless, logging};

fn main() -> ExitCode {
    imgtui::cli::complete::answer_shell_if_asked();
    let cli = imgtui::cli::parse();
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
            Some(Command::History(args)) => imgtui::history_cli::run(&cli.global, args).await,
            Some(Command::ServeDemo(args)) => imgtui::serve::run(&cli.global, args).await,
            Some(Command::Models(args)) => imgtui::models_cli::run(&cli.global, args).await,
            Some(Command::Mask(args)) => imgtui::mask_cli::run(&args),
            Some(Command::Batch(args)) => imgtui::batch::run(&cli.global, args).await,
            Some(Command::Show(args)) => imgtui::show::run(&cli.global, args).await,
            Some(Command::Doctor) => imgtui::doctor::run(&cli.global).await,
            Some(Command::Completions { shell }) => imgtui::cli::complete::print_script(shell),
            Some(Command::Man { dir }) => imgtui::man::print_man(dir.as_deref()),
            Some(Command::Keys { merged }) => imgtui::tui::keys_cli::run(&cli.global, merged),
            Some(Command::Config { action }) => imgtui::config_cli::run(&cli.global, action),
            None => imgtui::tui::run(&cli.global).await,
        }
    });
    // A blocking read that never returns (a device, a dead network mount, the terminal reader)
    // must not keep the process alive once the command has ended: everything it wrote is
    // written by now, so the runtime waits a moment, no longer (a new session started as this
    // one drops finds its draft left behind at once).
    runtime.shutdown_timeout(std::time::Duration::from_millis(300));
    code
}
