//! The form as a request, and its checks against the model table and the picked files.

use std::path::PathBuf;

use super::{JobMode, State};
use crate::api::validate::{self, Endpoint, InputFile};
use crate::api::{EditRequest, FieldError, GenerateRequest, ModelSpec, Param};
use crate::store::ImageRequest;

impl State {
    /// The request the form describes now.
    pub fn request(&self) -> ImageRequest {
        let (prompt, model, mut options) =
            (self.prompt_text(), self.compose.form.model.clone(), self.compose.form.options.clone());
        if self.compose.form.mode == JobMode::Generate {
            options.complete(self.spec());
        }
        match self.compose.form.mode {
            JobMode::Generate => ImageRequest::Generate(GenerateRequest { prompt, model, options }),
            JobMode::Edit => ImageRequest::Edit(EditRequest {
                prompt,
                model,
                images: self.compose.form.images.clone(),
                mask: self.compose.form.mask.clone(),
                markup: self.compose.form.markup.clone(),
                keep_unmasked: self.compose.form.keep_unmasked && self.compose.form.mask.is_some(),
                options,
            }),
        }
    }

    /// Re-checks the form with the model table and the facts of the picked files (read when
    /// they were picked; a file still being read is checked once its facts arrive). An empty
    /// prompt is not shown as an error until a submit.
    pub fn revalidate(&mut self) {
        let request = self.request();
        let endpoint = if self.compose.form.mode == JobMode::Edit { Endpoint::Edit } else { Endpoint::Generate };
        let (o, table) = (request.options(), &self.env.catalog.table);
        let mut found = validate::check_params(endpoint, request.prompt(), &self.compose.form.model, o, table);
        if let ImageRequest::Edit(edit) = &request {
            let known = |p: &PathBuf| self.compose.input_facts.get(p).cloned();
            let images: Vec<InputFile> = edit.images.iter().filter_map(known).collect();
            let all_known = images.len() == edit.images.len();
            let mask = edit.mask.as_ref().and_then(known);
            if all_known && (edit.mask.is_none() || mask.is_some()) {
                found.extend(validate::check_edit_inputs(self.spec(), &images, mask.as_ref(), None));
            }
            // What needs no file read: said at once.
            found.extend(validate::gif_with_mask(&edit.options, edit.mask.is_some()));
            found.extend(validate::markup_with_mask(edit.markup.is_some(), edit.mask.is_some()));
            if let Some(markup) = edit.markup.as_ref().and_then(known) {
                let table = &self.env.catalog.table;
                found.extend(validate::check_markup(self.spec(), table, &markup, images.first(), false));
            }
        }
        if request.prompt().trim().is_empty() {
            found.retain(|e| e.param != Param::Prompt);
        }
        // Vary on with nothing chosen would send one job as if it were off, without a word.
        if let Some(setting) = self.compose.form.vary.setting.filter(|_| self.compose.form.vary.chosen.is_empty()) {
            found.push(FieldError::said(
                Param::Vary,
                format!(
                    "no {} chosen to compare: Space on the Values row picks them, or set Vary to off",
                    setting.name()
                ),
            ));
        }
        match self.requests() {
            Err(e) => found.push(FieldError::said(Param::Prompt, e.to_string())),
            // Each varied request is checked by its own model's rules.
            Ok(varied) if self.compose.form.vary.setting.is_some() => {
                // One prompt's worth: the variants of the prompt are checked above.
                for request in varied.iter().take(self.compose.form.vary.count()) {
                    let (model, options) = (request.model(), request.options());
                    let checked = validate::check_params(endpoint, request.prompt(), model, options, table);
                    // The prompt's own problems are named once, above.
                    let checked = checked.into_iter().filter(|e| e.param != Param::Prompt).collect();
                    let errors = validate::verdict(table, model, checked).err().unwrap_or_default();
                    let value = match self.compose.form.vary.setting {
                        Some(super::vary::Varied::Model) => model.to_string(),
                        Some(super::vary::Varied::Quality) => options.quality.clone().unwrap_or_default(),
                        _ => options.size.clone().unwrap_or_default(),
                    };
                    found.extend(errors.into_iter().map(|e| FieldError::said(Param::Vary, format!("{value}: {e}"))));
                }
            }
            Ok(_) => {}
        }
        (self.compose.errors, self.compose.warnings) = match validate::verdict(table, &self.compose.form.model, found) {
            Ok(warnings) => (Vec::new(), self.env.catalog.advise(warnings)),
            Err(errors) => (self.env.catalog.advise(errors), Vec::new()),
        };
        if let Some(why) = self.env.catalog.refusal(&self.compose.form.model) {
            self.compose.errors.insert(0, FieldError::said(Param::Model, why));
        } else if let Some(suggestion) = self.env.catalog.typo_of(&self.compose.form.model) {
            let model = &self.compose.form.model;
            let why = format!("{model} is not a model imgtui or the provider knows; did you mean {suggestion}?");
            self.compose.errors.insert(0, FieldError::said(Param::Model, why));
        }
        // A "not sent" message is stale once its problems are fixed.
        if self.compose.refusal_shown && self.compose.errors.is_empty() {
            self.compose.refusal_shown = false;
            self.status.notice = None;
        }
    }

    /// The rules of the form's model (guessed for a name the table does not know).
    pub fn spec(&self) -> &ModelSpec {
        self.env.catalog.spec(&self.compose.form.model)
    }

    pub fn errors_for(&self, param: Param) -> impl Iterator<Item = &FieldError> {
        self.compose.errors.iter().filter(move |e| e.param == param)
    }

    pub fn warnings_for(&self, param: Param) -> impl Iterator<Item = &FieldError> {
        self.compose.warnings.iter().filter(move |e| e.param == param)
    }
}
