//! The rows of the settings form, with the API's name and the label of each, and what each
//! row shows.

use std::path::PathBuf;

use crate::api::ModelSpec;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Mode,
    Model,
    /// Input image `i` of an edit.
    Image(usize),
    /// The row that adds another input image.
    AddImage,
    Mask,
    /// Outside the mask: the first input's pixels put back, or the API's image as it comes.
    KeepUnmasked,
    InputFidelity,
    Size,
    Quality,
    N,
    OutputFormat,
    Compression,
    Background,
    Moderation,
    Style,
    ResponseFormat,
    /// Streaming with N partial images (`stream` + `partial_images`), or off.
    Partials,
    /// The setting a submit varies (model, quality or size), or off.
    Vary,
    /// The values it is varied over.
    VaryValues,
}

impl Field {
    /// The API's name, as validation errors carry it.
    pub fn api_name(self) -> &'static str {
        match self {
            Self::Mode => "mode",
            Self::Image(_) | Self::AddImage => "image",
            Self::Mask => "mask",
            Self::KeepUnmasked => "keep_unmasked",
            Self::InputFidelity => "input_fidelity",
            Self::Model => "model",
            Self::Size => "size",
            Self::Quality => "quality",
            Self::N => "n",
            Self::OutputFormat => "output_format",
            Self::Compression => "output_compression",
            Self::Background => "background",
            Self::Moderation => "moderation",
            Self::Style => "style",
            Self::ResponseFormat => "response_format",
            Self::Partials => "partial_images",
            Self::Vary | Self::VaryValues => "vary",
        }
    }

    pub fn label(self) -> String {
        match self {
            Self::Mode => "Mode".into(),
            Self::Image(i) => format!("Image {}", i + 1),
            Self::AddImage => "".into(),
            Self::Mask => "Mask".into(),
            Self::KeepUnmasked => "Outside".into(),
            Self::InputFidelity => "Fidelity".into(),
            Self::Model => "Model".into(),
            Self::Size => "Size".into(),
            Self::Quality => "Quality".into(),
            Self::N => "Images (n)".into(),
            Self::OutputFormat => "Format".into(),
            Self::Compression => "Compression".into(),
            Self::Background => "Background".into(),
            Self::Moderation => "Moderation".into(),
            Self::Style => "Style".into(),
            Self::ResponseFormat => "Response".into(),
            Self::Partials => "Partials".into(),
            Self::Vary => "Vary".into(),
            Self::VaryValues => "Values".into(),
        }
    }
}

impl super::SettingsForm {
    /// What a row shows: the value, or the model's default in words.
    pub fn value_label(&self, field: Field, spec: &ModelSpec) -> String {
        let file_name =
            |p: &PathBuf| p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned());
        match field {
            Field::Image(i) if i < self.images.len() => return file_name(&self.images[i]),
            Field::Mask if self.mask.is_some() => return self.mask.as_ref().map(file_name).unwrap_or_default(),
            _ => {}
        }
        match (self.value(field), field) {
            (Some(v), _) => v,
            (None, Field::Size) => format!("default ({})", spec.default_size),
            (None, Field::Quality) => format!("default ({})", spec.default_quality),
            (None, Field::N) => "1".into(),
            (None, Field::OutputFormat) => format!("default ({})", spec.default_output_format),
            (None, Field::Compression) => "default (100)".into(),
            (None, Field::ResponseFormat) => format!("default ({})", spec.default_response_format),
            (None, Field::Style) => format!("default ({})", spec.styles.first().map_or("", String::as_str)),
            (None, Field::AddImage) => "+ add an image (Enter)".into(),
            (None, Field::InputFidelity) => "default (low)".into(),
            (None, Field::Mask) => "none (Enter picks one, m paints one)".into(),
            (None, Field::KeepUnmasked) => "as returned (the models repaint a little beyond)".into(),
            (None, Field::Partials) => "off (the answer comes whole)".into(),
            (None, Field::Vary) => "off (one job per prompt)".into(),
            (None, Field::VaryValues) => self.vary.describe(),
            (None, _) => "default (auto)".into(),
        }
    }
}
