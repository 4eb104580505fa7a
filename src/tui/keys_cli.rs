//! `imgtui keys`: the keymap as a keymap file, each binding with what it does on its screen.

use std::process::ExitCode;

use super::keymap::Keymap;
use crate::cli::GlobalArgs;

pub fn run(global: &GlobalArgs, merged: bool) -> ExitCode {
    let keymap = if merged {
        let paths = global.paths();
        let dir = paths.config_file.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
        let (keymap, problems) = Keymap::load(&dir.join("keymap.toml"));
        for problem in &problems {
            eprintln!("imgtui: {}", crate::text::escape_controls(problem));
        }
        keymap
    } else {
        Keymap::builtin()
    };
    crate::outln!("{}", keymap.to_toml());
    ExitCode::SUCCESS
}
