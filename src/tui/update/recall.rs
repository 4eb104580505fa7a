//! Earlier prompts in the prompt: Ctrl-P/Ctrl-N walk them, Ctrl-R searches them; and stars on
//! jobs, with the history (and the gallery, which shows the history's jobs) narrowed to them.

use super::super::action::Action;
use super::super::event::{Command, StoreAsk};
use super::super::state::recall::{RecallSearch, Step};
use super::super::state::{Layer, Severity, State};
use super::reload_history;

/// Presses kept while the prompts are read (a moment; more are not kept).
const WAITING_MOST: usize = 16;

pub(super) fn on_action(state: &mut State, action: Action) -> Vec<Command> {
    let recall = &mut state.compose.recall;
    // Prompts being read (at start, or another imgtui's new ones): the press is done when they
    // arrive, a moment later, so it walks the list as it is now.
    if recall.stale || recall.asked {
        let mut commands = Vec::new();
        if std::mem::take(&mut recall.stale) {
            recall.asked = true;
            commands.push(Command::Store(StoreAsk::LoadPrompts { after: recall.newest }));
        }
        if recall.waiting.len() < WAITING_MOST {
            recall.waiting.push(action);
        }
        return commands;
    }
    let step = match action {
        Action::RecallOlder => state.compose.recall.older(state.compose.prompt.lines()),
        Action::RecallNewer => state.compose.recall.newer(),
        Action::RecallSearch => {
            if state.compose.recall.prompts.is_empty() {
                state.set_notice("no earlier prompts yet", Severity::Info);
            } else {
                state.layers.push(Layer::Recall(RecallSearch::new(&state.compose.recall)));
            }
            return Vec::new();
        }
        _ => return Vec::new(),
    };
    match step {
        Step::Show(prompt) => show(state, prompt.lines().map(str::to_string).collect()),
        Step::Draft(lines) => show(state, lines),
        Step::Stay => {}
    }
    Vec::new()
}

/// The prompts arrived (or could not be read): the presses that waited for them are done now.
pub(super) fn prompts_read(state: &mut State) -> Vec<Command> {
    state.compose.recall.asked = false;
    let waiting = std::mem::take(&mut state.compose.recall.waiting);
    waiting.into_iter().flat_map(|action| on_action(state, action)).collect()
}

/// Puts `lines` in the prompt, the cursor at its end, as a shell does.
fn show(state: &mut State, lines: Vec<String>) {
    state.replace_prompt(if lines.is_empty() { vec![String::new()] } else { lines });
    state.compose.prompt.move_cursor(ratatui_textarea::CursorMove::Bottom);
    state.compose.prompt.move_cursor(ratatui_textarea::CursorMove::End);
    state.revalidate();
}

/// The keymap's [recall] commands in Ctrl-R's search (typing narrows it; see `keys`): move,
/// Enter loads the chosen prompt, Esc leaves the prompt as it was.
pub(super) fn on_search_action(state: &mut State, action: Action) -> Vec<Command> {
    let Some(search) = state.layers.recall_mut() else { return Vec::new() };
    match action {
        Action::Cancel => {
            state.layers.close_recall();
        }
        Action::Confirm => {
            let chosen = search.chosen(&state.compose.recall).map(str::to_string);
            state.layers.close_recall();
            if let Some(prompt) = chosen {
                show(state, prompt.lines().map(str::to_string).collect());
                state.compose.recall.end_walk();
            }
        }
        Action::Up => search.move_by(-1),
        Action::Down => search.move_by(1),
        Action::PageUp => search.move_by(-10),
        Action::PageDown => search.move_by(10),
        _ => return super::on_action(state, action),
    }
    Vec::new()
}

pub(super) fn on_paste(state: &mut State, text: &str) {
    if let Some(search) = state.layers.recall_mut() {
        let room = super::LINE_PASTE_MAX.saturating_sub(crate::text::char_count(&search.query));
        search.query.extend(text.chars().map(|c| if c.is_control() { ' ' } else { c }).take(room));
        search.refresh(&state.compose.recall);
    }
}

/// `*`: stars the selected job (or takes its star away), at once on screen.
pub(super) fn star(state: &mut State) -> Vec<Command> {
    let Some(row) = state.jobs.history.rows.get_mut(state.jobs.history.selected) else { return Vec::new() };
    row.starred = !row.starred;
    let (id, starred) = (row.id, row.starred);
    state.set_notice(
        if starred { format!("job {id} starred") } else { format!("job {id}: star taken away") },
        Severity::Info,
    );
    let mut commands = vec![Command::Store(StoreAsk::Star { id, starred })];
    // Unstarred while only starred jobs show: it leaves the list.
    if state.jobs.history.starred_only && !starred {
        commands.extend(reload_history(state));
    }
    commands
}

/// `f`: starred jobs only, or all again.
pub(super) fn starred_only(state: &mut State) -> Vec<Command> {
    state.jobs.history.starred_only = !state.jobs.history.starred_only;
    let text = if state.jobs.history.starred_only { "starred jobs only (f: all)" } else { "all jobs" };
    state.set_notice(text, Severity::Info);
    let mut commands = reload_history(state);
    if let Some(gallery) = state.layers.gallery_mut() {
        gallery.first_images.clear();
        commands.extend(super::gallery::ask_for_page(state));
    }
    commands
}
