//! imgtui: generate and edit images through the OpenAI-compatible Images API from the terminal.

pub mod api;
pub mod batch;
pub mod browse;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod cost;
pub mod demo;
pub mod engine;
pub mod files;
pub mod headless;
pub mod history_cli;
pub mod jobs;
pub mod logging;
pub mod mask;
pub mod mask_cli;
pub mod models_cli;
pub mod out;
pub mod preview;
pub mod serve;
pub mod signals;
pub mod store;
pub mod text;
pub mod tui;
pub mod variants;
