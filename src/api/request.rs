//! The two requests of the Images API with every parameter of the spec. Values are kept as the
//! strings the API takes; which ones a model accepts is the model table's business.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::models::ModelTable;
pub use super::params::ImageOptions;
use super::params::Param;
use super::provider::Provider;
use super::validate::{self, Endpoint, FieldError, Problem, Verdict};

/// `POST /images/generations`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GenerateRequest {
    pub prompt: String,
    pub model: String,
    #[serde(flatten)]
    pub options: ImageOptions,
}

impl GenerateRequest {
    #[cfg(any(test, feature = "internals"))]
    pub fn new(model: impl Into<String>, prompt: impl Into<String>) -> Self {
        Self { prompt: prompt.into(), model: model.into(), options: ImageOptions::default() }
    }

    /// Every problem at once: `Err` stops the request; `Ok` holds the warnings of a model whose
    /// rules were guessed.
    pub fn validate(&self, models: &ModelTable) -> Verdict {
        let errors = validate::check_params(Endpoint::Generate, &self.prompt, &self.model, &self.options, models);
        validate::verdict(models, &self.model, errors)
    }
}

/// `POST /images/edits`: input images and an optional mask, by path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditRequest {
    pub prompt: String,
    pub model: String,
    pub images: Vec<PathBuf>,
    pub mask: Option<PathBuf>,
    /// Marks over the first image that say what to change (gpt-image-2.6): a transparent PNG of
    /// its size. Never with a mask.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markup: Option<PathBuf>,
    /// imgtui's own step, not sent: after the edit, the pixels the mask protects are put back
    /// from the first input (the models repaint beyond the mask).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub keep_unmasked: bool,
    #[serde(flatten)]
    pub options: ImageOptions,
}

impl EditRequest {
    #[cfg(any(test, feature = "internals"))]
    pub fn new(model: impl Into<String>, prompt: impl Into<String>, images: Vec<PathBuf>) -> Self {
        Self {
            prompt: prompt.into(),
            model: model.into(),
            images,
            mask: None,
            markup: None,
            keep_unmasked: false,
            options: ImageOptions::default(),
        }
    }

    /// Every problem at once, parameters and files. Reads the files' headers (and the mask's
    /// pixels, to find a transparent one). `provider` adds its own caps (upload size, models).
    pub fn validate(&self, models: &ModelTable, provider: Provider) -> Verdict {
        let mut errors = validate::check_params(Endpoint::Edit, &self.prompt, &self.model, &self.options, models);
        let resolved = models.resolve(&self.model);
        if let Some(allowed) = provider.edit_models()
            && !resolved.guessed
            && resolved.spec.can_edit()
            && !allowed.contains(&resolved.spec.name.as_str())
        {
            let allowed = allowed.iter().map(|m| m.to_string()).collect();
            let problem = Problem::NotOffered { provider: provider.to_string(), allowed, model: self.model.clone() };
            errors.push(FieldError::of(Param::Model, problem));
        }
        let upload_limit = provider.upload_limit();
        if resolved.spec.can_edit() {
            let images: Vec<_> = self.images.iter().map(|p| validate::InputFile::inspect(p, false)).collect();
            let mask = self.mask.as_deref().map(|p| validate::InputFile::inspect(p, true));
            errors.extend(validate::check_edit_inputs(resolved.spec, &images, mask.as_ref(), upload_limit));
        }
        errors.extend(validate::gif_with_mask(&self.options, self.mask.is_some()));
        if let Some(markup) = &self.markup {
            let first = self.images.first().map(|p| validate::InputFile::inspect(p, false));
            let markup = validate::InputFile::inspect(markup, true);
            errors.extend(validate::check_markup(resolved.spec, models, &markup, first.as_ref(), self.mask.is_some()));
        }
        if self.keep_unmasked && self.mask.is_none() {
            errors.push(FieldError::of(Param::KeepUnmasked, Problem::NeedsMask));
        }
        validate::verdict(models, &self.model, errors)
    }
}
