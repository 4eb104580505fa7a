//! imgtui: generate and edit images through the OpenAI-compatible Images API from the terminal.

pub mod api;
pub mod batch;
pub mod browse;
pub mod catalog;
pub mod cell_size;
pub mod cli;
pub mod clock;
pub mod completions;
pub mod config;
pub mod config_cli;
pub mod cost;
pub mod demo;
pub mod doctor;
pub mod edit_tree;
pub mod engine;
pub mod files;
pub mod headless;
pub mod history_cli;
pub mod jobs;
pub mod logging;
pub mod man;
pub mod mask;
pub mod mask_cli;
pub mod models_cli;
pub mod out;
pub mod preview;
pub mod process;
pub mod serve;
pub mod show;
pub mod signals;
pub mod store;
pub mod text;
pub mod tree_cli;
pub mod tui;
pub mod variants;

#[cfg(test)]
mod params_tests;
