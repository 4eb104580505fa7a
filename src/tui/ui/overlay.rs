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
        Some(Overlay::ModelName(name)) => one_line_input(
            " Model name ",
            name,
            ["A model imgtui does not know gets its family's rules.", "Enter uses it · Esc keeps the current model"],
            theme,
            frame,
            area,
        ),
        Some(Overlay::CustomSize(size)) => one_line_input(
            " Size (WxH) ",
            size,
            ["Width x height, e.g. 1792x1008, checked by the model's rules.", "Enter uses it · Esc keeps the size"],
            theme,
            frame,
            area,
        ),
    }
}

/// A one-line text input in a popup: the Model row's "other…", the Size row's "custom…".
fn one_line_input(title: &str, text: &str, notes: [&str; 2], theme: &Theme, frame: &mut Frame, area: Rect) {
    let cell = centered(area, 64, 6);
    frame.render_widget(Clear, cell);
    let block = pane(Line::from(title.to_string()), true, theme);
    let inner = block.inner(cell);
    frame.render_widget(block, cell);
    // A long text shows its end, where the typing happens.
    let room = (inner.width as usize).saturating_sub(3);
    let shown: String = {
        let reversed: String = text.chars().rev().collect();
        super::take_width(&reversed, room).chars().rev().collect()
    };
    let mut lines = vec![Line::from(styled(format!("› {shown}▏"), theme.base()))];
    lines.extend(notes.iter().map(|note| Line::from(styled(note.to_string(), theme.muted()))));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))]).flex(Flex::Center).areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))]).flex(Flex::Center).areas(row);
    cell
}

/// One line of the help, before it is styled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HelpLine {
    Context(&'static str),
    Binding { keys: String, does: &'static str },
    Note(&'static str),
}

/// Every binding of every context, with what it does, narrowed by the help's filter (a context
/// stays when one of its lines matches).
pub fn help_text(state: &State) -> Vec<HelpLine> {
    let filter = state.help_filter.as_deref().unwrap_or_default().to_lowercase();
    let mut lines = Vec::new();
    for context in Context::ALL {
        // One line per action, its keys together: "↑ k   move up".
        let mut actions: Vec<(crate::tui::action::Action, Vec<String>)> = Vec::new();
        for (key, action) in state.keymap.bindings(context) {
            match actions.iter_mut().find(|(a, _)| a == action) {
                Some((_, keys)) => keys.push(key.display()),
                None => actions.push((*action, vec![key.display()])),
            }
        }
        let mut section: Vec<HelpLine> = actions
            .into_iter()
            .map(|(action, keys)| HelpLine::Binding { keys: keys.join(" "), does: action.description() })
            .filter(|line| match line {
                HelpLine::Binding { keys, does } => {
                    filter.is_empty() || does.to_lowercase().contains(&filter) || keys.to_lowercase().contains(&filter)
                }
                _ => true,
            })
            .collect();
        if context == Context::Prompt && filter.is_empty() {
            section.push(HelpLine::Note("(other keys edit the text; Ctrl-U undo, Ctrl-R redo)"));
        }
        if !section.is_empty() {
            lines.push(HelpLine::Context(context.name()));
            lines.extend(section);
        }
    }
    lines
}

/// The help, styled.
pub fn help_lines(state: &State, theme: &Theme) -> Vec<Line<'static>> {
    help_text(state)
        .into_iter()
        .map(|line| match line {
            HelpLine::Context(name) => Line::from(styled(name.to_string(), theme.title(true))),
            HelpLine::Binding { keys, does } => Line::from(vec![
                styled(format!("  {keys:<20}"), theme.accent()),
                styled(does.to_string(), theme.base()),
            ]),
            HelpLine::Note(text) => Line::from(styled(format!("  {text}"), theme.muted())),
        })
        .collect()
}

fn help(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let popup = centered(area, 76, area.height.saturating_sub(2));
    frame.render_widget(Clear, popup);
    let title = match &state.help_filter {
        Some(filter) => format!(" Keys matching \"{filter}▏\" (Esc clears) "),
        None => " Keys (↑/↓ PgUp/PgDn scroll, / filter, Esc closes) ".to_string(),
    };
    let block = pane(Line::from(title), true, theme);
    let inner = block.inner(popup);
    let lines = help_lines(state, theme);
    // Long descriptions wrap; the last page stays full however far the offset went.
    let wrapped: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner.width.max(1) as usize)).sum();
    let last_page = wrapped.saturating_sub(inner.height as usize) as u16;
    let text = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((state.help_scroll.min(last_page), 0))
        .style(theme.base());
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
