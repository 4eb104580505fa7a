//! The Spend view: a bar per day of the last two weeks (dollars, jobs, the unpriced counted
//! apart), the totals per model over 30 days, and the budgets.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use super::{fit, styled};
use crate::config::theme::Theme;
use crate::cost::dollars;
use crate::store::spend::{SpendRow, total};
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::state::State;
use crate::tui::state::spend::{MODEL_DAYS, SPEND_DAYS, SpendView};

pub fn render(state: &State, view: &SpendView, theme: &Theme, frame: &mut Frame, area: Rect) {
    frame.render_widget(Block::new().style(theme.base()), area);
    let [body, status_area] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let mut lines: Vec<Line> = Vec::new();
    let width = usize::from(body.width);
    match &view.days {
        None => lines.push(Line::from(styled(" reading the history…", theme.muted()))),
        Some(days) => {
            lines.push(Line::from(styled(
                format!(" Spend · the last {SPEND_DAYS} days (local time)"),
                theme.title(true),
            )));
            lines.push(Line::default());
            if days.is_empty() {
                lines.push(Line::from(styled(" no done jobs in these days", theme.muted())));
            }
            // What fits: the newest days and the dearest models, the totals always.
            let models_shown = view.models.len().min(4);
            let room = usize::from(body.height).saturating_sub(10 + models_shown).max(3);
            lines.extend(bars(&days[..days.len().min(room)], width, theme));
            lines.push(Line::default());
            lines.push(Line::from(styled(format!(" By model · {MODEL_DAYS} days"), theme.title(true))));
            for row in &view.models[..models_shown] {
                lines.push(Line::from(styled(row_text(row, 28), theme.base())));
            }
            if view.models.len() > models_shown {
                let more = format!(" … {} more (imgtui history cost --by model)", view.models.len() - models_shown);
                lines.push(Line::from(styled(more, theme.muted())));
            }
            let sum = total(&view.models);
            lines.push(Line::from(styled(row_text(&sum, 28), theme.accent())));
            if sum.unpriced() > 0 {
                let note = format!(
                    " {} job(s) without a price: set [prices] in the config (TTAPI has none built in)",
                    sum.unpriced()
                );
                lines.push(Line::from(styled(fit(&note, width), theme.warning())));
            }
            if let Some(status) = state.env.spent.and_then(|spent| state.env.budgets.status(spent)) {
                lines.push(Line::default());
                lines.push(Line::from(styled(format!(" Budget: {status}"), theme.base())));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), body);
    let k = |action| state.env.keymap.hint(Context::Spend, action);
    let keys = format!(
        " {} back · {} help · prices: OpenAI list price unless the config says",
        k(Action::Cancel),
        k(Action::Help)
    );
    frame.render_widget(Paragraph::new(styled(fit(&keys, width), theme.muted())), status_area);
}

/// "gpt-image-2     $1.84   12 jobs (2 no price)".
fn row_text(row: &SpendRow, key_width: usize) -> String {
    let unpriced = if row.unpriced() > 0 { format!(" ({} no price)", row.unpriced()) } else { String::new() };
    let key = crate::text::escape_controls(&crate::text::fit_line(&row.key, key_width));
    format!(" {key:<key_width$} {:>9}  {}{unpriced}", dollars(row.cost_usd), jobs(row.jobs))
}

/// "1 job", "12 jobs", right-aligned.
fn jobs(count: u64) -> String {
    if count == 1 { "   1 job ".into() } else { format!("{count:>4} jobs") }
}

/// One bar per day, scaled to the dearest day.
fn bars<'a>(days: &[SpendRow], width: usize, theme: &Theme) -> Vec<Line<'a>> {
    let dearest = days.iter().map(|d| d.cost_usd).fold(0.0, f64::max);
    let room = width.saturating_sub(44).max(4);
    days.iter()
        .map(|day| {
            let length = if dearest > 0.0 { ((day.cost_usd / dearest) * room as f64).round() as usize } else { 0 };
            let bar = "█".repeat(length.max(usize::from(day.cost_usd > 0.0)));
            let unpriced = if day.unpriced() > 0 { format!(" +{} no price", day.unpriced()) } else { String::new() };
            Line::from(vec![
                styled(format!(" {:<10} ", day.key), theme.muted()),
                styled(format!("{bar:<room$} "), theme.accent()),
                styled(format!("{:>9} {}{unpriced}", dollars(day.cost_usd), jobs(day.jobs)), theme.base()),
            ])
        })
        .collect()
}
