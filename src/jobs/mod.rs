//! Running one job from start to history: record it, send it, save its images, record the
//! outcome. The headless commands run one; the TUI's job runner runs several at once.

mod execute;
mod folders;
mod inputs;
pub mod keep;
mod partials;
mod phase;
mod rescue;

pub use execute::{Agent, JobOutcome, Written, execute, submit, write_with_fallback};
pub use folders::Folders;
pub use inputs::{canonical, changed_inputs};
pub use partials::{partials_of_job, save_partial};
pub use phase::{Phase, SPINNER};
pub use rescue::rescue_dir;
