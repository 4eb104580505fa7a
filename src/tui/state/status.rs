//! What the app says outside the panes: the notice on the status line, the banner at the top,
//! and the demo-mode line.

use super::Severity;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Status {
    pub notice: Option<(String, Severity)>,
    /// Shown at the top: a damaged history moved aside, a bad config.
    pub banner: Vec<String>,
    /// The demo-mode line: one row at the top until the first submit.
    pub demo_line: Option<String>,
}
