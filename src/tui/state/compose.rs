//! What the next request will be: the prompt and its undo, earlier prompts, the settings form,
//! what is wrong with them, and the files the form points at.

use std::collections::HashMap;
use std::path::PathBuf;

use ratatui_textarea::TextArea;

use super::{SettingsForm, browser, draft, recall};
use crate::api::FieldError;
use crate::api::validate::InputFile;

pub struct Compose {
    pub prompt: TextArea<'static>,
    /// Undo and redo of the prompt by words.
    pub prompt_undo: super::undo::UndoLog,
    /// The prompt and form as the app started with no draft to adopt: a draft left behind a
    /// moment later is taken only while they are still so.
    pub initial_draft: Option<super::draft::Draft>,
    /// Earlier prompts, for Ctrl-P/Ctrl-N and Ctrl-R.
    pub recall: recall::Recall,
    pub form: SettingsForm,
    /// `default_model` from the config, which wins over the catalog's choice.
    pub configured_model: Option<String>,
    /// Validation problems of the form as it stands, shown beside their fields.
    pub errors: Vec<FieldError>,
    /// Rules a model with guessed rules would break: shown, but the request may go out.
    pub warnings: Vec<FieldError>,
    /// The status line shows why a submit was refused; it clears once the form is valid.
    pub refusal_shown: bool,
    /// The draft a "load into form" replaced, and the prompt it loaded: undo brings the draft
    /// back while the loaded prompt is untouched.
    pub draft_before_load: Option<(Vec<String>, SettingsForm, Vec<String>)>,
    /// The last directory picked from, per kind of input.
    pub browser_dirs: HashMap<browser::InputKind, PathBuf>,
    /// Where the browser starts the first time: the working directory.
    pub start_dir: PathBuf,
    /// Facts of the edit's input files, read off the UI task when they were picked.
    pub input_facts: HashMap<PathBuf, InputFile>,
    /// The prompt and form as last handed to the runner to keep (see `draft`).
    pub saved_draft: Option<draft::Draft>,
}

impl Compose {
    pub fn new(prompt: TextArea<'static>, default_model: String) -> Self {
        Self {
            prompt,
            prompt_undo: Default::default(),
            initial_draft: None,
            recall: Default::default(),
            form: SettingsForm::new(default_model),
            configured_model: None,
            errors: Vec::new(),
            warnings: Vec::new(),
            refusal_shown: false,
            draft_before_load: None,
            browser_dirs: HashMap::new(),
            start_dir: std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/")),
            input_facts: HashMap::new(),
            saved_draft: None,
        }
    }
}
