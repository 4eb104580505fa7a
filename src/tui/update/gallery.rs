//! The gallery's keys. Its selection is the history's: moving here moves there (and loads the
//! job's details), so the viewer, e/r/E/d work on the same job.

use super::super::action::Action;
use super::super::event::{Command, StoreAsk};
use super::super::state::gallery::Thumb;
use super::super::state::gallery::layout;
use super::super::state::{Gallery, Layer, State};
use super::{jobs, load, viewer};
use crate::store::JobId;

/// `V`: the gallery opens on the selected job's page.
pub(super) fn open(state: &mut State) -> Vec<Command> {
    state.layers.close(|l| matches!(l, Layer::HistorySearch));
    state.layers.push(Layer::Gallery(Gallery::default()));
    let mut commands = ask_for_page(state);
    commands.extend(state.selected_job_id().map(|id| Command::Store(StoreAsk::LoadDetails(id))));
    commands
}

pub(super) fn on_action(state: &mut State, action: Action) -> Vec<Command> {
    let (cols, rows) = layout(state.env.screen.0, state.env.screen.1);
    let (cols, page) = (cols as isize, (cols * rows) as isize);
    let delta = match action {
        Action::Left => -1,
        Action::Right => 1,
        Action::Up => -cols,
        Action::Down => cols,
        Action::PageUp => -page,
        Action::PageDown => page,
        Action::First => isize::MIN / 2,
        Action::Last => isize::MAX / 2,
        Action::Cancel | Action::Gallery => {
            state.layers.close_gallery();
            return Vec::new();
        }
        Action::View => return viewer::open(state),
        Action::LoadJob => {
            state.layers.close_gallery();
            return jobs::on_action(state, action);
        }
        Action::EditResult => {
            let commands = load::edit_result(state);
            // Started (the form shows the edit): the gallery gives way; refused: it stays.
            if !commands.is_empty() {
                state.layers.close_gallery();
            }
            return commands;
        }
        Action::RerunJob | Action::DeleteJob => return jobs::on_action(state, action),
        _ => return super::on_action(state, action),
    };
    let mut commands = super::move_history(state, delta);
    commands.extend(ask_for_page(state));
    commands
}

/// A click on the tile of the history's row `index`.
pub(super) fn select(state: &mut State, index: usize) -> Vec<Command> {
    let mut commands = super::move_history(state, index as isize - state.jobs.history.selected as isize);
    commands.extend(ask_for_page(state));
    commands
}

/// The jobs on the selected job's page.
pub fn page_jobs(state: &State) -> Vec<JobId> {
    let (cols, rows) = layout(state.env.screen.0, state.env.screen.1);
    let per_page = usize::from(cols * rows);
    let start = state.jobs.history.selected / per_page * per_page;
    state.jobs.history.rows.iter().skip(start).take(per_page).map(|r| r.id).collect()
}

/// Asks for the first images of the page's jobs not asked for yet.
pub(super) fn ask_for_page(state: &mut State) -> Vec<Command> {
    let wanted = page_jobs(state);
    let Some(gallery) = state.layers.gallery_mut() else { return Vec::new() };
    let missing: Vec<JobId> = wanted.into_iter().filter(|id| !gallery.first_images.contains_key(id)).collect();
    if missing.is_empty() {
        return Vec::new();
    }
    // Asked: not asked again while the answer is on its way.
    for id in &missing {
        gallery.first_images.insert(*id, None);
    }
    vec![Command::Store(StoreAsk::LoadFirstImages(missing))]
}

/// The store's answer: each job's first image file.
pub(super) fn first_images(state: &mut State, found: Vec<(JobId, std::path::PathBuf, String)>) {
    if let Some(gallery) = state.layers.gallery_mut() {
        for (id, path, sha256) in found {
            gallery.first_images.insert(id, Some(Thumb { path, sha256 }));
        }
    }
}
