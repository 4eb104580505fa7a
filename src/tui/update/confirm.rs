//! Enter on a question (quit, cancel, delete, drop the painted mask) or a one-line input, and
//! quitting, which asks first while work would be lost.

use super::super::event::Command;
use super::super::state::{Confirm, Overlay, State};
use super::{models, selection_changed};

pub(super) fn confirm(state: &mut State) -> Vec<Command> {
    let what = match state.overlay.take() {
        Some(Overlay::Confirm(what)) => what,
        Some(Overlay::ModelName(name)) => {
            models::use_typed_name(state, &name);
            return Vec::new();
        }
        Some(Overlay::CustomSize(size)) => {
            models::use_typed_size(state, &size);
            return Vec::new();
        }
        None if state.history.searching => {
            // Enter in the search box: the box closes, the filter stays (Esc clears it).
            state.history.searching = false;
            return Vec::new();
        }
        other => {
            state.overlay = other;
            return Vec::new();
        }
    };
    match what {
        Confirm::Quit { .. } | Confirm::QuitDroppingMask => {
            state.quit = true;
            Vec::new()
        }
        Confirm::CancelJob(id) => vec![Command::CancelJob(id)],
        Confirm::OverBudget { requests, parent, .. } => vec![Command::Submit { requests, parent, budget: None }],
        Confirm::SendGroup { requests, parent, budget, .. } => {
            state.set_notice(format!("submitted {} jobs", requests.len()), crate::tui::state::Severity::Info);
            state.demo_line = None;
            vec![Command::Submit { requests, parent, budget }]
        }
        Confirm::DropMask => {
            state.painter = None;
            Vec::new()
        }
        Confirm::DeleteJob(id) => {
            // Gone from the list at once: a `d` typed ahead (keys arrive in batches over SSH)
            // meets the next job, never this one again.
            state.history.rows.retain(|row| row.id != id);
            state.history.selected = state.history.selected.min(state.history.rows.len().saturating_sub(1));
            let mut commands = vec![Command::DeleteJob(id)];
            commands.extend(selection_changed(state));
            commands
        }
    }
}

/// Quits, or asks first while jobs run or images wait to be written.
pub(super) fn quit(state: &mut State) -> Vec<Command> {
    let (running, unsaved) = (state.live.len(), state.unsaved);
    let painted = state.painter.as_ref().is_some_and(|view| view.painter.changed());
    if running > 0 || unsaved > 0 {
        state.overlay = Some(Overlay::Confirm(Confirm::Quit { running, unsaved }));
    } else if painted {
        state.overlay = Some(Overlay::Confirm(Confirm::QuitDroppingMask));
    } else {
        state.quit = true;
    }
    Vec::new()
}
