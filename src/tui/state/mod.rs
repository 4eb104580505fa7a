//! Everything the screen shows, in one value. Only `update` changes it; rendering reads it.

pub mod form;
pub mod history;

use std::collections::HashMap;
use std::time::Instant;

use ratatui_textarea::{TextArea, WrapMode};

use crate::api::{FieldError, GenerateRequest, ModelTable};
use crate::store::{ImageRequest, JobId, JobRecord};
use crate::tui::keymap::{Context, Keymap};
pub use form::{Field, SettingsForm};
pub use history::HistoryView;

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
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Confirm {
    Quit { running: usize },
    CancelJob(JobId),
    DeleteJob(JobId),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Confirm(Confirm),
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
    pub phase: String,
}

pub struct State {
    pub focus: Focus,
    pub overlay: Option<Overlay>,
    pub prompt: TextArea<'static>,
    pub form: SettingsForm,
    pub models: ModelTable,
    pub keymap: Keymap,
    /// Validation problems of the form as it stands, shown beside their fields.
    pub errors: Vec<FieldError>,
    pub history: HistoryView,
    pub live: HashMap<JobId, LiveJob>,
    /// The selected job, in full, once loaded.
    pub details: Option<JobRecord>,
    /// Image files of `details` that were not on disk when it was loaded.
    pub missing_files: Vec<std::path::PathBuf>,
    /// Which of the selected job's images the preview shows.
    pub image_index: usize,
    /// Load the selected job into the form as soon as its details arrive.
    pub load_when_ready: Option<JobId>,
    pub notice: Option<(String, Severity)>,
    /// Shown at the top: demo mode, a damaged history moved aside, a bad config.
    pub banner: Vec<String>,
    /// "TTAPI https://api.ttapi.io/v1" or "demo http://127.0.0.1:…/v1".
    pub endpoint: String,
    pub now: Instant,
    pub spinner: usize,
    pub help_scroll: u16,
    pub quit: bool,
}

impl State {
    pub fn new(models: ModelTable, keymap: Keymap, default_model: String, endpoint: String) -> Self {
        let mut prompt = TextArea::default();
        prompt.set_wrap_mode(WrapMode::WordOrGlyph);
        prompt.set_placeholder_text("Describe the image… (Ctrl-S submits)");
        let mut state = Self {
            focus: Focus::Prompt,
            overlay: None,
            prompt,
            form: SettingsForm::new(default_model),
            models,
            keymap,
            errors: Vec::new(),
            history: HistoryView::default(),
            live: HashMap::new(),
            details: None,
            missing_files: Vec::new(),
            image_index: 0,
            load_when_ready: None,
            notice: None,
            banner: Vec::new(),
            endpoint,
            now: Instant::now(),
            spinner: 0,
            help_scroll: 0,
            quit: false,
        };
        state.revalidate();
        state
    }

    pub fn prompt_text(&self) -> String {
        self.prompt.lines().join("\n")
    }

    /// The request the form describes now.
    pub fn request(&self) -> ImageRequest {
        ImageRequest::Generate(GenerateRequest {
            prompt: self.prompt_text(),
            model: self.form.model.clone(),
            options: self.form.options.clone(),
        })
    }

    /// Re-checks the form. An empty prompt is not shown as an error until a submit.
    pub fn revalidate(&mut self) {
        let ImageRequest::Generate(request) = self.request() else { return };
        self.errors = request.validate(&self.models).err().unwrap_or_default();
        if request.prompt.trim().is_empty() {
            self.errors.retain(|e| e.field != "prompt");
        }
    }

    pub fn errors_for(&self, field: &str) -> impl Iterator<Item = &FieldError> {
        self.errors.iter().filter(move |e| e.field == field)
    }

    pub fn set_notice(&mut self, text: impl Into<String>, severity: Severity) {
        self.notice = Some((text.into(), severity));
    }

    /// The key context of what has the keyboard now.
    pub fn context(&self) -> Context {
        match &self.overlay {
            Some(Overlay::Help) => Context::Help,
            Some(Overlay::Confirm(_)) => Context::Confirm,
            None if self.focus == Focus::History && self.history.searching => Context::Search,
            None => self.focus.context(),
        }
    }

    pub fn selected_job_id(&self) -> Option<JobId> {
        self.history.selected_row().map(|r| r.id)
    }
}
