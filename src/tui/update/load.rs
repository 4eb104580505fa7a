//! A past job back into the form: "load into form" (undoable in one step), "edit this result",
//! and the check that an edit's inputs are still the files it sent.

use super::super::event::{Command, FileAsk};
use super::super::state::{Focus, JobMode, Severity, State};
use crate::store::{ImageRequest, JobRecord};

/// "Edit this result": the selected job's shown image becomes the input of a new edit.
pub(super) fn edit_result(state: &mut State) -> Vec<Command> {
    let Some(job) = state.jobs.job.details.as_ref().filter(|d| Some(d.id) == state.selected_job_id()) else {
        return Vec::new();
    };
    let Some(image) = job.images.get(state.jobs.job.image_index) else {
        state.set_notice(format!("job {} has no image to edit", job.id), Severity::Warning);
        return Vec::new();
    };
    let (id, path) = (job.id, image.path.clone());
    if state.jobs.job.missing_files.contains(&path) {
        state.set_notice(format!("job {id}'s image file is gone: {}", path.display()), Severity::Warning);
        return Vec::new();
    }
    for notice in state.compose.form.switch_mode(JobMode::Edit, &state.env.catalog) {
        state.set_notice(notice, Severity::Warning);
    }
    state.compose.form.images = vec![path.clone()];
    state.compose.form.mask = None;
    state.compose.form.markup = None;
    state.compose.form.parent = Some(id);
    state.layers.focus = Focus::Prompt;
    state.revalidate();
    state.set_notice(
        format!(
            "editing job {id}'s image {}: describe the change, then {}",
            state.jobs.job.image_index + 1,
            state.env.keymap.hint(crate::tui::keymap::Context::Prompt, crate::tui::action::Action::Submit)
        ),
        Severity::Info,
    );
    vec![Command::Files(FileAsk::InspectFiles { paths: vec![path], masks: false })]
}

/// Puts a past job's prompt and parameters back into the form.
pub(super) fn load_into_form(state: &mut State, job: &JobRecord) {
    let draft_form = state.compose.form.clone();
    let (prompt, model, options) = match &job.request {
        ImageRequest::Generate(r) => {
            state.compose.form.switch_mode(JobMode::Generate, &state.env.catalog);
            (&r.prompt, &r.model, &r.options)
        }
        ImageRequest::Edit(r) => {
            state.compose.form.switch_mode(JobMode::Edit, &state.env.catalog);
            state.compose.form.images = r.images.clone();
            state.compose.form.mask = r.mask.clone();
            state.compose.form.markup = r.markup.clone();
            state.compose.form.keep_unmasked = r.keep_unmasked;
            (&r.prompt, &r.model, &r.options)
        }
    };
    let loaded: Vec<String> = prompt.lines().map(str::to_string).collect();
    let replaced = state.replace_prompt(loaded.clone());
    // The load is one undo step of its own: typing after it starts a new one.
    super::undo::before_load(state, replaced.lines().to_vec());
    state.compose.draft_before_load = Some((replaced.lines().to_vec(), draft_form, loaded));
    state.compose.form.switch_model(model.clone(), &state.env.catalog);
    state.compose.form.options = options.clone();
    // Sent again, it is what the loaded job was: an edit of its parent, or of nothing.
    state.compose.form.parent = job.parent_id;
    state.layers.focus = Focus::Prompt;
    state.revalidate();
    let undo = state.env.keymap.hint(crate::tui::keymap::Context::Prompt, crate::tui::action::Action::Undo);
    state.set_notice(format!("loaded job {} into the form ({undo} brings your draft back)", job.id), Severity::Info);
}

/// Undo right after a load: the draft it replaced comes back, prompt and settings.
pub(super) fn restore_draft(state: &mut State) -> bool {
    let unchanged = state
        .compose
        .draft_before_load
        .as_ref()
        .is_some_and(|(_, _, loaded)| state.compose.prompt.lines() == loaded.as_slice());
    // Kept while the prompt differs: undoing the typing after a load comes back to it.
    if !unchanged {
        return false;
    }
    let Some((lines, form, _)) = state.compose.draft_before_load.take() else { return false };
    super::undo::after_restore(state, &lines);
    state.replace_prompt(lines);
    state.compose.form = form;
    state.revalidate();
    state.set_notice("your draft is back", Severity::Info);
    true
}

/// The inputs of an edit loaded from the history need their facts read again, and a check
/// that they are still the files the job sent.
pub(super) fn inspect_inputs(state: &State, job: &JobRecord) -> Vec<Command> {
    let mut commands = Vec::new();
    if !job.inputs.is_empty() {
        commands.push(Command::Files(FileAsk::CheckInputs { id: job.id, inputs: job.inputs.clone() }));
    }
    if !state.compose.form.images.is_empty() {
        commands.push(Command::Files(FileAsk::InspectFiles { paths: state.compose.form.images.clone(), masks: false }));
    }
    if let Some(mask) = &state.compose.form.mask {
        commands.push(Command::Files(FileAsk::InspectFiles { paths: vec![mask.clone()], masks: true }));
    }
    commands
}
