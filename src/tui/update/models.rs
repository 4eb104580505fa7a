//! The model selector: cycling through what the catalog offers, a typed name ("other…"), the
//! provider's list arriving after the first frame, and re-runs of a model that is gone.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::super::event::Command;
use super::super::state::form::Cycled;
use super::super::state::{Overlay, Severity, State};
use crate::catalog::Listing;
use crate::store::JobRecord;

/// The longest model name the input takes (the API's ids are far shorter).
const NAME_MAX: usize = 200;

/// ←/→ on the selected row; on the Model row, "other…" opens the name input.
pub(super) fn cycle(state: &mut State, delta: isize) {
    match state.form.cycle(&state.catalog, delta) {
        Cycled::Changed(notices) => {
            for notice in notices {
                state.set_notice(notice, Severity::Warning);
            }
        }
        Cycled::AskModelName => state.overlay = Some(Overlay::ModelName(String::new())),
    }
    state.revalidate();
}

/// A key typed into the model name input.
pub(super) fn edit_name(state: &mut State, event: KeyEvent) {
    let Some(Overlay::ModelName(name)) = &mut state.overlay else { return };
    match event.code {
        KeyCode::Char(c)
            if !event.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                && !c.is_control()
                && name.chars().count() < NAME_MAX =>
        {
            name.push(c);
        }
        KeyCode::Backspace => {
            name.pop();
        }
        _ => {}
    }
}

/// Enter in the name input: the typed model, with its rules from the table or guessed.
pub(super) fn use_typed_name(state: &mut State, name: &str) {
    let name = name.trim();
    if name.is_empty() || name.chars().any(char::is_whitespace) {
        state.set_notice("a model name is one word, such as gpt-image-2.5-flare: nothing changed", Severity::Warning);
        return;
    }
    let notices = state.form.switch_model(name.to_string(), &state.catalog);
    state.revalidate();
    let origin = state.catalog.table.origin(name);
    let mut text = format!("model {name}: rules {origin}");
    if let Some(notice) = notices.first() {
        text.push_str(&format!("; {notice}"));
    }
    state.set_notice(text, Severity::Info);
}

/// The provider's list arrived: the selector and the states follow it; a form still on the
/// default model moves to the new default.
pub(super) fn listed(state: &mut State, listing: Listing) {
    let configured = state.configured_model.clone();
    let (old_default, _) = state.catalog.default_model(configured.as_deref());
    state.catalog.listing = listing;
    let (new_default, notice) = state.catalog.default_model(configured.as_deref());
    if state.form.model == old_default && new_default != old_default {
        let notices = state.form.switch_model(new_default, &state.catalog);
        if let Some(notice) = notices.into_iter().next() {
            state.set_notice(notice, Severity::Warning);
        }
    }
    if let Some(notice) = notice {
        state.set_notice(notice, Severity::Warning);
    }
    state.revalidate();
}

/// `r` on a job: sent again, unless its model has been shut down since.
pub(super) fn rerun(state: &mut State, record: JobRecord) -> Vec<Command> {
    if let Some(why) = state.catalog.refusal(record.request.model()) {
        state.set_notice(format!("job {} not re-run: {why} (e loads it into the form)", record.id), Severity::Error);
        return Vec::new();
    }
    state.set_notice(format!("re-running job {}", record.id), Severity::Info);
    vec![Command::Submit { request: Box::new(record.request), parent: None }]
}
