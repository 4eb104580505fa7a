//! The full-screen viewer: the image the preview would show (the selected job's, or the
//! browser's highlighted file), on the whole terminal, fitted or zoomed, with an info panel.

use crate::preview::Zoom;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Viewer {
    /// The prompt, parameters and tokens are shown under the picture.
    pub info: bool,
    pub zoom: Zoom,
    /// All of a job's images side by side instead of the chosen one (`g`).
    pub grid: bool,
}
