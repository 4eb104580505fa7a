//! Moving through what has a list: the history (with its next page), the settings rows, the
//! help's lines.

use super::super::action::Action;
use super::super::event::{Command, StoreAsk};
use super::super::state::{Focus, State};
use super::selection_changed;

pub(super) fn move_in_focus(state: &mut State, action: Action) -> Vec<Command> {
    let page = if state.layers.focus == Focus::History && state.layers.help().is_none() {
        state.jobs.history.scroll.page()
    } else {
        10
    };
    let Some(delta) = action.rows(page) else { return Vec::new() };
    if let Some(view) = state.layers.help_mut() {
        // Never past the last page (as the last frame drew it): the first ↑ after G moves.
        view.scroll = (view.scroll as isize + delta).clamp(0, view.last_page as isize) as u16;
        return Vec::new();
    }
    match state.layers.focus {
        Focus::Settings => {
            state.compose.form.move_selection(&state.env.catalog, delta);
            Vec::new()
        }
        // `G` with rows not loaded yet: the rest is read, and the last one selected.
        Focus::History if action == Action::Last && state.jobs.history.is_full() => {
            let most = crate::tui::state::history::MOST_LOADED;
            state.set_notice(
                format!("the list holds the newest {most} jobs; / searches all of them, f the starred"),
                crate::tui::state::Severity::Info,
            );
            move_history(state, delta)
        }
        Focus::History if action == Action::Last && !state.jobs.history.exhausted => {
            let rest = state.jobs.history.rest();
            let mut commands = move_history(state, delta);
            if let Some((query, generation)) = rest {
                commands.push(Command::Store(StoreAsk::LoadHistory { query, append: true, generation }));
            }
            commands
        }
        Focus::History => move_history(state, delta),
        _ => Vec::new(),
    }
}

/// Moves the history's selection by `delta`: the new job's details, and the next page when the
/// end is near.
pub(super) fn move_history(state: &mut State, delta: isize) -> Vec<Command> {
    let mut commands = Vec::new();
    if state.jobs.history.move_by(delta) {
        commands.extend(selection_changed(state));
    }
    if state.jobs.history.wants_more()
        && let Some((query, generation)) = state.jobs.history.next_page()
    {
        commands.push(Command::Store(StoreAsk::LoadHistory { query, append: true, generation }));
    }
    commands
}
