//! Which pictures the state shows: the preview's image, and whether a prepared picture is
//! still wanted on screen.

use std::path::PathBuf;

use super::browser;

impl super::State {
    /// The image the preview pane should show: the browser's highlighted file while it is
    /// open, else the selected job's current image.
    pub fn preview_path(&self) -> Option<PathBuf> {
        if let Some(browser) = self.layers.browser() {
            return match browser.selected_row() {
                Some(browser::Row::Entry(e)) if e.looks_like_image() => Some(e.path.clone()),
                _ => None,
            };
        }
        let job = self.jobs.job.details.as_ref().filter(|d| Some(d.id) == self.selected_job_id())?;
        if job.images.is_empty() {
            return self.live_partial(job.id).map(|(_, path)| path.clone());
        }
        let image = job.images.get(self.jobs.job.image_index)?;
        (!self.jobs.job.missing_files.contains(&image.path)).then(|| image.path.clone())
    }

    /// Whether `path` is on screen now: the preview's, one of the selected job's images (a
    /// grid), or a gallery thumbnail.
    pub fn shows(&self, path: &std::path::Path) -> bool {
        let of_job = self.jobs.job.details.as_ref().is_some_and(|d| d.images.iter().any(|i| i.path == path));
        let in_gallery = self.layers.gallery().is_some_and(|g| g.sha256_of(path).is_some());
        let compared = self.layers.viewer().is_some_and(|v| v.compare) && self.compare_with().as_deref() == Some(path);
        let painted_over = self.layers.painter().is_some_and(|p| p.image == path);
        let in_group = self
            .layers
            .viewer()
            .and_then(|v| v.group.as_ref())
            .is_some_and(|members| members.iter().any(|m| m.image.as_deref() == Some(path)));
        of_job || in_gallery || compared || painted_over || in_group || self.preview_path().as_deref() == Some(path)
    }
}
