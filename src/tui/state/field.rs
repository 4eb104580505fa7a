//! The rows of the settings form, with the API's name and the label of each, and what each
//! row shows.

use std::path::PathBuf;

use crate::api::ModelSpec;
use crate::api::params::{self, Param};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Mode,
    Model,
    /// Input image `i` of an edit.
    Image(usize),
    /// The row that adds another input image.
    AddImage,
    Mask,
    /// Marks over the first image that say what to change (gpt-image-2.6).
    Markup,
    /// Outside the mask: the first input's pixels put back, or the API's image as it comes.
    KeepUnmasked,
    /// A row of the parameter table (`api::params`), cycling through what the model allows.
    Param(Param),
    /// Streaming with N partial images (`stream` + `partial_images`), or off.
    Partials,
    /// The setting a submit varies (model, quality or size), or off.
    Vary,
    /// The values it is varied over.
    VaryValues,
}

impl Field {
    /// The parameter whose problems belong under this row (the mode has none).
    pub fn param(self) -> Option<Param> {
        Some(match self {
            Self::Mode => return None,
            Self::Vary | Self::VaryValues => Param::Vary,
            Self::Image(_) | Self::AddImage => Param::Image,
            Self::Mask => Param::Mask,
            Self::Markup => Param::Markup,
            Self::KeepUnmasked => Param::KeepUnmasked,
            Self::Model => Param::Model,
            Self::Param(param) => param,
            Self::Partials => Param::PartialImages,
        })
    }

    pub fn label(self) -> String {
        match self {
            Self::Mode => "Mode".into(),
            Self::Image(i) => format!("Image {}", i + 1),
            Self::AddImage => "".into(),
            Self::Mask => "Mask".into(),
            Self::Markup => "Markup".into(),
            Self::KeepUnmasked => "Outside".into(),
            Self::Model => "Model".into(),
            Self::Param(param) => params::def_of(param).map_or(param.api_name(), |d| d.label).into(),
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
            Field::Markup if self.markup.is_some() => return self.markup.as_ref().map(file_name).unwrap_or_default(),
            _ => {}
        }
        match (self.value(field), field) {
            (Some(v), _) => v,
            (None, Field::Param(param)) => params::def_of(param).map_or_else(|| "default".into(), |d| (d.unset)(spec)),
            (None, Field::AddImage) => "+ add an image (Enter)".into(),
            (None, Field::Mask) => "none (Enter picks one, m paints one)".into(),
            (None, Field::Markup) => "none (Enter picks one, m draws one)".into(),
            (None, Field::KeepUnmasked) => "as returned (the models repaint a little beyond)".into(),
            (None, Field::Partials) => "off (the answer comes whole)".into(),
            (None, Field::Vary) => "off (one job per prompt)".into(),
            (None, Field::VaryValues) => self.vary.describe(),
            (None, _) => "default (auto)".into(),
        }
    }
}
