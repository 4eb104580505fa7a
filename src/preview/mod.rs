//! Inline previews: which graphics protocol the terminal speaks (asked before the event reader
//! starts), images decoded and fitted off the UI task, and the escape sequences that place and
//! erase them. Half-blocks are a ratatui widget, so they diff like any other cell.

pub mod blocks;
pub mod cell;
pub mod decoded;
pub mod detect;
pub mod encode;
pub mod graphics;
pub mod overlay;
pub mod placeholder;
pub mod placer;
pub mod prepare;
pub mod query;
pub mod thumbs;
pub mod tmux_window;
pub mod warm;
pub mod zoom;

pub use cell::{CellChoice, CellSource};
pub use decoded::DecodedImages;
pub use detect::{Probe, probe};
pub use graphics::{Detection, Graphics};
pub use prepare::{CellSize, Prepared, PreviewKey};
pub use warm::WarmPixels;
pub use zoom::Zoom;
