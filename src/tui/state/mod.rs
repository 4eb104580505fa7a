//! Everything the screen shows, in one value. Only `update` changes it; rendering reads it.

pub mod browser;
pub mod draft;
mod estimate;
mod field;
pub mod form;
pub mod gallery;
pub mod history;
pub mod painter;
mod pictures;
mod previews;
pub mod recall;
mod request;
mod scroll;
pub mod spend;
mod variants;
pub mod vary;
mod viewer;

use std::collections::HashMap;
use std::time::Instant;

use ratatui_textarea::{TextArea, WrapMode};

use std::path::PathBuf;

use crate::api::FieldError;
use crate::api::validate::InputFile;
use crate::catalog::ModelCatalog;
pub use crate::jobs::Phase;
use crate::preview::Graphics;
use crate::store::{ImageRequest, JobId, JobRecord};
use crate::tui::keymap::{Context, Keymap};
pub use browser::{Browser, Target};
pub use form::{Field, JobMode, SettingsForm};
pub use gallery::Gallery;
pub use history::HistoryView;
pub use painter::PainterView;
pub use previews::Previews;
pub use scroll::Scroll;
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
    },
    CancelJob(JobId),
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
    /// More than one job from one submit: "Send 4 jobs (≈ $0.68 for 8 images)?".
    SendGroup {
        summary: String,
        requests: Vec<ImageRequest>,
        parent: Option<JobId>,
        budget: Option<crate::cost::BudgetCheck>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum Overlay {
    Help,
    Confirm(Confirm),
    /// The Model row's "other…": a model name being typed.
    ModelName(String),
    /// The Size row's "custom…": a `WxH` being typed (models that take free sizes).
    CustomSize(String),
    /// Ctrl-R in the prompt: earlier prompts searched.
    Recall(recall::RecallSearch),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// A job this process is running, for the spinner, elapsed time and retries.
#[derive(Clone, Debug, PartialEq)]
pub struct LiveJob {
    pub started: Instant,
    pub retries: u32,
    pub phase: Phase,
    /// The newest partial image of a streamed answer, written to disk, with its number.
    pub partial: Option<(u32, PathBuf)>,
}

impl LiveJob {
    pub fn new(started: Instant, phase: Phase) -> Self {
        Self { started, retries: 0, phase, partial: None }
    }
}

/// The prompt editor with `lines`: soft wrap, and the placeholder while it is empty.
pub fn prompt_editor(lines: Vec<String>) -> TextArea<'static> {
    let mut prompt = TextArea::new(lines);
    prompt.set_wrap_mode(WrapMode::WordOrGlyph);
    prompt.set_placeholder_text("Describe the image… (Ctrl-S submits)");
    prompt
}

pub struct State {
    pub focus: Focus,
    pub overlay: Option<Overlay>,
    pub prompt: TextArea<'static>,
    /// Undo and redo of the prompt by words.
    pub prompt_undo: crate::tui::update::UndoLog,
    /// Earlier prompts, for Ctrl-P/Ctrl-N and Ctrl-R.
    pub recall: recall::Recall,
    pub form: SettingsForm,
    /// The models: their rules, their state at the provider, and where the list came from.
    pub catalog: ModelCatalog,
    /// `default_model` from the config, which wins over the catalog's choice.
    pub configured_model: Option<String>,
    pub keymap: Keymap,
    /// Validation problems of the form as it stands, shown beside their fields.
    pub errors: Vec<FieldError>,
    /// Rules a model with guessed rules would break: shown, but the request may go out.
    pub warnings: Vec<FieldError>,
    pub history: HistoryView,
    pub live: HashMap<JobId, LiveJob>,
    /// The selected job in full, once loaded, and which of its images is shown.
    pub job: JobView,
    pub notice: Option<(String, Severity)>,
    /// Shown at the top: a damaged history moved aside, a bad config.
    pub banner: Vec<String>,
    /// The demo-mode line: one row at the top until the first submit.
    pub demo_line: Option<String>,
    /// The status line shows why a submit was refused; it clears once the form is valid.
    pub refusal_shown: bool,
    /// The draft a "load into form" replaced, and the prompt it loaded: Ctrl-U brings the draft
    /// back while the loaded prompt is untouched.
    pub draft_before_load: Option<(Vec<String>, SettingsForm, Vec<String>)>,
    /// A re-run of an edit waiting for its input files to be checked.
    pub rerun_after_check: Option<JobRecord>,
    /// "TTAPI https://api.ttapi.io/v1" or "demo http://127.0.0.1:…/v1".
    pub endpoint: String,
    pub now: Instant,
    pub spinner: usize,
    /// The help overlay's scroll and filter.
    pub help: HelpView,
    /// The terminal's size (columns, rows), for what update must fit to it (the help's end).
    pub screen: (u16, u16),
    pub quit: bool,
    /// The full-screen viewer, while it is open (over the panes, the browser, the gallery).
    pub viewer: Option<Viewer>,
    /// What the provider charges (the config's prices over the built-in list), for estimates.
    pub prices: crate::cost::PriceTable,
    /// The config's budgets, and what the history says was spent (once it has said).
    pub budgets: crate::cost::Budgets,
    pub spent: Option<crate::cost::Spent>,
    /// The Spend view, while it is open.
    pub spend: Option<spend::SpendView>,
    /// What earlier jobs reported, for estimates without a price table or formula.
    pub output_history: crate::cost::OutputHistory,
    /// The mask painter, over everything but the help.
    pub painter: Option<PainterView>,
    /// Pixels per terminal cell, for fitting pictures where the state needs to know (the
    /// painter's cells).
    pub cell: crate::preview::CellSize,
    /// The gallery of results, while it is open.
    pub gallery: Option<Gallery>,
    /// The file browser, while it is open.
    pub browser: Option<Browser>,
    /// The last directory picked from, per kind of input.
    pub browser_dirs: HashMap<browser::InputKind, PathBuf>,
    /// Where the browser starts the first time: the working directory.
    pub start_dir: PathBuf,
    /// Facts of the edit's input files, read off the UI task when they were picked.
    pub input_facts: HashMap<PathBuf, InputFile>,
    /// How images are shown, decided at start-up.
    pub graphics: Graphics,
    /// Whether the terminal takes 24-bit colour (half-blocks use the 256 palette otherwise).
    pub truecolor: bool,
    /// Prepared previews, failed ones, and those being prepared.
    pub previews: Previews,
    /// Images received but not yet written anywhere (they wait in the runner's memory).
    pub unsaved: usize,
    /// The prompt and form as last handed to the runner to keep (see `draft`).
    pub saved_draft: Option<draft::Draft>,
}

/// The selected job as the preview pane shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct JobView {
    /// The selected job, in full, once loaded.
    pub details: Option<JobRecord>,
    /// Image files of `details` that were not on disk when it was loaded.
    pub missing_files: Vec<std::path::PathBuf>,
    /// Which of its images the preview shows.
    pub image_index: usize,
    /// Load the selected job into the form as soon as its details arrive.
    pub load_when_ready: Option<JobId>,
    /// A job of several images shows them side by side (`g` toggles).
    pub grid: bool,
}

impl Default for JobView {
    fn default() -> Self {
        Self { details: None, missing_files: Vec::new(), image_index: 0, load_when_ready: None, grid: true }
    }
}

/// The help overlay's place and filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HelpView {
    pub scroll: u16,
    /// The filter while "/" is typed into it: only bindings that mention it are shown.
    pub filter: Option<String>,
}

impl State {
    pub fn new(catalog: ModelCatalog, keymap: Keymap, default_model: String, endpoint: String) -> Self {
        let mut prompt = prompt_editor(Vec::new());
        prompt.set_placeholder_text(format!(
            "Describe the image… ({} submits)",
            keymap.hint(Context::Prompt, crate::tui::action::Action::Submit)
        ));
        let mut state = Self {
            focus: Focus::Prompt,
            overlay: None,
            prompt,
            prompt_undo: Default::default(),
            recall: Default::default(),
            form: SettingsForm::new(default_model),
            catalog,
            configured_model: None,
            keymap,
            errors: Vec::new(),
            warnings: Vec::new(),
            history: HistoryView::default(),
            live: HashMap::new(),
            job: JobView::default(),
            notice: None,
            banner: Vec::new(),
            demo_line: None,
            refusal_shown: false,
            draft_before_load: None,
            rerun_after_check: None,
            endpoint,
            now: Instant::now(),
            spinner: 0,
            help: HelpView::default(),
            screen: (80, 24),
            quit: false,
            viewer: None,
            painter: None,
            cell: crate::preview::CellSize::default(),
            gallery: None,
            browser: None,
            browser_dirs: HashMap::new(),
            start_dir: std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/")),
            input_facts: HashMap::new(),
            graphics: Graphics::Blocks,
            truecolor: false,
            previews: Previews::default(),
            unsaved: 0,
            prices: crate::cost::PriceTable::builtin(),
            budgets: crate::cost::Budgets::default(),
            spent: None,
            output_history: crate::cost::OutputHistory::default(),
            spend: None,
            saved_draft: None,
        };
        state.saved_draft = Some(draft::Draft::of(&state));
        state.revalidate();
        state
    }

    /// Puts `lines` in the prompt editor (its placeholder kept); returns the editor it replaced.
    pub fn replace_prompt(&mut self, lines: Vec<String>) -> TextArea<'static> {
        let mut editor = prompt_editor(lines);
        editor.set_placeholder_text(self.prompt.placeholder_text().to_string());
        std::mem::replace(&mut self.prompt, editor)
    }

    pub fn prompt_text(&self) -> String {
        self.prompt.lines().join("\n")
    }

    pub fn set_notice(&mut self, text: impl Into<String>, severity: Severity) {
        self.notice = Some((text.into(), severity));
    }

    /// The key context of what has the keyboard now.
    pub fn context(&self) -> Context {
        match &self.overlay {
            Some(Overlay::Help) => Context::Help,
            Some(Overlay::Confirm(_)) => Context::Confirm,
            // A one-line text input, with the search box's keys.
            Some(Overlay::ModelName(_) | Overlay::CustomSize(_) | Overlay::Recall(_)) => Context::Search,
            None if self.spend.is_some() => Context::Spend,
            None if self.painter.is_some() => Context::Painter,
            None if self.viewer.is_some() => Context::Viewer,
            None if self.gallery.is_some() => Context::Gallery,
            None if self.browser.as_ref().is_some_and(|b| b.path_input.is_some()) => Context::Path,
            None if self.browser.is_some() => Context::Browser,
            None if self.focus == Focus::History && self.history.searching => Context::Search,
            None => self.focus.context(),
        }
    }

    pub fn selected_job_id(&self) -> Option<JobId> {
        self.history.selected_row().map(|r| r.id)
    }

    /// A running job's newest partial image, if its answer streams.
    pub fn live_partial(&self, id: JobId) -> Option<&(u32, PathBuf)> {
        self.live.get(&id)?.partial.as_ref()
    }

    /// Jobs of this process that are running, and that wait for a free slot.
    pub fn running_and_queued(&self) -> (usize, usize) {
        let queued = self.live.values().filter(|job| job.phase == Phase::Queued).count();
        (self.live.len() - queued, queued)
    }
}
