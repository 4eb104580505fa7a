//! The two requests of the Images API with every parameter of the spec. Values are kept as the
//! strings the API takes; which ones a model accepts is the model table's business.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::models::ModelTable;
use super::provider::Provider;
use super::validate::{self, Endpoint, FieldError, Verdict};

/// Parameters shared by generations and edits. `None` means "not sent": the API's default.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImageOptions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_compression: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub background: Option<String>,
    /// Generations only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moderation: Option<String>,
    /// Generations only (dall-e-3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub style: Option<String>,
    /// Edits only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_fidelity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partial_images: Option<u32>,
}

impl ImageOptions {
    /// The same options asking for the whole answer at once (no `stream`, no partials).
    pub fn without_stream(&self) -> Self {
        Self { stream: None, partial_images: None, ..self.clone() }
    }

    /// The options as multipart text fields, in the spec's names.
    pub fn form_fields(&self) -> Vec<(&'static str, String)> {
        let mut fields = Vec::new();
        let mut push = |name: &'static str, value: Option<String>| {
            if let Some(v) = value {
                fields.push((name, v));
            }
        };
        push("n", self.n.map(|v| v.to_string()));
        push("size", self.size.clone());
        push("quality", self.quality.clone());
        push("response_format", self.response_format.clone());
        push("output_format", self.output_format.clone());
        push("output_compression", self.output_compression.map(|v| v.to_string()));
        push("background", self.background.clone());
        push("moderation", self.moderation.clone());
        push("style", self.style.clone());
        push("input_fidelity", self.input_fidelity.clone());
        push("user", self.user.clone());
        push("stream", self.stream.map(|v| v.to_string()));
        push("partial_images", self.partial_images.map(|v| v.to_string()));
        fields
    }

    /// Sets one option from a multipart text field; the error names the field and the rule.
    pub fn set_form_field(&mut self, name: &str, value: String) -> Result<(), FieldError> {
        let number = |v: &str| {
            v.trim()
                .parse::<u32>()
                .map_err(|_| FieldError::new(field_name(name), format!("\"{v}\" is not a whole number")))
        };
        match name {
            "n" => self.n = Some(number(&value)?),
            "size" => self.size = Some(value),
            "quality" => self.quality = Some(value),
            "response_format" => self.response_format = Some(value),
            "output_format" => self.output_format = Some(value),
            "output_compression" => self.output_compression = Some(number(&value)?),
            "background" => self.background = Some(value),
            "moderation" => self.moderation = Some(value),
            "style" => self.style = Some(value),
            "input_fidelity" => self.input_fidelity = Some(value),
            "user" => self.user = Some(value),
            "stream" => {
                self.stream = Some(match value.as_str() {
                    "true" => true,
                    "false" => false,
                    _ => return Err(FieldError::new("stream", format!("\"{value}\" is not true or false"))),
                })
            }
            "partial_images" => self.partial_images = Some(number(&value)?),
            _ => {} // Unknown fields are ignored, as the API ignores what it does not use.
        }
        Ok(())
    }
}

/// Maps a runtime field name to the static name errors carry.
fn field_name(name: &str) -> &'static str {
    match name {
        "n" => "n",
        "output_compression" => "output_compression",
        "partial_images" => "partial_images",
        _ => "field",
    }
}

/// `POST /images/generations`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GenerateRequest {
    pub prompt: String,
    pub model: String,
    #[serde(flatten)]
    pub options: ImageOptions,
}

impl GenerateRequest {
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
    /// imgtui's own step, not sent: after the edit, the pixels the mask protects are put back
    /// from the first input (the models repaint beyond the mask).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub keep_unmasked: bool,
    #[serde(flatten)]
    pub options: ImageOptions,
}

impl EditRequest {
    pub fn new(model: impl Into<String>, prompt: impl Into<String>, images: Vec<PathBuf>) -> Self {
        Self {
            prompt: prompt.into(),
            model: model.into(),
            images,
            mask: None,
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
            errors.push(FieldError::new(
                "model",
                format!("{provider} edits only with {} ({} is not offered there)", allowed.join(", "), self.model),
            ));
        }
        let upload_limit = provider.upload_limit();
        if resolved.spec.can_edit() {
            let images: Vec<_> = self.images.iter().map(|p| validate::InputFile::inspect(p, false)).collect();
            let mask = self.mask.as_deref().map(|p| validate::InputFile::inspect(p, true));
            errors.extend(validate::check_edit_inputs(resolved.spec, &images, mask.as_ref(), upload_limit));
        }
        if self.keep_unmasked && self.mask.is_none() {
            errors.push(FieldError::new(
                "keep_unmasked",
                "keeping the original outside the mask needs a mask: pick or paint one, or return the image as it comes",
            ));
        }
        validate::verdict(models, &self.model, errors)
    }
}
