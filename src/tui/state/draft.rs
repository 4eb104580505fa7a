//! The unsent prompt and form, kept as the user types: written to a small file in the state
//! dir (atomically, a moment after the last change) and put back at the next start, so nothing
//! typed is lost to a stray `q`, a dropped SSH session or a crash. Each running imgtui keeps its
//! own file (named by its pid and start time): two on one state dir never overwrite each
//! other's draft, and a new one adopts the newest draft whose imgtui is gone.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::State;
use super::form::JobMode;
use crate::api::ImageOptions;

/// The folder of drafts, under the state dir.
pub const DIR: &str = "drafts";
/// The most a draft file may hold: a prompt of the longest model's limit and a form.
const MAX_BYTES: u64 = 1024 * 1024;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub prompt: Vec<String>,
    pub edit: bool,
    pub model: String,
    #[serde(default)]
    pub options: ImageOptions,
    #[serde(default)]
    pub images: Vec<PathBuf>,
    #[serde(default)]
    pub mask: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markup: Option<PathBuf>,
    #[serde(default)]
    pub keep_unmasked: bool,
    /// The setting Vary compares ("quality") and the values chosen for it.
    #[serde(default)]
    pub vary: Option<(String, Vec<String>)>,
    /// The job whose result this edit edits ("edit this result").
    #[serde(default)]
    pub parent: Option<crate::store::JobId>,
}

impl State {
    /// The prompt and form, when they changed since they were last handed out to be kept.
    pub fn draft_changed(&mut self) -> Option<Draft> {
        let draft = Draft::of(self);
        (self.compose.saved_draft.as_ref() != Some(&draft)).then(|| {
            self.compose.saved_draft = Some(draft.clone());
            draft
        })
    }
}

impl Draft {
    /// What the prompt and the form hold now.
    pub fn of(state: &State) -> Self {
        let form = &state.compose.form;
        Self {
            prompt: state.compose.prompt.lines().to_vec(),
            edit: form.mode == JobMode::Edit,
            model: form.model.clone(),
            options: form.options.clone(),
            images: form.images.clone(),
            mask: form.mask.clone(),
            markup: form.markup.clone(),
            keep_unmasked: form.keep_unmasked,
            vary: form.vary.setting.map(|setting| (setting.name().to_string(), form.vary.chosen.clone())),
            parent: form.parent,
        }
    }

    /// Whether there is anything in it worth putting back: a prompt, inputs, or settings
    /// changed from their defaults.
    pub fn is_empty(&self) -> bool {
        self.prompt.iter().all(|line| line.trim().is_empty())
            && self.images.is_empty()
            && self.mask.is_none()
            && self.markup.is_none()
            && self.options == ImageOptions::default()
            && self.vary.is_none()
    }

    /// Puts the draft back into the prompt and the form (a model that is no longer offered is
    /// kept: the form says what is wrong with it).
    pub fn restore(self, state: &mut State) {
        state.replace_prompt(self.prompt);
        let form = &mut state.compose.form;
        form.mode = if self.edit { JobMode::Edit } else { JobMode::Generate };
        form.model = self.model;
        form.options = self.options;
        form.images = self.images;
        form.mask = self.mask;
        form.markup = self.markup;
        form.keep_unmasked = self.keep_unmasked;
        form.parent = self.parent;
        // Vary comes back with the values the model still takes.
        if let Some((setting, chosen)) = self.vary
            && let Some(setting) = super::vary::Varied::from_name(&setting)
        {
            let edit = state.compose.form.mode == JobMode::Edit;
            let candidates = super::vary::Vary::candidates(setting, state.spec(), &state.env.catalog, edit);
            let vary = &mut state.compose.form.vary;
            vary.set(Some(setting), &state.compose.form.model, &candidates);
            vary.chosen = candidates.iter().filter(|c| chosen.contains(c)).cloned().collect();
        }
        state.revalidate();
    }

    /// Adopts the newest draft left by an imgtui that is no longer running (its file becomes
    /// this process's), with how many older ones wait for the next starts. A file that is not
    /// ours (too big, a FIFO, not JSON, a name we did not write) is no draft.
    pub fn adopt_left_behind(state_dir: &Path) -> Option<(Self, usize)> {
        let mut left = left_by_the_gone(state_dir);
        while let Some(path) = left.pop() {
            let Some(draft) = read(&path) else { continue };
            let mine = file_of(state_dir);
            // Renamed, not copied: the draft is never in no file, and never in two.
            if std::fs::rename(&path, &mine).is_ok() && !draft.is_empty() {
                return Some((draft, left.len()));
            }
        }
        None
    }

    /// The newest draft, not empty, left by an imgtui that is gone now: one that was still
    /// leaving when this one started (a SIGHUP and a new session at once).
    pub fn left_behind(state_dir: &Path) -> Option<(Self, PathBuf)> {
        left_by_the_gone(state_dir)
            .into_iter()
            .rev()
            .find_map(|path| read(&path).filter(|d| !d.is_empty()).map(|d| (d, path)))
    }

    /// Writes it atomically (a reader never sees half of it) as this process's draft; an empty
    /// draft removes the file.
    pub fn save(&self, state_dir: &Path) -> std::io::Result<()> {
        let path = file_of(state_dir);
        if self.is_empty() {
            return match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            };
        }
        std::fs::create_dir_all(state_dir.join(DIR))?;
        let text = serde_json::to_vec(self).map_err(std::io::Error::other)?;
        crate::files::replace_file_atomically(&path, &text)
    }
}

/// The draft files whose imgtui is no longer running, oldest first.
fn left_by_the_gone(state_dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(state_dir.join(DIR)) else { return Vec::new() };
    let mut left: Vec<(std::time::SystemTime, PathBuf)> = entries
        .flatten()
        .filter(|entry| owner_of(&entry.file_name().to_string_lossy()).is_some_and(|o| !o.is_alive()))
        .filter_map(|entry| Some((entry.metadata().ok()?.modified().ok()?, entry.path())))
        .collect();
    left.sort();
    left.into_iter().map(|(_, path)| path).collect()
}

fn read(path: &Path) -> Option<Draft> {
    let text = crate::files::read_text_bounded(path, MAX_BYTES).ok()?;
    serde_json::from_str(&text).ok()
}

/// This process's draft file: `drafts/draft-PID-START.json`.
fn file_of(state_dir: &Path) -> PathBuf {
    let me = crate::process::Owner::this();
    state_dir.join(DIR).join(format!("draft-{}-{}.json", me.pid, me.started.unwrap_or(0)))
}

/// The imgtui a draft file belongs to, by its name.
fn owner_of(name: &str) -> Option<crate::process::Owner> {
    let (pid, started) = name.strip_prefix("draft-")?.strip_suffix(".json")?.split_once('-')?;
    let started: u64 = started.parse().ok()?;
    Some(crate::process::Owner { pid: pid.parse().ok()?, started: (started != 0).then_some(started) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_names_its_owner_and_only_a_gone_ones_is_adopted() {
        let dir = tempfile::tempdir().unwrap();
        let draft = Draft { prompt: vec!["a red fox".into()], model: "gpt-image-2".into(), ..Draft::default() };
        draft.save(dir.path()).unwrap();
        // Our own (alive) draft is not taken from us.
        assert_eq!(Draft::adopt_left_behind(dir.path()), None);
        // One left by a process that is gone (pid 0 never names a user process), and junk beside it.
        let gone = dir.path().join(DIR).join("draft-999999999-7.json");
        std::fs::rename(file_of(dir.path()), &gone).unwrap();
        std::fs::write(dir.path().join(DIR).join("draft-999999998-7.json"), "not json").unwrap();
        std::fs::write(dir.path().join(DIR).join("notes.txt"), "mine").unwrap();
        let (back, more) = Draft::adopt_left_behind(dir.path()).unwrap();
        assert_eq!((back, more), (draft.clone(), 0));
        assert!(!gone.exists() && file_of(dir.path()).exists(), "adopted: now this process's file");
        assert!(dir.path().join(DIR).join("notes.txt").exists(), "a file we did not write is left alone");
        // Emptied: the file goes.
        Draft::default().save(dir.path()).unwrap();
        assert!(!file_of(dir.path()).exists());
        assert_eq!(owner_of("draft-12-0.json"), Some(crate::process::Owner { pid: 12, started: None }));
        assert_eq!(owner_of("draft-x-0.json"), None);
    }
}
