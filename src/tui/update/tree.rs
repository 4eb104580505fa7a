//! The history as a tree of edits (`t`), and `p`: to the job this one edited, fetching older
//! pages until it is loaded.

use super::super::event::{Command, StoreAsk};
use super::super::state::{Severity, State};
use super::selection_changed;

pub(super) fn toggle(state: &mut State) -> Vec<Command> {
    state.jobs.history.tree = !state.jobs.history.tree;
    state.jobs.history.arrange();
    let text = if state.jobs.history.tree { "as a tree of edits (t: as a list)" } else { "as a list" };
    state.set_notice(text, Severity::Info);
    Vec::new()
}

pub(super) fn parent(state: &mut State) -> Vec<Command> {
    let Some(row) = state.jobs.history.selected_row() else { return Vec::new() };
    let (id, parent) = (row.id, row.parent_id);
    let Some(parent) = parent else {
        state.set_notice(format!("job {id} edited no earlier job (or that job was deleted)"), Severity::Info);
        return Vec::new();
    };
    if state.jobs.history.select(parent) {
        return selection_changed(state);
    }
    state.jobs.history.seeking = Some(parent);
    state.set_notice(format!("looking for job {parent}…"), Severity::Info);
    match state.jobs.history.next_page() {
        Some((query, generation)) => vec![Command::Store(StoreAsk::LoadHistory { query, append: true, generation })],
        // A page is on its way: the search goes on when it comes.
        None if state.jobs.history.loading => Vec::new(),
        None => not_found(state),
    }
}

/// After a page: the job `p` asked for, selected once loaded, or the next page asked for.
/// `None` when nothing is sought.
pub(super) fn seek_further(state: &mut State) -> Option<Vec<Command>> {
    let wanted = state.jobs.history.seeking?;
    if state.jobs.history.select(wanted) {
        state.jobs.history.seeking = None;
        state.status.notice = None;
        return Some(selection_changed(state));
    }
    Some(match state.jobs.history.next_page() {
        Some((query, generation)) => vec![Command::Store(StoreAsk::LoadHistory { query, append: true, generation })],
        // A page is on its way: the search goes on when it comes.
        None if state.jobs.history.loading => Vec::new(),
        None => not_found(state),
    })
}

fn not_found(state: &mut State) -> Vec<Command> {
    let Some(wanted) = state.jobs.history.seeking.take() else { return Vec::new() };
    state.set_notice(
        format!("job {wanted} is not in this list (a search or the starred filter hides it)"),
        Severity::Info,
    );
    Vec::new()
}
