//! The banner (demo mode, problems at start), the narrow layout's tabs, and the status line:
//! endpoint, running jobs, the last notice, and the focused pane's keys.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{fit, styled, width_of};
use crate::config::theme::Theme;
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::state::hits::{Hit, HitTarget};
use crate::tui::state::{Focus, Severity, State};

pub fn banner(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    if area.height == 0 {
        return;
    }
    let [demo, rest] =
        Layout::vertical([Constraint::Length(u16::from(state.status.demo_line.is_some())), Constraint::Min(0)])
            .areas(area);
    if let Some(line) = &state.status.demo_line {
        let text = fit(line, (area.width as usize).saturating_sub(1));
        frame.render_widget(Paragraph::new(format!(" {text}")).style(theme.banner()), demo);
    }
    let wrapped = banner_height(state, area.width) - u16::from(state.status.demo_line.is_some());
    if wrapped <= rest.height {
        let lines: Vec<Line> = state.status.banner.iter().map(|b| Line::from(format!(" {b}"))).collect();
        frame.render_widget(Paragraph::new(lines).style(theme.banner()).wrap(Wrap { trim: true }), rest);
        return;
    }
    // Short of rows: a row each, cut, and what did not fit counted (doctor lists it all).
    let width = (area.width as usize).saturating_sub(1);
    let rows = rest.height as usize;
    let items = &state.status.banner;
    let shown = if items.len() > rows { rows.saturating_sub(1) } else { items.len() };
    let mut lines: Vec<Line> = items[..shown].iter().map(|b| Line::from(format!(" {}", fit(b, width)))).collect();
    if shown < items.len() {
        let more = format!("… {} more (imgtui doctor lists every one)", items.len() - shown);
        lines.push(Line::from(format!(" {}", fit(&more, width))));
    }
    frame.render_widget(Paragraph::new(lines).style(theme.banner()), rest);
}

/// Rows the banner needs at `width`: one for the demo line, and the other lines wrapped.
pub fn banner_height(state: &State, width: u16) -> u16 {
    let width = width.max(1) as usize;
    let rest: u16 =
        state.status.banner.iter().map(|b| (Line::from(b.as_str()).width() + 1).div_ceil(width) as u16).sum();
    rest + u16::from(state.status.demo_line.is_some())
}

/// The two pages' tabs; a click on one goes there (its place is reported in `hits`).
pub fn tabs(state: &State, theme: &Theme, frame: &mut Frame, area: Rect, hits: &mut Vec<Hit>) {
    let compose = matches!(state.layers.focus, Focus::Prompt | Focus::Settings);
    let tab = |name: &str, on: bool| styled(format!(" {name} "), if on { theme.selection() } else { theme.muted() });
    let running = match jobs_text(state) {
        Some(text) => format!(" ({text})"),
        None => String::new(),
    };
    let (compose_tab, jobs_tab) = (tab("Compose", compose), tab(&format!("Jobs{running}"), !compose));
    let (compose_width, jobs_width) = (compose_tab.width() as u16, jobs_tab.width() as u16);
    let at =
        |x: u16, width: u16| Rect { x: area.x + x, width: width.min(area.width.saturating_sub(x)), height: 1, ..area };
    hits.push(Hit { area: at(0, compose_width), target: HitTarget::Pane(Focus::Prompt) });
    hits.push(Hit { area: at(compose_width + 1, jobs_width), target: HitTarget::Pane(Focus::History) });
    let line = Line::from(vec![compose_tab, Span::raw(" "), jobs_tab, styled("  Tab switches", theme.muted())]);
    frame.render_widget(Paragraph::new(line), area);
}

pub fn status_line(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let keys = footer_keys(state);
    let width = area.width as usize;
    // Room for the hints is decided below: the whole row of them is what they want.
    let all_keys_text = fit_keys(&keys, usize::MAX);
    let mut spans = vec![styled(format!(" {} · {} ", state.env.endpoint, state.env.graphics), theme.muted())];
    if !state.jobs.live.is_empty() {
        let text = format!("· {} ", jobs_text(state).unwrap_or_default().replace(", ", " · "));
        spans.push(styled(text, theme.status(crate::store::JobStatus::Running)));
    }
    if let Some(spend) = state.env.spent.and_then(|spent| state.env.budgets.status(spent)) {
        let passed = state.env.spent.is_some_and(|spent| state.env.budgets.overrun(spent, 0.0).is_some());
        spans.push(styled(format!("· {spend} "), if passed { theme.error() } else { theme.muted() }));
    }
    if state.jobs.unsaved > 0 {
        let retry = state.env.keymap.hint(Context::Global, Action::RetrySave);
        spans.push(styled(format!("· {} unsaved ({retry}) ", state.jobs.unsaved), theme.error()));
    }
    let used = Line::from(spans.clone()).width();
    let all_keys = Line::from(all_keys_text.as_str()).width();
    // A message wins over the key hints; the hints win over where the model list came from,
    // which takes what is left.
    let (keys_width, message) = match state.status.notice.as_ref().filter(|_| message_height(state, area.width) == 0) {
        Some((text, severity)) => {
            let style = match severity {
                Severity::Info => theme.success(),
                Severity::Warning => theme.warning(),
                Severity::Error => theme.error(),
            };
            let wanted = used + 2 + Line::from(text.as_str()).width() + 2;
            let room = width.saturating_sub(wanted).min(all_keys);
            // A sliver of a key hint says nothing: all of them, a useful part, or none.
            (if room < all_keys.min(12) { 0 } else { room }, Some((text.clone(), style)))
        }
        None => {
            let source = state.env.catalog.listing.source.to_string();
            // The hints first (how to get help and out must show at 80 columns), the source of
            // the model list in what is left.
            let keys_width = all_keys.min(width.saturating_sub(used + 1));
            let room = width.saturating_sub(used + keys_width + 3);
            (keys_width, (room >= 12).then(|| (source, theme.muted())))
        }
    };
    let [left, right] = Layout::horizontal([Constraint::Min(0), Constraint::Length(keys_width as u16)]).areas(area);
    if let Some((text, style)) = message {
        spans.push(styled(format!("· {}", fit(&text, (left.width as usize).saturating_sub(used + 3))), style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), left);
    frame.render_widget(Paragraph::new(styled(fit_keys(&keys, right.width as usize), theme.muted())), right);
}

/// Room a message needs above the status line when it is too long for it: it is shown whole
/// there (up to three rows) until the next key.
pub fn message_height(state: &State, width: u16) -> u16 {
    let Some((text, _)) = &state.status.notice else { return 0 };
    let needed = Line::from(text.as_str()).width() + 3;
    // The status line keeps its own part (endpoint, graphics, counts): about half of it.
    if needed <= (width as usize) / 2 { 0 } else { (needed.div_ceil(width.max(1) as usize) as u16).min(3) }
}

/// A message too long for the status line, whole and wrapped.
pub fn long_message(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some((text, severity)) = state.status.notice.as_ref().filter(|_| area.height > 0) else { return };
    let style = match severity {
        Severity::Info => theme.success(),
        Severity::Warning => theme.warning(),
        Severity::Error => theme.error(),
    };
    let text = crate::text::escape_controls(text);
    frame.render_widget(Paragraph::new(format!(" {text}")).style(style).wrap(Wrap { trim: true }), area);
}

/// The keys of what has the keyboard, from the keymap: a few of the layer's own, then how to
/// get help and out, which stay when the row is cut.
fn footer_keys(state: &State) -> Vec<String> {
    use Action as A;
    let context = state.context();
    let (own, last): (&[Action], &[Action]) = match context {
        Context::Prompt => (&[A::Submit, A::FocusNext], &[A::Help, A::Quit]),
        Context::Settings => (&[A::NextValue, A::Submit], &[A::Help, A::Quit]),
        Context::History => (&[A::View, A::LoadJob, A::RerunJob, A::Search], &[A::Help, A::Quit]),
        Context::Preview => (&[A::NextImage, A::View, A::LoadJob], &[A::Help, A::Quit]),
        Context::Gallery => (&[A::View, A::LoadJob, A::RerunJob], &[A::Help, A::Cancel]),
        Context::Viewer => (&[A::NextImage, A::ToggleInfo, A::ZoomIn], &[A::Help, A::Cancel]),
        Context::Painter => (&[A::PaintToggle, A::RectStart, A::Confirm], &[A::Help, A::Cancel]),
        Context::Spend => (&[], &[A::Help, A::Cancel]),
        Context::Search | Context::Recall => (&[A::Confirm], &[A::Help, A::Cancel]),
        Context::Browser => (&[A::Confirm, A::ParentDir, A::OpenPath], &[A::Help, A::Cancel]),
        Context::Path => (&[A::Confirm, A::Complete], &[A::Help, A::Cancel]),
        Context::Help => (&[A::Search], &[A::Cancel]),
        Context::Confirm => (&[A::Confirm, A::Cancel], &[A::Help, A::Quit]),
        Context::Copy => (&[A::Confirm], &[A::Cancel]),
        Context::Global => (&[], &[]),
    };
    own.iter()
        .chain(last)
        .filter_map(|a| {
            state.env.keymap.key_for(context, *a).map(|k| format!("{} {}", k.display(), label(context, *a)))
        })
        .collect()
}

/// A layer's own hint row: `what` it shows, then its `keys` (as the keymap binds them in
/// `context`) in what room is left, cut from the middle (help and the way back stay last).
pub(super) fn hint_row(state: &State, context: Context, what: &str, keys: &[(Action, &str)], width: u16) -> String {
    let keys: Vec<String> =
        keys.iter().map(|(action, label)| format!("{} {label}", state.env.keymap.hint(context, *action))).collect();
    let room = usize::from(width).saturating_sub(width_of(what));
    format!("{what}{}", fit_keys(&keys, room))
}

/// The hints in `room` columns: the last two (help, and the way out) always, and as many of the
/// others as fit before them, a cut said with "…".
pub(super) fn fit_keys(parts: &[String], room: usize) -> String {
    let joined = |parts: &[String]| format!("{} ", parts.join(" · "));
    if width_of(&joined(parts)) <= room {
        return joined(parts);
    }
    let kept = parts.len().saturating_sub(2);
    let (own, last) = parts.split_at(kept);
    for take in (0..own.len()).rev() {
        let mut shown: Vec<String> = own[..take].to_vec();
        shown.push("…".into());
        shown.extend_from_slice(last);
        if width_of(&joined(&shown)) <= room {
            return joined(&shown);
        }
    }
    fit(&joined(last), room)
}

/// An action's footer label; Enter in a text input (search, a name, Ctrl-R) uses what was
/// typed, it answers no question.
fn label(context: Context, action: Action) -> &'static str {
    match (context, action) {
        (Context::Search | Context::Recall, Action::Confirm) => "use",
        (Context::Browser, Action::Confirm) => "open or pick",
        (Context::Path, Action::Confirm) => "go",
        (Context::Confirm, Action::Cancel) => "no",
        (Context::Copy, Action::Confirm) => "copy",
        _ => action.label(),
    }
}

/// "2 running, 3 queued", "1 queued", or nothing when no job of this app is under way.
fn jobs_text(state: &State) -> Option<String> {
    match state.jobs.running_and_queued() {
        (0, 0) => None,
        (running, 0) => Some(format!("{running} running")),
        (0, queued) => Some(format!("{queued} queued")),
        (running, queued) => Some(format!("{running} running, {queued} queued")),
    }
}
