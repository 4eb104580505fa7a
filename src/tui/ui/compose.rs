//! The prompt editor and the settings form.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{pane, styled, width_of};
use crate::api::lifecycle::Lifecycle;
use crate::api::{FieldError, Param, RulesOrigin};
use crate::config::theme::Theme;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::state::hits::{Hit, HitTarget};
use crate::tui::state::{Field, Focus, State};

pub fn prompt(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let focused = state.layers.focused(Focus::Prompt);
    // The API's limit is in characters, not columns.
    let chars = state.compose.prompt.lines().iter().map(|l| crate::text::char_count(l)).sum::<usize>()
        + state.compose.prompt.lines().len().saturating_sub(1);
    let limit = Some(state.spec().prompt_max_chars);
    let counter = match limit {
        Some(limit) => format!(" {chars}/{limit} "),
        None => format!(" {chars} "),
    };
    let over = limit.is_some_and(|l| chars > l);
    let mut block = pane(Line::from(" Prompt "), focused, theme).title_bottom(
        Line::from(styled(counter, if over { theme.error() } else { theme.muted() })).alignment(Alignment::Right),
    );
    // A prompt with {a|b} groups: how many jobs it makes, before Ctrl-S asks.
    match state.variant_count() {
        Ok(1) => {}
        Ok(count) => {
            let style = if count > crate::variants::MAX_JOBS { theme.error() } else { theme.accent() };
            block = block.title_bottom(Line::from(styled(format!(" {count} variants "), style)).left_aligned());
        }
        Err(_) => block = block.title_bottom(Line::from(styled(" variants: see below ", theme.error())).left_aligned()),
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    frame.render_widget(&state.compose.prompt, inner);
}

/// Draws the form; its rows' places go into `hits`.
pub fn settings(state: &State, theme: &Theme, frame: &mut Frame, area: Rect, hits: &mut Vec<Hit>) {
    let focused = state.layers.focused(Focus::Settings);
    let room = usize::from(area.width.saturating_sub(6));
    let price = match state.requests() {
        Ok(requests) if requests.len() > 1 => crate::text::fit_line(&state.group_summary(&requests), room),
        _ => state.price_note().fitted(room),
    };
    let price = format!(" {price} ");
    let block = pane(Line::from(" Settings "), focused, theme)
        .title_bottom(Line::from(styled(price, theme.muted())).right_aligned());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let spec = state.spec();
    let mut lines: Vec<Line> = Vec::new();
    // The selected row's line: notes and error lines sit between rows.
    let mut selected_line = 0;
    let mut row_lines = Vec::new();
    let fields = state.compose.form.fields(Some(spec));
    for (row, field) in fields.iter().enumerate() {
        let selected = focused && row == state.compose.form.selected.min(fields.len().saturating_sub(1));
        let applies = state.compose.form.applies(*field, spec);
        let value = state.compose.form.value_label(*field, spec);
        let value_style = if selected {
            theme.selection()
        } else if !applies {
            theme.muted().add_modifier(Modifier::DIM)
        } else if state.compose.form.value(*field).is_some() {
            theme.accent()
        } else {
            theme.base()
        };
        // The add row under image rows needs no name; alone, it is the edit's images.
        let label = match field {
            Field::AddImage if state.compose.form.images.is_empty() => "Images".to_string(),
            _ => field.label(),
        };
        // A file name too long for the row keeps its end (`…-kite-1.png`), as paths do.
        let value = match field {
            Field::Image(_) | Field::Mask | Field::Markup => {
                let facts = input_facts(state, *field).map_or(0, |f| crate::text::width_of(&f) + 2);
                crate::text::fit_end(&value, usize::from(inner.width).saturating_sub(17 + facts).max(8))
            }
            _ => value,
        };
        let mut spans = vec![
            styled(format!(" {label:<12}"), if selected { theme.title(true) } else { theme.muted() }),
            styled(format!("‹ {value} ›"), value_style),
        ];
        if !applies {
            spans.push(styled(format!("  {}", crate::tui::state::SettingsForm::needs(*field)), theme.muted()));
        }
        if let Some(facts) = input_facts(state, *field) {
            spans.push(styled(format!("  {facts}"), theme.muted()));
        }
        if selected {
            selected_line = lines.len();
        }
        row_lines.push(lines.len());
        lines.push(Line::from(spans));
        if *field == Field::Model {
            let note = model_note(state, theme);
            if !note.is_empty() {
                lines.push(Line::from(note));
            }
        }
        let width = inner.width as usize;
        for error in errors_of_row(state, *field, &fields) {
            lines.extend(wrapped(&short_paths(state, &error), "   ✗ ", width, theme.error()));
        }
        for warning in field.param().into_iter().flat_map(|param| state.warnings_for(param)) {
            lines.extend(wrapped(&short_paths(state, &warning.message()), "   ! ", width, theme.warning()));
        }
    }
    for error in state.errors_for(Param::Prompt) {
        lines.extend(wrapped(&format!("prompt {}", error.message()), " ✗ ", inner.width as usize, theme.error()));
    }
    for warning in state.warnings_for(Param::Prompt) {
        lines.extend(wrapped(&format!("prompt {}", warning.message()), " ! ", inner.width as usize, theme.warning()));
    }
    if focused {
        lines.push(Line::default());
        // From the keymap: a remapped key is named as it is now.
        let k = |action| state.env.keymap.hint(Context::Settings, action);
        let hint = format!(
            "{}/{} change · {} default · {} submit",
            k(Action::PrevValue),
            k(Action::NextValue),
            k(Action::ResetValue),
            k(Action::Submit)
        );
        lines.push(Line::from(Span::styled(
            format!(" {}", crate::text::fit_line(&hint, (inner.width as usize).saturating_sub(1))),
            theme.muted(),
        )));
    }
    // Keep the selected row visible on short terminals.
    let scroll = (selected_line as u16).saturating_sub(inner.height.saturating_sub(2));
    for (row, line) in row_lines.into_iter().enumerate() {
        let Some(y) = (line as u16).checked_sub(scroll).filter(|y| *y < inner.height) else { continue };
        hits.push(Hit { area: Rect { y: inner.y + y, height: 1, ..inner }, target: HitTarget::SettingsRow(row) });
    }
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}

/// Beside the model: its state at the provider when it is not plainly active, and where its
/// rules come from when imgtui had to guess them.
fn model_note(state: &State, theme: &Theme) -> Vec<Span<'static>> {
    let model = &state.compose.form.model;
    let mut spans = Vec::new();
    match state.env.catalog.state(model) {
        Lifecycle::Deprecated { shutdown } => {
            spans.push(styled(format!("   shuts down {shutdown}"), theme.warning()));
        }
        Lifecycle::ShutDown { on } => spans.push(styled(format!("   shut down {on}"), theme.error())),
        Lifecycle::Active | Lifecycle::Unknown => {}
    }
    if state.env.catalog.listed(model) == Some(false) {
        let lead = if spans.is_empty() { "   " } else { " · " };
        spans.push(styled(format!("{lead}not listed by {}", state.env.catalog.provider), theme.warning()));
    }
    let lead = if spans.is_empty() { "   " } else { " · " };
    match state.env.catalog.table.origin(model) {
        RulesOrigin::Guessed { from } => {
            spans.push(styled(format!("{lead}rules guessed from {from}"), theme.warning()))
        }
        RulesOrigin::Config => spans.push(styled(format!("{lead}rules from config"), theme.muted())),
        RulesOrigin::Builtin => {}
    }
    spans
}

/// "1024x1024 png α" for a picked input file whose facts are known.
fn input_facts(state: &State, field: Field) -> Option<String> {
    let path = match field {
        Field::Image(i) => state.compose.form.images.get(i)?,
        Field::Mask => state.compose.form.mask.as_ref()?,
        Field::Markup => state.compose.form.markup.as_ref()?,
        _ => return None,
    };
    let file = state.compose.input_facts.get(path)?;
    let Ok(f) = &file.facts else { return None };
    let facts = format!("{}x{} {}{}", f.width, f.height, f.format.api_name(), if f.has_alpha { " α" } else { "" });
    match file.transparent_share {
        Some(share) if field == Field::Mask => Some(format!("{} of the image · {facts}", crate::text::percent(share))),
        _ => Some(facts),
    }
}

/// The validation messages that belong under `field`. Messages about one input image go under
/// its row; the others about images (count, none given) under the add row, or the last image
/// row when the model's maximum leaves no add row.
fn errors_of_row(state: &State, field: Field, fields: &[Field]) -> Vec<String> {
    let last_image_row = fields.iter().rev().find(|f| matches!(f, Field::Image(_) | Field::AddImage)).copied();
    let Some(param) = field.param() else { return Vec::new() };
    state
        .errors_for(param)
        .filter(|e| match field {
            Field::Image(i) => e.input == Some(i) || (e.input.is_none() && Some(field) == last_image_row),
            Field::AddImage => e.input.is_none(),
            _ => true,
        })
        .map(FieldError::message)
        .collect()
}

/// A message about the form's files names them by file name: the row says which file it is.
fn short_paths(state: &State, message: &str) -> String {
    state.compose.form.images.iter().chain(&state.compose.form.mask).fold(message.to_string(), |text, path| {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        text.replace(&path.display().to_string(), &name)
    })
}

/// `text` after `lead`, wrapped at words into lines of `width` (the lead's room kept on each).
fn wrapped(text: &str, lead: &str, width: usize, style: ratatui::style::Style) -> Vec<Line<'static>> {
    let text = crate::text::escape_controls(text);
    let indent = width_of(lead);
    let room = width.saturating_sub(indent).max(10);
    let mut rows: Vec<String> = vec![String::new()];
    for word in text.split_whitespace() {
        let row = rows.last_mut().map(|r| width_of(r)).unwrap_or(0);
        if row > 0 && row + 1 + width_of(word) > room {
            rows.push(String::new());
        }
        if let Some(last) = rows.last_mut() {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    rows.into_iter()
        .enumerate()
        .map(|(i, row)| {
            let lead = if i == 0 { lead.to_string() } else { " ".repeat(indent) };
            Line::from(styled(format!("{lead}{row}"), style))
        })
        .collect()
}
