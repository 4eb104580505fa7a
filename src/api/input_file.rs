//! One input file of an edit, as far as the rules need to know it: its header facts and, for
//! a mask, how much of it is transparent.

use std::path::Path;

use super::image_facts::{self, FactsError, ImageFacts, ImageFormat};

/// One input file of an edit, as far as the rules need to know it.
#[derive(Clone, Debug, PartialEq)]
pub struct InputFile {
    pub label: String,
    pub facts: Result<ImageFacts, FactsError>,
    /// For masks: the share of pixels with alpha 0, the area to edit (`None` when it could not
    /// be decoded or was not looked at).
    pub transparent_share: Option<f64>,
    /// What was checked: the header only, or (for a mask) its pixels too. A header read never
    /// stands in for a full check.
    pub depth: Depth,
}

/// How far a file was looked at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Depth {
    Header,
    Pixels,
}

impl InputFile {
    /// Reads the header of `path` (and, for a PNG mask, its pixels).
    pub fn inspect(path: &Path, is_mask: bool) -> Self {
        let facts = ImageFacts::read(path);
        let transparent_share = match &facts {
            Ok(f) if is_mask && f.format == ImageFormat::Png => {
                crate::files::read_regular(path, crate::files::IMAGE_FILE_MAX)
                    .ok()
                    .and_then(|bytes| image_facts::transparent_share(&bytes).ok())
            }
            _ => None,
        };
        let depth = if is_mask { Depth::Pixels } else { Depth::Header };
        Self { label: path.display().to_string(), facts, transparent_share, depth }
    }

    /// The same facts for a file held in memory (the demo server's uploads).
    pub fn from_bytes(label: impl Into<String>, bytes: &[u8], is_mask: bool) -> Self {
        let facts = ImageFacts::from_header(bytes);
        let transparent_share = match &facts {
            Ok(f) if is_mask && f.format == ImageFormat::Png => image_facts::transparent_share(bytes).ok(),
            _ => None,
        };
        let depth = if is_mask { Depth::Pixels } else { Depth::Header };
        Self { label: label.into(), facts, transparent_share, depth }
    }

    /// For masks: whether a pixel has alpha 0 (the API edits only there).
    pub fn has_transparent_pixel(&self) -> Option<bool> {
        self.transparent_share.map(|share| share > 0.0)
    }
}
