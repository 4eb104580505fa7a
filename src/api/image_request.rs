//! A request as the history keeps it and the jobs send it: a generation or an edit, with
//! everything needed to run it again (never the key).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{EditRequest, GenerateRequest};

/// A request as the history keeps it: everything needed to run it again, never the key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ImageRequest {
    Generate(GenerateRequest),
    Edit(EditRequest),
}

impl ImageRequest {
    pub fn kind(&self) -> JobKind {
        match self {
            Self::Generate(_) => JobKind::Generate,
            Self::Edit(_) => JobKind::Edit,
        }
    }

    pub fn prompt(&self) -> &str {
        match self {
            Self::Generate(r) => &r.prompt,
            Self::Edit(r) => &r.prompt,
        }
    }

    pub fn model(&self) -> &str {
        match self {
            Self::Generate(r) => &r.model,
            Self::Edit(r) => &r.model,
        }
    }

    pub fn set_model(&mut self, model: String) {
        match self {
            Self::Generate(r) => r.model = model,
            Self::Edit(r) => r.model = model,
        }
    }

    pub fn set_prompt(&mut self, prompt: String) {
        match self {
            Self::Generate(r) => r.prompt = prompt,
            Self::Edit(r) => r.prompt = prompt,
        }
    }

    pub fn options(&self) -> &crate::api::ImageOptions {
        match self {
            Self::Generate(r) => &r.options,
            Self::Edit(r) => &r.options,
        }
    }

    /// Fills what the model requires but a person need not say (`ImageOptions::complete`); an
    /// edit asks for nothing that needs it.
    pub fn complete(&mut self, models: &crate::api::ModelTable) {
        if let Self::Generate(r) = self {
            r.options.complete(models.resolve(&r.model).spec);
        }
    }

    /// Input files with their role (`image`, `mask` or `markup`), in order.
    pub fn inputs(&self) -> Vec<(&'static str, PathBuf)> {
        match self {
            Self::Generate(_) => Vec::new(),
            Self::Edit(r) => {
                let images = r.images.iter().map(|p| ("image", p.clone()));
                let mask = r.mask.iter().map(|p| ("mask", p.clone()));
                images.chain(mask).chain(r.markup.iter().map(|p| ("markup", p.clone()))).collect()
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    Generate,
    Edit,
}

impl JobKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Generate => "generate",
            Self::Edit => "edit",
        }
    }
}
