//! The job list: newest first, a status glyph and colour per job, live jobs with a spinner,
//! elapsed time and retries. Only the visible rows are built.

use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};

use std::collections::{BTreeSet, HashMap, HashSet};

use super::{fit, pane, styled, width_of};
use crate::config::theme::Theme;
use crate::jobs::SPINNER;
use crate::store::{JobId, JobStatus, JobSummary};
use crate::tui::state::hits::{Hit, HitTarget};
use crate::tui::state::{Focus, LiveJob, State};

/// Draws the list (its rows reported in `hits`); returns how many rows it has room for.
pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect, hits: &mut Vec<Hit>) -> Option<u16> {
    let focused = state.layers.focused(Focus::History);
    let h = &state.jobs.history;
    let mut title = vec![Span::raw(format!(" History ({}{}) ", h.rows.len(), if h.exhausted { "" } else { "+" }))];
    if h.tree {
        title.push(styled("tree ".to_string(), theme.accent()));
    }
    if h.starred_only {
        title.push(styled("★ only ".to_string(), theme.accent()));
    }
    let searching = state.layers.top_is(|l| matches!(l, crate::tui::state::Layer::HistorySearch));
    if searching || !h.search.is_empty() {
        let cursor = if searching { "▏" } else { "" };
        title.push(styled(format!("/{}{cursor} ", h.search), theme.accent()));
        // Until the answer comes (off the UI task; a short word of an unspaced script reads
        // rows), the rows under it are the last search's.
        if h.loading && !h.search.is_empty() {
            title.push(styled("searching… ".to_string(), theme.muted()));
        }
    }
    let block = pane(Line::from(title), focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if h.rows.is_empty() {
        let text = if h.loading {
            "loading…"
        } else if h.starred_only {
            "no starred job (* stars the selected one; f shows all)"
        } else if h.search.is_empty() {
            &format!(
                "no jobs yet: write a prompt and press {}",
                state.env.keymap.hint(crate::tui::keymap::Context::Prompt, crate::tui::action::Action::Submit)
            )
        } else {
            "no job matches the search"
        };
        frame.render_widget(Paragraph::new(styled(format!(" {text}"), theme.muted())), inner);
        return Some(inner.height);
    }
    // Only the rows in the window are built: the list may hold thousands.
    let height = inner.height as usize;
    let offset = h.scroll.offset_for(h.selected, height, h.rows.len());
    let shown = &h.rows[offset..(offset + height).min(h.rows.len())];
    let differences = group_differences(&h.rows, shown);
    // The numbers line up however many digits they have (a million jobs: seven).
    let id_width = shown.iter().map(|r| r.id.to_string().len()).max().unwrap_or(0).max(4);
    let items: Vec<ListItem> = shown
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let prefix = h.tree_prefixes.get(offset + i).map_or("", String::as_str);
            ListItem::new(job_line(state, theme, row, (prefix, id_width), &differences, inner.width as usize))
        })
        .collect();
    for (i, _) in items.iter().enumerate() {
        let area = Rect { y: inner.y + i as u16, height: 1, ..inner };
        hits.push(Hit { area, target: HitTarget::HistoryRow(offset + i) });
    }
    let mut list_state = ListState::default().with_selected(Some(h.selected - offset));
    frame.render_stateful_widget(List::new(items).highlight_style(theme.selection()), inner, &mut list_state);
    Some(inner.height)
}

fn job_line(
    state: &State,
    theme: &Theme,
    row: &JobSummary,
    (prefix, id_width): (&str, usize),
    differences: &HashMap<JobId, String>,
    width: usize,
) -> Line<'static> {
    let live = state.jobs.live.get(&row.id);
    // Unfinished, but neither ours nor another live imgtui's: its process is gone.
    let orphan = live.is_none()
        && matches!(row.status, JobStatus::Running | JobStatus::Queued)
        && row.running_elsewhere.is_none();
    let (glyph, status) = match (live, row.status) {
        _ if orphan => ("!".into(), JobStatus::Interrupted),
        // Waiting for a slot: no spinner, nothing is happening yet.
        (Some(job), _) if job.phase == crate::tui::state::Phase::Queued => ("·".into(), JobStatus::Queued),
        (Some(_), _) | (None, JobStatus::Running | JobStatus::Queued) => {
            (SPINNER[state.env.spinner % SPINNER.len()].to_string(), row.status)
        }
        (None, JobStatus::Done) => ("✓".into(), row.status),
        (None, JobStatus::Failed) => ("✗".into(), row.status),
        (None, JobStatus::Cancelled) => ("⊘".into(), row.status),
        (None, JobStatus::Interrupted) => ("!".into(), row.status),
    };
    let detail = match live {
        Some(job) => live_detail(state, job),
        None => match row.status {
            // What it cost says more than tokens; tokens when no price is known.
            JobStatus::Done => match (row.cost.as_ref().map(|c| c.usd), row.total_tokens) {
                (Some(usd), _) => format!("{} img {}", row.image_count, crate::cost::dollars(usd)),
                (None, Some(tokens)) => format!("{} img {tokens} tok", row.image_count),
                (None, None) => format!("{} img", row.image_count),
            },
            JobStatus::Failed => row.error.as_deref().map(|e| fit(e, 24)).unwrap_or_else(|| "failed".into()),
            other => match row.running_elsewhere {
                Some(pid) => format!("{}, pid {pid}", other.as_str()),
                None if orphan => "stopped (imgtui gone)".to_string(),
                None => other.as_str().to_string(),
            },
        },
    };
    // A star takes the space between the glyph and the number.
    let star = if row.starred { "★" } else { " " };
    let head = format!(" {glyph}{star}#{:<id_width$} ", row.id);
    let detail = format!("{:<18} ", fit(&detail, 18));
    // The jobs of one submit (variants, a varied setting) carry their group's number and what
    // sets this one apart, before the prompt they share.
    let (prefix, differs) = match row.group_id {
        Some(group) => (format!("{prefix}g{group} "), differences.get(&row.id).cloned().unwrap_or_default()),
        None => (prefix.to_string(), String::new()),
    };
    // An agent's job (through `imgtui mcp`) says so before its prompt.
    let prefix =
        if row.origin.as_deref().is_some_and(|o| o.starts_with("mcp:")) { format!("{prefix}mcp ") } else { prefix };
    let room = width.saturating_sub(width_of(&head) + width_of(&detail) + width_of(&prefix));
    // In a group the difference says more than the prompt the members share.
    let differs = if differs.is_empty() { differs } else { format!("{} ", fit(&differs, room.saturating_sub(12))) };
    let room = room.saturating_sub(width_of(&differs));
    // The prompt first; the model at the end when the prompt keeps room to be read.
    let model_width = width_of(&row.model).min(20);
    let (prompt_room, model) = if room >= PROMPT_ROOM + model_width + 2 {
        (room - model_width - 2, format!("  {}", model_name(&row.model, model_width)))
    } else {
        (room, String::new())
    };
    let prompt = fit(&row.prompt, prompt_room);
    let padding = " ".repeat(prompt_room.saturating_sub(width_of(&prompt)));
    Line::from(vec![
        styled(head, theme.status(status)),
        styled(detail, theme.status(status)),
        styled(prefix, theme.muted()),
        styled(differs, theme.accent()),
        Span::styled(prompt + &padding, theme.base()),
        styled(model, theme.muted()),
    ])
}

/// Below this many columns for the prompt, a row leaves the model out.
const PROMPT_ROOM: usize = 24;

/// What sets each job of a group apart from the others loaded: the settings whose values
/// differ ("quality high"), and the words of its prompt not in every member's ("red snow").
fn group_differences(rows: &[JobSummary], shown: &[JobSummary]) -> HashMap<JobId, String> {
    let groups: HashSet<JobId> = shown.iter().filter_map(|r| r.group_id).collect();
    let mut out = HashMap::new();
    for group in groups {
        let members: Vec<&JobSummary> = rows.iter().filter(|r| r.group_id == Some(group)).collect();
        if members.len() < 2 {
            continue;
        }
        let keys: BTreeSet<&String> = members.iter().flat_map(|m| m.settings.keys()).collect();
        let varied: Vec<&String> = keys
            .into_iter()
            .filter(|k| members.iter().any(|m| m.settings.get(*k) != members[0].settings.get(*k)))
            .collect();
        let words = |m: &JobSummary| m.prompt.split_whitespace().map(str::to_string).collect::<HashSet<String>>();
        let shared = members.iter().skip(1).fold(words(members[0]), |all, m| &all & &words(m));
        let model_varies = members.iter().any(|m| m.model != members[0].model);
        for member in members.iter().filter(|m| shown.iter().any(|s| s.id == m.id)) {
            let mut parts: Vec<String> = Vec::new();
            if model_varies {
                parts.push(crate::text::escape_controls(&member.model));
            }
            for key in &varied {
                let value = member.settings.get(*key).map_or("default", String::as_str);
                parts.push(crate::text::escape_controls(&format!("{key} {value}")));
            }
            let own: Vec<&str> = member.prompt.split_whitespace().filter(|w| !shared.contains(*w)).collect();
            if !own.is_empty() {
                parts.push(crate::text::escape_controls(&own.join(" ")));
            }
            out.insert(member.id, parts.join(" · "));
        }
    }
    out
}

fn live_detail(state: &State, job: &LiveJob) -> String {
    let elapsed = state.env.now.saturating_duration_since(job.started);
    let retries = if job.retries > 0 { format!(" r{}", job.retries) } else { String::new() };
    if job.phase == crate::tui::state::Phase::Queued {
        return "queued".into();
    }
    format!("{} {}{retries}", clock(elapsed), job.phase)
}

/// `4.2s`, `1m05s`.
pub fn clock(d: Duration) -> String {
    let secs = d.as_secs();
    if secs < 60 { format!("{:.1}s", d.as_secs_f64()) } else { format!("{}m{:02}s", secs / 60, secs % 60) }
}

/// A model name in `width` characters: whole when it fits, else with `gpt-image-` shortened to
/// `gpt-img-`, else cut in the middle (the tail tells flare from sunburst, 1.5 from 1).
fn model_name(name: &str, width: usize) -> String {
    let name = crate::text::escape_controls(name);
    let name = match name.strip_prefix("gpt-image-") {
        Some(rest) if width_of(&name) > width => format!("gpt-img-{rest}"),
        _ => name,
    };
    let chars: Vec<char> = name.chars().collect();
    if chars.len() <= width {
        return name;
    }
    let tail = width / 2;
    let head = width - tail - 1;
    chars[..head].iter().chain(['…'].iter()).chain(&chars[chars.len() - tail..]).collect()
}
