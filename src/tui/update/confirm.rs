//! Enter on a question (quit, cancel, delete, drop the painted mask) or a one-line input, and
//! quitting, which asks first while work would be lost.

use super::super::event::{Command, StoreAsk};
use super::super::state::{Confirm, Layer, PainterView, State};
use super::{models, selection_changed};

pub(super) fn confirm(state: &mut State) -> Vec<Command> {
    let answerable =
        |l: &Layer| matches!(l, Layer::Confirm(_) | Layer::ModelName(_) | Layer::CustomSize(_) | Layer::HistorySearch);
    if !state.layers.top_is(answerable) {
        return Vec::new();
    }
    let what = match state.layers.pop() {
        Some(Layer::Confirm(what)) => what,
        Some(Layer::ModelName(name)) => {
            models::use_typed_name(state, &name);
            return Vec::new();
        }
        Some(Layer::CustomSize(size)) => {
            models::use_typed_size(state, &size);
            return Vec::new();
        }
        // Enter in the search box: the box closes, the filter stays (Esc clears it).
        _ => return Vec::new(),
    };
    match what {
        Confirm::Quit { .. } | Confirm::QuitDroppingMask => {
            state.quit = true;
            Vec::new()
        }
        Confirm::CancelJob(id) => vec![Command::CancelJob(id)],
        Confirm::CancelElsewhere { id, pid } => {
            state.set_notice(
                format!("asked imgtui pid {pid} to cancel job {id}: it looks every second"),
                crate::tui::state::Severity::Info,
            );
            vec![Command::Store(StoreAsk::AskCancel(id))]
        }
        Confirm::Rerun { id, .. } => vec![Command::Store(StoreAsk::Rerun(id))],
        Confirm::OverBudget { requests, parent, .. } => vec![Command::Submit { requests, parent, budget: None }],
        Confirm::SendGroup { requests, parent, budget, .. } => {
            state.set_notice(format!("submitted {} jobs", requests.len()), crate::tui::state::Severity::Info);
            state.status.demo_line = None;
            vec![Command::Submit { requests, parent, budget }]
        }
        Confirm::DropMask => {
            state.layers.close_painter();
            Vec::new()
        }
        Confirm::DeleteJob(id) => {
            // Gone from the list at once: a `d` typed ahead (keys arrive in batches over SSH)
            // meets the next job, never this one again.
            state.jobs.history.rows.retain(|row| row.id != id);
            state.jobs.history.selected =
                state.jobs.history.selected.min(state.jobs.history.rows.len().saturating_sub(1));
            let mut commands = vec![Command::Store(StoreAsk::DeleteJob(id))];
            commands.extend(selection_changed(state));
            commands
        }
    }
}

/// Quits, or asks first while jobs run or images wait to be written.
pub(super) fn quit(state: &mut State) -> Vec<Command> {
    // A submit on its way counts: its job is about to run.
    let (running, unsaved) = (state.jobs.live.len() + state.jobs.sending, state.jobs.unsaved);
    let painted = state.layers.painter().is_some_and(PainterView::changed);
    let asked = state.layers.top_is(|l| matches!(l, Layer::Confirm(Confirm::Quit { .. } | Confirm::QuitDroppingMask)));
    if asked {
        // Asked already: the same key again is the answer.
        state.quit = true;
    } else if running > 0 || unsaved > 0 {
        state.layers.push(Layer::Confirm(Confirm::Quit { running, unsaved, painted }));
    } else if painted {
        state.layers.push(Layer::Confirm(Confirm::QuitDroppingMask));
    } else {
        state.quit = true;
    }
    Vec::new()
}
