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
    /// When the question on top was first there (`env.now`): its answers count from
    /// `QUESTION_READ` later.
    pub question_since: Option<std::time::Instant>,
    /// When the last letter that was not a move was pressed in a list (`env.now`): letters
    /// that act, right after it, are typing.
    pub last_letter: Option<std::time::Instant>,
    /// What `y` copied last: the menu starts there.
    pub copy_last: super::copy::CopyWhat,
    /// Why the clipboard may not take OSC 52 here, said once at the first copy.
    pub copy_caveat: Option<String>,
}

/// How long a question is up before y or Enter answers it: letters typed in one go (a word
/// typed into a list by mistake) come faster than anyone reads a question.
pub const QUESTION_READ: std::time::Duration = std::time::Duration::from_millis(1000);

impl super::State {
    /// The terminal's (and tmux window's) title: "imgtui · 2 running · $0.42 today".
    pub fn title(&self) -> String {
        let mut title = String::from("imgtui");
        let running = self.jobs.live.len() + self.jobs.sending;
        if running > 0 {
            title.push_str(&format!(" · {running} running"));
        }
        if let Some(spent) = self.env.spent.filter(|s| s.today > 0.0) {
            title.push_str(&format!(" · {} today", crate::cost::dollars(spent.today)));
        }
        title
    }
}
