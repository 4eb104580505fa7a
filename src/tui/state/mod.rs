//! Everything the screen shows, in one value. Only `update` changes it; rendering reads it.

pub mod browser;
mod compose;
pub mod copy;
pub mod draft;
mod env;
mod estimate;
mod field;
pub mod form;
pub mod gallery;
pub mod history;
pub mod hits;
mod jobs;
pub mod layers;
pub mod layout;
pub mod painter;
mod pictures;
mod previews;
pub mod recall;
mod request;
mod scroll;
pub mod spend;
pub mod status;
pub mod undo;
mod variants;
pub mod vary;
mod viewer;

use std::path::PathBuf;

use ratatui_textarea::{TextArea, WrapMode};

use crate::catalog::ModelCatalog;
pub use crate::jobs::Phase;
use crate::store::{ImageRequest, JobId};
use crate::tui::keymap::{Context, Keymap};
pub use browser::{Browser, Target};
pub use compose::Compose;
pub use env::Env;
pub use form::{Field, JobMode, SettingsForm};
pub use gallery::Gallery;
pub use history::HistoryView;
pub use jobs::{Jobs, LiveJob};
pub use layers::{Layer, Layers};
pub use painter::PainterView;
pub use previews::Previews;
pub use scroll::Scroll;
pub use status::Status;
pub use viewer::Viewer;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    Prompt,
    Settings,
    History,
    Preview,
}

impl Focus {
    pub const ORDER: [Self; 4] = [Self::Prompt, Self::Settings, Self::History, Self::Preview];

    pub fn context(self) -> Context {
        match self {
            Self::Prompt => Context::Prompt,
            Self::Settings => Context::Settings,
            Self::History => Context::History,
            Self::Preview => Context::Preview,
        }
    }
}

/// What a confirmation is for.
#[derive(Clone, Debug, PartialEq)]
pub enum Confirm {
    Quit {
        running: usize,
        unsaved: usize,
        /// A mask painted in the open painter would be dropped too.
        painted: bool,
    },
    CancelJob(JobId),
    /// Cancel a job another imgtui runs (an agent's, a batch's): it is asked through the history.
    CancelElsewhere {
        id: JobId,
        pid: u32,
    },
    DeleteJob(JobId),
    /// Leave the mask painter, dropping what was painted.
    DropMask,
    /// Quit with a painted mask not saved.
    QuitDroppingMask,
    /// Send a request that would pass a budget (why, and the request).
    OverBudget {
        message: String,
        requests: Vec<ImageRequest>,
        parent: Option<JobId>,
    },
    /// A job run again from a list: "Run job #12 again (gpt-image-2, 2 images, ≈ $0.33)?".
    Rerun {
        id: JobId,
        summary: String,
    },
    /// More than one job from one submit: "Send 4 jobs (≈ $0.68 for 8 images)?".
    SendGroup {
        summary: String,
        requests: Vec<ImageRequest>,
        parent: Option<JobId>,
        budget: Option<crate::cost::BudgetCheck>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// The prompt editor with `lines`: soft wrap, and the placeholder while it is empty.
pub fn prompt_editor(lines: Vec<String>) -> TextArea<'static> {
    let mut prompt = TextArea::new(lines);
    prompt.set_wrap_mode(WrapMode::WordOrGlyph);
    prompt.set_placeholder_text("Describe the image… (Ctrl-S submits)");
    prompt
}

/// Everything the screen shows, grouped by what it is about. Only `update` changes it.
pub struct State {
    /// What the next request will be: the prompt, the form, and what they were made from.
    pub compose: Compose,
    /// The history and the jobs this process runs.
    pub jobs: Jobs,
    /// What the app was started with and learns about its surroundings.
    pub env: Env,
    /// The focused pane and the screens opened over the panes.
    pub layers: Layers,
    /// The notice, the banner and the demo line.
    pub status: Status,
    /// Prepared previews, failed ones, and those being prepared.
    pub previews: Previews,
    pub quit: bool,
}

/// The help overlay's place and filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HelpView {
    pub scroll: u16,
    /// The filter while "/" is typed into it: only bindings that mention it are shown.
    pub filter: Option<String>,
    /// The furthest it scrolls (its last page, full), as the last frame drew it.
    pub last_page: u16,
}

impl State {
    /// Whether the question on top has been up long enough for y or Enter to answer it.
    pub fn question_armed(&self) -> bool {
        self.status
            .question_since
            .is_some_and(|since| self.env.now.saturating_duration_since(since) >= status::QUESTION_READ)
    }

    /// A question is up that does not take its answer yet: the clock should tick until it does.
    pub fn question_arming(&self) -> bool {
        self.status.question_since.is_some() && !self.question_armed()
    }

    pub fn new(catalog: ModelCatalog, keymap: Keymap, default_model: String, endpoint: String) -> Self {
        let mut prompt = prompt_editor(Vec::new());
        prompt.set_placeholder_text(format!(
            "Describe the image… ({} submits)",
            keymap.hint(Context::Prompt, crate::tui::action::Action::Submit)
        ));
        let mut state = Self {
            compose: Compose::new(prompt, default_model),
            jobs: Jobs::default(),
            env: Env::new(catalog, keymap, endpoint),
            layers: Layers::default(),
            status: Status::default(),
            previews: Previews::default(),
            quit: false,
        };
        state.compose.saved_draft = Some(draft::Draft::of(&state));
        state.revalidate();
        state
    }

    /// Puts `lines` in the prompt editor (its placeholder kept); returns the editor it replaced.
    pub fn replace_prompt(&mut self, lines: Vec<String>) -> TextArea<'static> {
        let mut editor = prompt_editor(lines);
        editor.set_placeholder_text(self.compose.prompt.placeholder_text().to_string());
        // Typing goes on where the text ends, as after a shell's history recall.
        editor.move_cursor(ratatui_textarea::CursorMove::Bottom);
        editor.move_cursor(ratatui_textarea::CursorMove::End);
        std::mem::replace(&mut self.compose.prompt, editor)
    }

    pub fn prompt_text(&self) -> String {
        self.compose.prompt.lines().join("\n")
    }

    pub fn set_notice(&mut self, text: impl Into<String>, severity: Severity) {
        self.status.notice = Some((text.into(), severity));
    }

    /// The key context of what has the keyboard now: the top layer's, else the focused pane's.
    pub fn context(&self) -> Context {
        self.layers.context()
    }

    pub fn selected_job_id(&self) -> Option<JobId> {
        self.jobs.selected_job_id()
    }

    /// A running job's newest partial image, if its answer streams.
    pub fn live_partial(&self, id: JobId) -> Option<&(u32, PathBuf)> {
        self.jobs.live_partial(id)
    }
}
