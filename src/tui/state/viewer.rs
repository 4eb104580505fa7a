//! The full-screen viewer: the image the preview would show (the selected job's, or the
//! browser's highlighted file), on the whole terminal, fitted or zoomed, with an info panel.

use crate::preview::Zoom;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Viewer {
    /// The prompt, parameters and tokens are shown under the picture.
    pub info: bool,
    pub zoom: Zoom,
    /// All of a job's images side by side instead of the chosen one (`g`).
    pub grid: bool,
    /// The shown image beside another (`c`): the marked one, else the edit's input.
    pub compare: bool,
    /// An image marked with `m`, to compare with.
    pub marked: Option<std::path::PathBuf>,
    /// The job's group side by side (`G`): asked for, then its members.
    pub group: Option<Vec<crate::store::GroupMember>>,
    /// An animated GIF where the terminal does not play it: the frame shown (counted past the
    /// last; the preview wraps it), whether it plays, and since when this frame shows.
    pub frame: u32,
    pub playing: bool,
    pub frame_since: Option<std::time::Instant>,
}

impl super::State {
    /// The viewer's animated GIF, where the terminal does not play it (sixel, half-blocks):
    /// its frames and their time as its file has them, else as the job asked (else the model's
    /// defaults).
    pub fn stepped_gif(&self) -> Option<(u32, u32)> {
        use crate::preview::Graphics;
        self.layers.viewer()?;
        if matches!(self.env.graphics, Graphics::Kitty | Graphics::Iterm) {
            return None;
        }
        let path = self.preview_path()?;
        if !path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gif")) {
            return None;
        }
        // The file's own frames and time once a preview read them; until then what was asked.
        if let Some(animation) = self.previews.animation_of(&path) {
            return Some(animation);
        }
        let request = &self.jobs.job.details.as_ref()?.request;
        let rules = self.env.catalog.spec(request.model()).gif.as_ref()?;
        let options = request.options();
        let frames = options.frame_count.unwrap_or(rules.default_frames).max(1);
        let ms = options.frame_duration_ms.unwrap_or(rules.default_frame_ms).max(1);
        Some((frames, ms))
    }

    /// What the shown image is compared with: the marked image, else (for an edit) its input.
    pub fn compare_with(&self) -> Option<std::path::PathBuf> {
        let shown = self.preview_path();
        let viewer = self.layers.viewer()?;
        if let Some(marked) = viewer.marked.clone().filter(|m| Some(m) != shown.as_ref()) {
            return Some(marked);
        }
        let job = self.jobs.job.details.as_ref().filter(|d| Some(d.id) == self.selected_job_id())?;
        job.inputs.iter().find(|i| i.role.starts_with("image")).map(|i| i.path.clone())
    }

    /// The markup of the selected edit, drawn over its input when the two are compared.
    pub fn compared_markup(&self) -> Option<std::path::PathBuf> {
        let job = self.jobs.job.details.as_ref().filter(|d| Some(d.id) == self.selected_job_id())?;
        job.inputs.iter().find(|i| i.role == "markup").map(|i| i.path.clone())
    }
}
