//! Popups: the help screen (generated from the keymap) and confirmations.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::{pane, styled};
use crate::config::theme::Theme;
use crate::tui::keymap::Context;
use crate::tui::state::{Confirm, Overlay, State};

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    match &state.overlay {
        None => {}
        Some(Overlay::Help) => help(state, theme, frame, area),
        Some(Overlay::Confirm(what)) => confirm(what, theme, frame, area),
        Some(Overlay::ModelName(name)) => model_name(name, theme, frame, area),
    }
}

/// The Model row's "other…": a name the table may not know, checked with its family's rules.
fn model_name(name: &str, theme: &Theme, frame: &mut Frame, area: Rect) {
    let cell = centered(area, 64, 6);
    frame.render_widget(Clear, cell);
    let block = pane(Line::from(" Model name "), true, theme);
    let inner = block.inner(cell);
    frame.render_widget(block, cell);
    // A long name shows its end, where the typing happens.
    let room = (inner.width as usize).saturating_sub(3);
    let skip = name.chars().count().saturating_sub(room);
    let shown: String = name.chars().skip(skip).collect();
    let lines = vec![
        Line::from(styled(format!("› {shown}▏"), theme.base())),
        Line::from(styled("A model imgtui does not know gets its family's rules.", theme.muted())),
        Line::from(styled("Enter uses it · Esc keeps the current model", theme.muted())),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))]).flex(Flex::Center).areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))]).flex(Flex::Center).areas(row);
    cell
}

/// Every binding of every context, with what it does.
pub fn help_lines(state: &State, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for context in Context::ALL {
        let bindings = state.keymap.bindings(context);
        if bindings.is_empty() {
            continue;
        }
        lines.push(Line::from(styled(context.name().to_string(), theme.title(true))));
        // One line per action, its keys together: "↑ k   move up".
        let mut actions: Vec<(crate::tui::action::Action, Vec<String>)> = Vec::new();
        for (key, action) in bindings {
            match actions.iter_mut().find(|(a, _)| a == action) {
                Some((_, keys)) => keys.push(key.display()),
                None => actions.push((*action, vec![key.display()])),
            }
        }
        for (action, keys) in actions {
            lines.push(Line::from(vec![
                styled(format!("  {:<20}", keys.join(" ")), theme.accent()),
                styled(action.description().to_string(), theme.base()),
            ]));
        }
        if context == Context::Prompt {
            lines.push(Line::from(styled(
                "  (other keys edit the text; Ctrl-U undo, Ctrl-R redo)".to_string(),
                theme.muted(),
            )));
        }
    }
    lines
}

fn help(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let popup = centered(area, 72, area.height.saturating_sub(2));
    frame.render_widget(Clear, popup);
    let block = pane(Line::from(" Keys (↑/↓ scroll, Esc closes) "), true, theme);
    let text = Paragraph::new(help_lines(state, theme)).block(block).scroll((state.help_scroll, 0)).style(theme.base());
    frame.render_widget(text, popup);
}

fn confirm(what: &Confirm, theme: &Theme, frame: &mut Frame, area: Rect) {
    let question = match what {
        Confirm::Quit { running, unsaved: 0 } => format!("{running} job(s) still running. Quit and cancel them?"),
        Confirm::Quit { running, unsaved } => format!(
            "{unsaved} image(s) are only in memory (no folder could take them) and {running} job(s) run. \
             Quit and lose them? (Ctrl-W tries to write them again)"
        ),
        Confirm::CancelJob(id) => format!("Cancel running job #{id}? (It may already be billed.)"),
        Confirm::DeleteJob(id) => format!("Delete job #{id} and its image files?"),
    };
    let popup = centered(area, 56, 5);
    frame.render_widget(Clear, popup);
    let lines = vec![Line::from(question), Line::from(styled("y / Enter: yes    n / Esc: no", theme.muted()))];
    let block = pane(Line::from(" Confirm "), true, theme);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }).block(block).style(theme.base()), popup);
}
