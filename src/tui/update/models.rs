//! The model selector: cycling through what the catalog offers, a typed name ("other…"), the
//! provider's list arriving after the first frame, and re-runs of a model that is gone.

use super::super::event::{Command, FileAsk};
use super::super::state::form::Cycled;
use super::super::state::{Field, Layer, Severity, State};
use crate::api::lifecycle::Lifecycle;
use crate::catalog::Listing;
use crate::store::JobRecord;

pub(super) use crate::api::validate::MODEL_NAME_MAX as NAME_MAX;

/// ←/→ on the selected row; on the Model row, "other…" opens the name input.
pub(super) fn cycle(state: &mut State, delta: isize) {
    match state.compose.form.cycle(&state.env.catalog, delta) {
        Cycled::Changed(notices) => {
            for notice in notices {
                state.set_notice(notice, Severity::Warning);
            }
        }
        Cycled::AskModelName => state.layers.push(Layer::ModelName(String::new())),
        Cycled::AskCustomSize => state.layers.push(Layer::CustomSize(String::new())),
    }
    state.revalidate();
}

/// Backspace on a row: its default. The Model row's is the model imgtui starts with (the
/// config's `default_model`, else the catalog's choice).
pub(super) fn reset(state: &mut State) {
    if state.compose.form.selected_field(Some(state.spec())) == Field::Model {
        let (model, _) = state.env.catalog.default_model(state.compose.configured_model.as_deref());
        if model != state.compose.form.model {
            for notice in state.compose.form.switch_model(model, &state.env.catalog.clone()) {
                state.set_notice(notice, Severity::Warning);
            }
        }
    } else {
        state.compose.form.reset_selected(&state.env.catalog);
    }
    state.revalidate();
}

/// The text of the open one-line input (a model name, a custom size).
fn typed(state: &mut State) -> Option<&mut String> {
    match state.layers.top_mut() {
        Some(Layer::ModelName(text) | Layer::CustomSize(text)) => Some(text),
        _ => None,
    }
}

/// Text pasted into the one-line input: control characters dropped, the length capped.
pub(super) fn paste_name(state: &mut State, text: &str) {
    let Some(name) = typed(state) else { return };
    let room = NAME_MAX.saturating_sub(crate::text::char_count(name));
    name.extend(text.chars().filter(|c| !c.is_control()).take(room));
}

/// Enter in the custom size input: the typed `WxH`, checked by the model's rules as typed.
pub(super) fn use_typed_size(state: &mut State, size: &str) {
    let size = size.trim().to_ascii_lowercase().replace(['×', 'X'], "x");
    let spec = state.spec();
    if !spec.size_allowed(&size) {
        let why = format!(
            "size \"{size}\" is not allowed for {} (allowed: {})",
            state.compose.form.model,
            spec.sizes_description()
        );
        state.set_notice(format!("{why}: nothing changed"), Severity::Warning);
        // The box stays open with what was typed, to be corrected.
        state.layers.push(Layer::CustomSize(size));
        return;
    }
    state.compose.form.set(super::super::state::Field::Param(crate::api::Param::Size), Some(size.clone()));
    state.revalidate();
    state.set_notice(format!("size {size}"), Severity::Info);
}

/// Enter in the name input: the typed model, with its rules from the table or guessed.
pub(super) fn use_typed_name(state: &mut State, name: &str) {
    let name = name.trim();
    if let Some(problem) = crate::api::validate::model_name_problem(name) {
        state.set_notice(format!("model {}: nothing changed", problem.message()), Severity::Warning);
        if !name.is_empty() {
            state.layers.push(Layer::ModelName(name.to_string()));
        }
        return;
    }
    if !state.compose.form.typed_models.iter().any(|m| m == name) {
        state.compose.form.typed_models.push(name.to_string());
    }
    let notices = state.compose.form.switch_model(name.to_string(), &state.env.catalog);
    state.revalidate();
    let origin = state.env.catalog.table.origin(name);
    let mut text = format!("model {name}: rules {origin}");
    if let Some(notice) = notices.first() {
        text.push_str(&format!("; {notice}"));
    }
    state.set_notice(text, Severity::Info);
}

/// The provider's list arrived: the selector and the states follow it; a form still on the
/// default model moves to the new default.
pub(super) fn listed(state: &mut State, listing: Listing) {
    let configured = state.compose.configured_model.clone();
    let (old_default, _) = state.env.catalog.default_model(configured.as_deref());
    state.env.catalog.listing = listing;
    let (new_default, notice) = state.env.catalog.default_model(configured.as_deref());
    if state.compose.form.model == old_default && new_default != old_default {
        let notices = state.compose.form.switch_model(new_default, &state.env.catalog);
        if let Some(notice) = notices.into_iter().next() {
            state.set_notice(notice, Severity::Warning);
        }
    }
    if let Some(notice) = notice {
        state.set_notice(notice, Severity::Warning);
    }
    state.revalidate();
}

/// The job sent again (its record read, the question answered), unless its model has been
/// shut down since.
pub(super) fn rerun(state: &mut State, record: JobRecord) -> Vec<Command> {
    let model = record.request.model();
    if let Lifecycle::ShutDown { on } = state.env.catalog.state(model) {
        // What to do first: a long message is cut at its end.
        let instead = state
            .env
            .catalog
            .replacement(model)
            .map_or_else(|| "pick another model".to_string(), |m| format!("use {m}"));
        let provider = state.env.catalog.provider;
        state.set_notice(
            format!(
                "job {} not re-run: {instead}; {model} was shut down at {provider} on {on} (e loads it)",
                record.id
            ),
            Severity::Error,
        );
        return Vec::new();
    }
    if record.inputs.is_empty() {
        state.set_notice(format!("re-running job {}", record.id), Severity::Info);
        let budget = super::submit::budget_check(state, std::slice::from_ref(&record.request));
        return vec![Command::Submit { requests: vec![record.request], parent: None, budget }];
    }
    // An edit goes again only with the files it sent: checked first (off the UI task).
    state.set_notice(format!("checking job {}'s input files…", record.id), Severity::Info);
    let check = Command::Files(FileAsk::CheckInputs { id: record.id, inputs: record.inputs.clone() });
    state.jobs.rerun_after_check = Some(record);
    vec![check]
}

/// The inputs of job `id` were compared with the files at their paths: a re-run waiting on
/// that goes (the same files) or is refused; a load only warns.
pub(super) fn inputs_checked(state: &mut State, id: crate::store::JobId, changed: Vec<String>) -> Vec<Command> {
    let rerun = state.jobs.rerun_after_check.take_if(|r| r.id == id);
    match (rerun, changed.is_empty()) {
        (Some(record), true) => {
            state.set_notice(format!("re-running job {id}"), Severity::Info);
            let budget = super::submit::budget_check(state, std::slice::from_ref(&record.request));
            vec![Command::Submit { requests: vec![record.request], parent: None, budget }]
        }
        (Some(_), false) => {
            let e = state.env.keymap.hint(crate::tui::keymap::Context::History, crate::tui::action::Action::LoadJob);
            state.set_notice(
                format!("job {id} not re-run: {} ({e} loads it into the form)", changed.join("; ")),
                Severity::Error,
            );
            Vec::new()
        }
        (None, false) => {
            state.set_notice(
                format!("job {id}'s inputs are not the files it sent: {}", changed.join("; ")),
                Severity::Warning,
            );
            Vec::new()
        }
        (None, true) => Vec::new(),
    }
}
