//! Popups: the help screen (generated from the keymap) and confirmations.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::{pane, styled};
use crate::config::theme::Theme;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::state::{Confirm, HelpView, Layer, State};

/// Draws a popup layer over what is under it; for the help, how far it scrolls (its last page).
pub fn render(state: &State, popup: &Layer, theme: &Theme, frame: &mut Frame, area: Rect) -> Option<u16> {
    match popup {
        Layer::Help(view) => return Some(help(state, view, theme, frame, area)),
        Layer::Confirm(what) => confirm(state, what, theme, frame, area),
        Layer::ModelName(name) => one_line_input(
            " Model name ",
            name,
            ["A model imgtui does not know gets its family's rules.", "Enter uses it · Esc keeps the current model"],
            theme,
            frame,
            area,
        ),
        Layer::CustomSize(size) => one_line_input(
            " Size (WxH) ",
            size,
            ["Width x height, e.g. 1792x1008, checked by the model's rules.", "Enter uses it · Esc keeps the size"],
            theme,
            frame,
            area,
        ),
        Layer::Recall(search) => super::recall::render(state, search, theme, frame, area),
        Layer::Copy(menu) => copy_menu(state, menu, theme, frame, area),
        _ => {}
    }
    None
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
    /// A layer's title ("Mask painter").
    Context(&'static str),
    /// Its keys, what they do there, and the command's name in a keymap file.
    Binding {
        keys: String,
        does: &'static str,
        command: String,
    },
    Note(&'static str),
}

/// The layers the help is about, the one it was opened over first: the screens under the
/// help from the top down, the focused pane, then what works everywhere.
fn layers_under_help(state: &State) -> Vec<Context> {
    let mut contexts: Vec<Context> = Vec::new();
    let under = state.layers.iter().rev().filter(|l| !matches!(l, Layer::Help(_))).map(Layer::context);
    for context in under.chain([state.layers.focus.context(), Context::Global]) {
        if !contexts.contains(&context) {
            contexts.push(context);
        }
    }
    contexts
}

/// The bindings of the layers under the help (see `layers_under_help`), each with what it does
/// there and its command's name; with a filter, every layer's lines that match (a layer stays
/// when one of its lines matches).
pub fn help_text(state: &State, view: &HelpView) -> Vec<HelpLine> {
    let filter = view.filter.as_deref().unwrap_or_default().to_lowercase();
    let mut contexts = layers_under_help(state);
    if !filter.is_empty() {
        let rest: Vec<Context> = Context::ALL.into_iter().filter(|c| !contexts.contains(c)).collect();
        contexts.extend(rest);
    }
    let mut lines = Vec::new();
    for context in contexts {
        // One line per command, its keys together: "↑ k   move the cursor up a cell".
        let mut commands: Vec<(Action, Vec<String>)> = Vec::new();
        for (key, action) in state.env.keymap.bindings(context) {
            match commands.iter_mut().find(|(a, _)| a == action) {
                Some((_, keys)) => keys.push(key.display()),
                None => commands.push((*action, vec![key.display()])),
            }
        }
        let matches = |text: &str| filter.is_empty() || text.to_lowercase().contains(&filter);
        let mut section: Vec<HelpLine> = commands
            .into_iter()
            .map(|(action, keys)| HelpLine::Binding {
                keys: keys.join(" "),
                does: crate::tui::commands::describe(context, action).unwrap_or_else(|| action.description()),
                command: crate::tui::commands::name(action),
            })
            .filter(|line| match line {
                HelpLine::Binding { keys, does, command } => matches(keys) || matches(does) || matches(command),
                _ => true,
            })
            .collect();
        if let Some(note) = note(context).filter(|note| matches(note)) {
            section.push(HelpLine::Note(note));
        }
        if !section.is_empty() {
            lines.push(HelpLine::Context(context.title()));
            lines.extend(section);
        }
    }
    if filter.is_empty() {
        lines.push(HelpLine::Note("/ searches every screen's keys · `imgtui keys` prints them as a keymap file"));
    }
    lines
}

/// What a layer's keys do beyond its bindings.
fn note(context: Context) -> Option<&'static str> {
    match context {
        Context::Prompt => Some(
            "other keys edit the text as readline does: Ctrl-A/E start/end, Ctrl-W a word back, Ctrl-K to the \
             end, Ctrl-Y puts back what was cut, Alt-B/F by words, Enter a new line",
        ),
        Context::Browser => Some(
            "letters type a filter (Backspace takes one back); the keys above that are letters act while it is empty",
        ),
        Context::Search | Context::Path | Context::Recall => {
            Some("letters type; Backspace deletes one, Ctrl-U clears, Ctrl-W deletes a word")
        }
        Context::Viewer => Some("zoomed in, the arrows and h j k l move the view; the mouse wheel zooms"),
        Context::Painter => Some("the mouse paints: press and drag (the brush or the erase mode)"),
        Context::History | Context::Settings | Context::Preview | Context::Gallery => {
            Some("the mouse: a click selects, a double click is Enter, the wheel moves the list under it")
        }
        _ => None,
    }
}

/// The help, styled, wrapped to `width` columns (a description's next lines keep its indent;
/// the command's name follows it, muted).
pub fn help_lines(state: &State, view: &HelpView, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    const KEYS: usize = 22;
    let mut lines = Vec::new();
    for line in help_text(state, view) {
        match line {
            HelpLine::Context(name) => lines.push(Line::from(styled(name.to_string(), theme.title(true)))),
            HelpLine::Binding { keys, does, command } => {
                let room = width.saturating_sub(KEYS).max(12);
                let text = format!("{does}  · {command}");
                let rows = wrap_words(&text, room);
                let last = rows.len().saturating_sub(1);
                for (i, row) in rows.into_iter().enumerate() {
                    let lead = if i == 0 { format!("  {keys:<20}") } else { " ".repeat(KEYS) };
                    let mut spans = vec![styled(lead, theme.accent())];
                    match row.rsplit_once("· ").filter(|_| i == last) {
                        Some((text, name)) => {
                            spans.push(styled(text.to_string(), theme.base()));
                            spans.push(styled(format!("· {name}"), theme.muted()));
                        }
                        None => spans.push(styled(row, theme.base())),
                    }
                    lines.push(Line::from(spans));
                }
            }
            HelpLine::Note(text) => {
                for row in wrap_words(text, width.saturating_sub(2).max(12)) {
                    lines.push(Line::from(styled(format!("  {row}"), theme.muted())));
                }
            }
        }
    }
    lines
}

/// Words of `text` in rows of at most `width` columns.
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut rows = vec![String::new()];
    for word in text.split_whitespace() {
        let row = rows.last().map_or(0, |r| super::width_of(r));
        if row > 0 && row + 1 + super::width_of(word) > width {
            rows.push(String::new());
        }
        if let Some(last) = rows.last_mut() {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    rows
}

/// Where the help is drawn on a screen of `area`, and the area inside its border.
fn help_area(area: Rect) -> (Rect, Rect) {
    let popup = centered(area, 76, area.height.saturating_sub(2));
    let inner = Rect {
        x: popup.x + 1,
        y: popup.y + 1,
        width: popup.width.saturating_sub(2),
        height: popup.height.saturating_sub(2),
    };
    (popup, inner)
}

/// Draws the help; returns the furthest it scrolls (its last page, full).
fn help(state: &State, view: &HelpView, theme: &Theme, frame: &mut Frame, area: Rect) -> u16 {
    let (popup, inner) = help_area(area);
    frame.render_widget(Clear, popup);
    let title = match &view.filter {
        Some(filter) => format!(" Keys matching \"{filter}▏\" (Esc clears) "),
        None => " Keys (↑/↓ PgUp/PgDn scroll, / filter, Esc closes) ".to_string(),
    };
    let block = pane(Line::from(title), true, theme);
    let lines = help_lines(state, view, theme, inner.width as usize);
    let last_page = lines.len().saturating_sub(inner.height as usize) as u16;
    let text = Paragraph::new(lines).block(block).scroll((view.scroll.min(last_page), 0)).style(theme.base());
    frame.render_widget(text, popup);
    last_page
}

fn confirm(state: &State, what: &Confirm, theme: &Theme, frame: &mut Frame, area: Rect) {
    let question = match what {
        // The jobs as they are now (they end while the question is open).
        Confirm::Quit { unsaved: 0, painted, .. } => format!(
            "{} job(s) still running or waiting. Quit and cancel them{}?",
            state.jobs.live.len() + state.jobs.sending,
            if *painted { ", and drop what was painted here" } else { "" }
        ),
        Confirm::Quit { unsaved, painted, .. } => format!(
            "{unsaved} image(s) are only in memory (no folder could take them) and {} job(s) run. \
             Quit and lose them{}? (Alt-W tries to write them again)",
            state.jobs.live.len() + state.jobs.sending,
            if *painted { " and the mask painted here" } else { "" }
        ),
        Confirm::CancelJob(id) => format!("Cancel running job #{id}? (It may already be billed.)"),
        Confirm::CancelElsewhere { id, pid } => {
            format!("Cancel job #{id}, which imgtui pid {pid} runs? (It may already be billed.)")
        }
        Confirm::DeleteJob(id) => format!("Delete job #{id} and its image files?"),
        Confirm::OverBudget { message, requests, .. } if requests.len() > 1 => format!("{message}. Send them?"),
        Confirm::OverBudget { message, .. } => format!("{message}. Send it?"),
        Confirm::SendGroup { summary, .. } => format!("Send {summary}?"),
        Confirm::Rerun { id, summary } => format!("Run job #{id} again: {summary}?"),
        Confirm::QuitDroppingMask => "Quit and drop what was painted here?".to_string(),
        Confirm::DropMask => "Leave the painter and drop what was painted here?".to_string(),
    };
    let popup = centered(area, 56, 5);
    frame.render_widget(Clear, popup);
    // The answer keys take effect once the question has been up long enough to be read: a
    // word typed into a list never answers the question its letters opened.
    let answers = if state.question_armed() { "y / Enter: yes    n / Esc: no" } else { "read the question…" };
    let lines = vec![Line::from(question), Line::from(styled(answers, theme.muted()))];
    let block = pane(Line::from(" Confirm "), true, theme);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }).block(block).style(theme.base()), popup);
}

/// `y`'s menu: what each choice copies, shortened to the popup; the remembered one selected.
fn copy_menu(state: &State, menu: &crate::tui::state::copy::CopyMenu, theme: &Theme, frame: &mut Frame, area: Rect) {
    let popup = centered(area, 64, menu.choices.len() as u16 + 3);
    frame.render_widget(Clear, popup);
    let width = usize::from(popup.width.saturating_sub(14));
    let mut lines: Vec<Line> = menu
        .choices
        .iter()
        .enumerate()
        .map(|(i, (what, text))| {
            let text = crate::text::escape_controls(&text.replace('\n', " "));
            // A path keeps its end (the file's name), the rest their beginning.
            let text = match what {
                crate::tui::state::copy::CopyWhat::Path => crate::text::fit_end(&text, width.max(8)),
                _ => super::fit(&text, width.max(8)),
            };
            let style = if i == menu.selected { theme.selection() } else { theme.base() };
            Line::from(styled(format!(" {:<9} {text}", what.name()), style))
        })
        .collect();
    let key = |action| state.env.keymap.hint(Context::Copy, action);
    lines.push(Line::from(styled(
        format!(" {} copy · {} close", key(Action::Confirm), key(Action::Cancel)),
        theme.muted(),
    )));
    let block = pane(Line::from(format!(" Copy from job #{} ", menu.id)), true, theme);
    frame.render_widget(Paragraph::new(lines).block(block).style(theme.base()), popup);
}
