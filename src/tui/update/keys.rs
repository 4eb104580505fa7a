//! A key press: the layer on top has it. Its binding there acts; in a text input the keys no
//! binding takes type; elsewhere a letter nothing is bound to says where the keys are going,
//! instead of doing something the user did not mean.

use crossterm::event::{KeyCode, KeyEvent};

use super::super::action::Action;
use super::super::event::Command;
use super::super::keymap::{Context, Key};
use super::super::state::{Layer, Severity, State};
use super::{LINE_PASTE_MAX, browser, gallery, line_edit, on_action, painter, recall, reload_history, undo, viewer};

/// A long message has its own rows above the status line: they go with the next key.
const LONG_MESSAGE: usize = 60;

pub(super) fn on_key(state: &mut State, event: KeyEvent) -> Vec<Command> {
    let context = state.context();
    let action = Key::from_event(&event).and_then(|key| state.env.keymap.action(context, &key));
    // While the screen says it is too small, keys would act on what cannot be seen: only text
    // typed into the prompt (a resize may be reported after the keys that follow it: nothing
    // typed is lost), quitting and suspending work.
    let too_small = state.env.screen.0 < super::super::state::layout::MIN_WIDTH
        || state.env.screen.1 < super::super::state::layout::MIN_HEIGHT;
    if too_small && context != Context::Prompt {
        return match action {
            Some(action @ (Action::Quit | Action::Suspend)) => on_action(state, action),
            _ => Vec::new(),
        };
    }
    if state.status.notice.as_ref().is_some_and(|(text, _)| crate::text::char_count(text) > LONG_MESSAGE) {
        state.status.notice = None;
    }
    // Moving about, a message has been seen: it goes with the next key (as in vi), so an old
    // one never stands for the present. While text is typed it stays.
    if !context.takes_text() || context == Context::Browser {
        state.status.notice = None;
    }
    match context {
        Context::Prompt => match action {
            Some(action) => on_action(state, action),
            None => {
                if undo::edit_prompt(state, event) {
                    state.compose.recall.end_walk();
                    state.revalidate();
                }
                Vec::new()
            }
        },
        Context::Search | Context::Path | Context::Recall => match action {
            // Characters are text here, whatever a keymap binds them to.
            Some(action) if !line_edit::is_typed_char(&event) => act(state, context, action),
            _ => type_into_line(state, &event),
        },
        Context::Browser => match browser::type_filter(state, &event, action.is_some()) {
            Some(commands) => commands,
            None => action.map(|action| browser::on_action(state, action)).unwrap_or_default(),
        },
        // A question takes y or Enter once it can have been read, n or Esc at once; letters
        // that answer nothing mean the user is typing, not answering: it closes with nothing
        // done (so a word typed into a list never pays for or deletes anything).
        Context::Confirm => match action {
            Some(Action::Confirm) if !state.question_armed() => {
                dismiss_question(state, "the answer came before the question could be read")
            }
            Some(action) => act(state, context, action),
            None if line_edit::is_typed_char(&event) => dismiss_question(state, "the keys typed answer nothing"),
            None => Vec::new(),
        },
        Context::Help if typing_help_filter(state, &event) => Vec::new(),
        // A letter that acts (re-run, delete, cancel, load, quit…) right after another letter
        // is a word typed into a list, not a command: it says where the keys go instead.
        _ if typed_into_a_list(state, &event, action) => unbound(state, context, &event),
        _ => match action {
            Some(action) => act(state, context, action),
            None => unbound(state, context, &event),
        },
    }
}

/// `action` as the layer of `context` has it.
pub(super) fn act(state: &mut State, context: Context, action: Action) -> Vec<Command> {
    match context {
        Context::Spend => match action {
            Action::Cancel | Action::Spend => {
                state.layers.close_spend();
                Vec::new()
            }
            _ => on_action(state, action),
        },
        Context::Painter => painter::on_action(state, action),
        Context::Viewer => viewer::on_action(state, action),
        Context::Gallery => gallery::on_action(state, action),
        Context::Browser | Context::Path => browser::on_action(state, action),
        Context::Recall => recall::on_search_action(state, action),
        Context::Copy => super::copy::on_action(state, action),
        _ => on_action(state, action),
    }
}

/// A text key into the one-line input on top.
fn type_into_line(state: &mut State, event: &KeyEvent) -> Vec<Command> {
    match state.layers.top_mut() {
        Some(Layer::HistorySearch)
            if line_edit::edit(&mut state.jobs.history.search, event, LINE_PASTE_MAX) == Some(true) =>
        {
            return reload_history(state);
        }
        Some(Layer::ModelName(text) | Layer::CustomSize(text)) => {
            line_edit::edit(text, event, super::models::NAME_MAX);
        }
        Some(Layer::Recall(search)) => {
            let changed = line_edit::edit(&mut search.query, event, LINE_PASTE_MAX) == Some(true);
            if changed {
                search.refresh(&state.compose.recall);
            }
        }
        Some(Layer::Browser(browser)) => {
            if let Some(typed) = browser.path_input.as_mut() {
                // As in shells and editors: `/` after a `/` (the prefilled folder ends in one)
                // or `~` starts a new path there.
                match event.code {
                    KeyCode::Char(c @ ('/' | '~')) if line_edit::is_typed_char(event) && typed.ends_with('/') => {
                        *typed = c.to_string();
                    }
                    _ => {
                        line_edit::edit(typed, event, LINE_PASTE_MAX);
                    }
                }
            }
        }
        _ => {}
    }
    Vec::new()
}

/// While the help's filter is open, characters narrow it.
fn typing_help_filter(state: &mut State, event: &KeyEvent) -> bool {
    let Some(view) = state.layers.help_mut() else { return false };
    let Some(filter) = view.filter.as_mut() else { return false };
    if line_edit::edit(filter, event, LINE_PASTE_MAX).is_none() {
        return false;
    }
    view.scroll = 0;
    true
}

/// Letters closer than this are typing.
const TYPING_GAP: std::time::Duration = std::time::Duration::from_millis(1000);

/// Whether `event` is a letter that would act, coming within `TYPING_GAP` of another letter
/// that was not a move (j j r re-runs; "try" does not). Notes the letter's time either way.
fn typed_into_a_list(state: &mut State, event: &KeyEvent, action: Option<Action>) -> bool {
    if !line_edit::is_typed_char(event) {
        return false;
    }
    let moves = matches!(
        action,
        Some(
            Action::Up
                | Action::Down
                | Action::Left
                | Action::Right
                | Action::PageUp
                | Action::PageDown
                | Action::First
                | Action::Last
                | Action::NextImage
                | Action::PrevImage
                | Action::Help
                | Action::Cancel
        )
    );
    if moves {
        return false;
    }
    let now = state.env.now;
    // A clock that did not move between two keys says nothing about them (no time was given,
    // as in a test driving `update` key by key): only a gap that was measured counts.
    let after_a_letter = state.status.last_letter.is_some_and(|then| {
        let gap = now.saturating_duration_since(then);
        !gap.is_zero() && gap < TYPING_GAP
    });
    state.status.last_letter = Some(now);
    let acts = matches!(
        action,
        Some(
            Action::RerunJob
                | Action::DeleteJob
                | Action::CancelJob
                | Action::LoadJob
                | Action::EditResult
                | Action::Quit
        )
    );
    acts && after_a_letter
}

/// Closes the question on top with nothing done, saying why.
fn dismiss_question(state: &mut State, why: &str) -> Vec<Command> {
    state.layers.pop();
    state.set_notice(
        format!("nothing done: {why}, so the question was closed (ask again to answer it)"),
        Severity::Warning,
    );
    Vec::new()
}

/// A letter no binding takes, where letters are no text: it says where the keys go.
fn unbound(state: &mut State, context: Context, event: &KeyEvent) -> Vec<Command> {
    if !line_edit::is_typed_char(event) {
        return Vec::new();
    }
    let keymap = &state.env.keymap;
    let help = keymap.hint(context, Action::Help);
    let text = match context {
        pane if pane.is_pane() => format!(
            "{} has the focus: {} to the prompt ({help} lists its keys)",
            pane.title(),
            keymap.hint(context, Action::Cancel)
        ),
        layer => format!(
            "the {} is open: {} closes it ({help} lists its keys)",
            layer.title().to_lowercase(),
            keymap.hint(context, Action::Cancel)
        ),
    };
    state.set_notice(text, Severity::Info);
    Vec::new()
}
