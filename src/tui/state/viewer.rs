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
}

impl super::State {
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
}
