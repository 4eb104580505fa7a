//! `y`: the copy menu over a job (History, the Job pane, the viewer, the gallery): ↑/↓ choose,
//! Enter copies through OSC 52 and remembers the choice, Esc closes.

use super::super::action::Action;
use super::super::event::{Command, TerminalAsk};
use super::super::state::copy::CopyMenu;
use super::super::state::{Layer, Severity, State};

/// Opens the menu for the selected job, once its details are read.
pub(super) fn open(state: &mut State) -> Vec<Command> {
    let Some(id) = state.selected_job_id() else {
        state.set_notice("no job selected: nothing to copy", Severity::Info);
        return Vec::new();
    };
    let image = state.preview_path();
    match state.jobs.job.details.as_ref().filter(|d| d.id == id) {
        Some(job) => {
            let menu = CopyMenu::of(job, image.as_deref(), state.status.copy_last);
            state.layers.push(Layer::Copy(menu));
        }
        None => state.set_notice(format!("job {id} is still being read: y again in a moment"), Severity::Info),
    }
    Vec::new()
}

pub(super) fn on_action(state: &mut State, action: Action) -> Vec<Command> {
    let Some(Layer::Copy(menu)) = state.layers.top_mut() else { return Vec::new() };
    match action {
        Action::Up => menu.selected = menu.selected.saturating_sub(1),
        Action::Down => menu.selected = (menu.selected + 1).min(menu.choices.len().saturating_sub(1)),
        Action::Confirm => {
            let Some((what, text)) = menu.chosen().cloned() else { return Vec::new() };
            state.layers.pop();
            state.status.copy_last = what;
            let shown = crate::text::escape_controls(&text);
            let shown: String = shown.chars().take(160).collect();
            // Where the clipboard is known not to take it, that comes first (a narrow status row
            // cuts the end), with the text on screen to select.
            let notice = match &state.status.copy_caveat {
                Some(why) => format!("{why}; the {}: {shown}", what.name()),
                None => format!("copied the {} (OSC 52): {shown}", what.name()),
            };
            state.set_notice(notice, Severity::Info);
            return vec![Command::Terminal(TerminalAsk::Copy(text))];
        }
        Action::Cancel | Action::Quit => {
            state.layers.pop();
        }
        Action::Help => return super::on_action(state, action),
        _ => {}
    }
    Vec::new()
}
