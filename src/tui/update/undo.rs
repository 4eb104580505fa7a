//! Undo in the prompt by words, as editors do: one undo takes back the last word typed (or
//! the last deletion, paste or line break), not one character. The editor's own history is
//! per keystroke; this keeps snapshots at word boundaries instead.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::CursorMove;

use super::super::state::State;
use super::super::state::undo::Edit;

/// What kind of edit `event` is, for grouping.
fn kind(event: &KeyEvent) -> Edit {
    let plain = !event.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match event.code {
        KeyCode::Char(c) if plain && c.is_alphanumeric() => Edit::Word,
        KeyCode::Char(_) if plain => Edit::Space,
        KeyCode::Backspace | KeyCode::Delete => Edit::Delete,
        _ => Edit::Other,
    }
}

/// Lets `event` edit the prompt, snapshotting at word boundaries; returns whether the text
/// changed. The editor's own undo keys are not its to take: undo is the keymap's.
pub(super) fn edit_prompt(state: &mut State, event: KeyEvent) -> bool {
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(event.code, KeyCode::Char('u' | 'r')) {
        return false;
    }
    // Typed (or pasted by a terminal without bracketed paste, a key at a time) past what the
    // model takes: refused at once, so a flood of keys costs little each and Ctrl-C comes
    // through behind it.
    let plain = !event.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    if plain && matches!(event.code, KeyCode::Char(_) | KeyCode::Enter | KeyCode::Tab) {
        let limit = state.spec().prompt_max_chars;
        if state.compose.prompt.lines().iter().map(|l| crate::text::char_count(l) + 1).sum::<usize>() > limit {
            let model = state.compose.form.model.clone();
            let full = format!("the prompt is full: {model} takes at most {limit} characters");
            state.set_notice(full, crate::tui::state::Severity::Warning);
            return false;
        }
    }
    let edit = kind(&event);
    let continues = matches!(
        (state.compose.prompt_undo.last, edit),
        (Some(Edit::Word), Edit::Word | Edit::Space)
            | (Some(Edit::Space), Edit::Space)
            | (Some(Edit::Delete), Edit::Delete)
    );
    // The text is copied only where a group starts, not on every key.
    let before = (!continues).then(|| state.compose.prompt.lines().to_vec());
    if !state.compose.prompt.input(event) {
        return false;
    }
    let log = &mut state.compose.prompt_undo;
    if let Some(before) = before {
        log.push(before);
    }
    log.future.clear();
    log.last = Some(edit);
    true
}

/// A paste is one group of its own.
pub(super) fn before_paste(state: &mut State) {
    let before = state.compose.prompt.lines().to_vec();
    let log = &mut state.compose.prompt_undo;
    log.push(before);
    log.future.clear();
    log.last = Some(Edit::Other);
}

/// A job loaded into the form replaced `draft`: undo goes back to it in one step.
pub(super) fn before_load(state: &mut State, draft: Vec<String>) {
    let log = &mut state.compose.prompt_undo;
    log.push(draft);
    log.future.clear();
    log.last = Some(Edit::Other);
}

/// The draft a load replaced is back (with its settings): the step `before_load` kept for it
/// is spent. (No redo to the load: its settings are gone with it; `e` loads it again.)
pub(super) fn after_restore(state: &mut State, draft: &[String]) {
    let log = &mut state.compose.prompt_undo;
    if log.past.last().is_some_and(|top| top.as_slice() == draft) {
        log.past.pop();
    }
    log.future.clear();
    log.last = None;
}

/// The keymap's undo: one group of edits back.
pub(super) fn undo(state: &mut State) -> bool {
    step(state, true)
}

pub(super) fn redo(state: &mut State) -> bool {
    step(state, false)
}

/// Readline's Ctrl-U: the line before the cursor goes (one undo step).
pub(super) fn delete_to_line_start(state: &mut State) -> bool {
    let before = state.compose.prompt.lines().to_vec();
    if !state.compose.prompt.delete_line_by_head() {
        return false;
    }
    let log = &mut state.compose.prompt_undo;
    log.push(before);
    log.future.clear();
    log.last = Some(Edit::Other);
    true
}

/// One step back (`undo`) or forward.
fn step(state: &mut State, undo: bool) -> bool {
    let log = &mut state.compose.prompt_undo;
    let (from, to) = if undo { (&mut log.past, &mut log.future) } else { (&mut log.future, &mut log.past) };
    let Some(lines) = from.pop() else { return false };
    to.push(state.compose.prompt.lines().to_vec());
    log.last = None;
    state.replace_prompt(lines);
    state.compose.prompt.move_cursor(CursorMove::Bottom);
    state.compose.prompt.move_cursor(CursorMove::End);
    true
}
