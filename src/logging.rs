//! Logs go to a file in the state dir, never to the terminal (it belongs to the UI or to the
//! command's output). `IMGTUI_LOG` sets the filter (default `info`).

use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

use crate::cli::GlobalArgs;

pub fn init(global: &GlobalArgs) {
    let paths = global.paths();
    if std::fs::create_dir_all(&paths.state_dir).is_err() {
        return; // No log is better than no app.
    }
    // A FIFO or device put where the log goes is no log (opening it would wait for ever).
    let Ok(file) = crate::files::append_regular(&paths.state_dir.join("imgtui.log")) else {
        return;
    };
    let filter = EnvFilter::try_from_env("IMGTUI_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(false).with_writer(Mutex::new(file)).try_init();
}
