//! `update`: the one place state changes. No I/O here: work leaves as `Command`s and comes
//! back as `AppEvent`s.

use crossterm::event::KeyEventKind;

mod browser;
mod confirm;
mod copy;
mod events;
mod gallery;
mod jobs;
mod keys;
mod line_edit;
mod lists;
mod load;
mod models;
mod mouse;
mod painter;
mod recall;
mod store_failed;
mod submit;
mod tree;
mod undo;
mod viewer;

use browser::want_facts as want_browser_facts;
use confirm::{confirm, quit};
use lists::{move_history, move_in_focus};

use super::action::Action;
use super::event::{Command, Msg, StoreAsk};
use super::keymap::Context;
use super::state::{Field, Focus, Layer, Severity, State, Target};

pub fn update(state: &mut State, msg: Msg) -> Vec<Command> {
    let mut commands = dispatch(state, msg);
    state.jobs.sending += commands.iter().filter(|c| matches!(c, Command::Submit { .. })).count();
    // While the quit question is open no queued job starts: quitting then costs nothing more.
    let quitting = state.layers.top_is(|l| matches!(l, Layer::Confirm(crate::tui::state::Confirm::Quit { .. })));
    // (Quitting for good keeps them held until they are cancelled.)
    if quitting != state.jobs.queue_held && !state.quit {
        state.jobs.queue_held = quitting;
        commands.push(Command::HoldQueue(quitting));
    }
    // A question's answers count from when it was first up.
    let asking = state.layers.top_is(|l| matches!(l, Layer::Confirm(_)));
    match (asking, state.status.question_since) {
        (true, None) => state.status.question_since = Some(state.env.now),
        (false, Some(_)) => state.status.question_since = None,
        _ => {}
    }
    // Whatever moved a selection, its list's window follows it.
    state.jobs.history.scroll.follow(state.jobs.history.selected);
    if let Some(browser) = state.layers.browser_mut() {
        browser.scroll.follow(browser.selected);
    }
    commands
}

fn dispatch(state: &mut State, msg: Msg) -> Vec<Command> {
    match msg {
        Msg::Key(key) if key.kind == KeyEventKind::Release => Vec::new(),
        Msg::Key(key) => keys::on_key(state, key),
        Msg::Paste(text) => on_paste(state, &text),
        Msg::Resize(width, height) => {
            state.env.screen = (width, height);
            if let Some(view) = state.layers.painter_mut() {
                view.refit(state.env.screen, state.env.cell);
            }
            Vec::new()
        }
        Msg::CellSize(cell) => {
            state.env.cell = cell;
            if let Some(view) = state.layers.painter_mut() {
                view.refit(state.env.screen, state.env.cell);
            }
            Vec::new()
        }
        Msg::Focus(focused) => {
            state.env.focused = focused;
            Vec::new()
        }
        Msg::Mouse(event, at) => mouse::on_mouse(state, event, at),
        Msg::Now(now) => {
            state.env.now = now;
            // A GIF playing in the viewer is looked at every 20 ms (its frames' time).
            viewer::play(state);
            Vec::new()
        }
        Msg::Tick(now) => {
            state.env.now = now;
            state.env.spinner = state.env.spinner.wrapping_add(1);
            viewer::play(state);
            // Jobs another imgtui runs change only in the history: look again every 2 s.
            if state.env.spinner % 20 == 0 && state.jobs.history.rows.iter().any(|r| r.running_elsewhere.is_some()) {
                return reload_history(state);
            }
            Vec::new()
        }
        Msg::Drawn { history, browser, help_last_page, hits } => {
            state.env.hits.drawn = hits;
            if let (Some(last), Some(view)) = (help_last_page, state.layers.help_mut()) {
                view.last_page = last;
            }
            if let Some(rows) = history.map(usize::from).filter(|rows| *rows != state.jobs.history.scroll.height()) {
                state.jobs.history.scroll.set_height(rows, state.jobs.history.selected);
            }
            if let (Some(rows), Some(b)) = (browser.map(usize::from), state.layers.browser_mut())
                && rows != b.scroll.height()
            {
                b.scroll.set_height(rows, b.selected);
            }
            Vec::new()
        }
        Msg::PreviewWanted { key, cell } => {
            if !state.previews.ask(&key) {
                return Vec::new();
            }
            // A gallery tile is made from its cached thumbnail, found by the image's hash.
            let thumb = state.layers.gallery().and_then(|g| g.sha256_of(&key.path)).map(str::to_string);
            vec![Command::PreparePreview { key, cell, thumb }]
        }
        Msg::App(event) => events::on_app_event(state, event),
    }
}

/// The most characters a paste into a one-line input (search, recall) keeps.
pub(super) const LINE_PASTE_MAX: usize = 1_000;

fn on_paste(state: &mut State, text: &str) -> Vec<Command> {
    match state.context() {
        Context::Prompt => {
            paste_into_prompt(state, text);
            Vec::new()
        }
        Context::Search if state.layers.top_is(|l| matches!(l, Layer::ModelName(_) | Layer::CustomSize(_))) => {
            models::paste_name(state, text);
            Vec::new()
        }
        Context::Search if state.layers.top_is(|l| matches!(l, Layer::Recall(_))) => {
            recall::on_paste(state, text);
            Vec::new()
        }
        Context::Search => {
            let room = LINE_PASTE_MAX.saturating_sub(crate::text::char_count(&state.jobs.history.search));
            state.jobs.history.search.extend(text.chars().map(|c| if c.is_control() { ' ' } else { c }).take(room));
            reload_history(state)
        }
        _ => Vec::new(),
    }
}

/// A paste into the prompt, up to what the model takes: a 10 MB paste would make every key
/// after it slow. Terminals send pasted newlines as \r; other control characters are dropped.
fn paste_into_prompt(state: &mut State, text: &str) {
    let limit = state.spec().prompt_max_chars;
    let room = limit.saturating_sub(crate::text::char_count(&state.prompt_text()));
    let (mut total, mut kept) = (0usize, String::new());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let c = match c {
            '\r' if chars.peek() == Some(&'\n') => continue,
            '\r' => '\n',
            c if c.is_control() && c != '\n' && c != '\t' => continue,
            c => c,
        };
        total += 1;
        if total <= room {
            kept.push(c);
        }
    }
    if total > room {
        let model = state.compose.form.model.clone();
        let message = match room {
            0 => format!("paste not taken: the prompt is full ({limit} characters for {model})"),
            _ => format!("pasted {total} characters; kept the first {room}: {model} takes at most {limit}"),
        };
        state.set_notice(message, Severity::Warning);
    }
    if kept.is_empty() {
        return;
    }
    undo::before_paste(state);
    state.compose.prompt.insert_str(kept);
    state.revalidate();
}

pub fn reload_history(state: &mut State) -> Vec<Command> {
    let (query, generation) = state.jobs.history.first_page();
    let mut commands = vec![Command::Store(StoreAsk::LoadHistory { query, append: false, generation })];
    // What was spent changes with the history (the budgets and the title say it).
    commands.push(Command::Store(StoreAsk::LoadSpent));
    commands
}

pub(super) fn on_action(state: &mut State, action: Action) -> Vec<Command> {
    match action {
        Action::Submit => submit::submit(state),
        Action::RecallOlder | Action::RecallNewer | Action::RecallSearch => recall::on_action(state, action),
        Action::StarJob => recall::star(state),
        Action::StarredOnly => recall::starred_only(state),
        Action::ToggleTree => tree::toggle(state),
        Action::Parent => tree::parent(state),
        Action::Quit => quit(state),
        Action::Suspend => vec![Command::Suspend],
        Action::Help => {
            if state.layers.close_help().is_none() {
                state.layers.push(Layer::Help(Default::default()));
            }
            Vec::new()
        }
        Action::Search if state.layers.help().is_some() => {
            if let Some(view) = state.layers.help_mut() {
                *view =
                    crate::tui::state::HelpView { scroll: 0, filter: Some(String::new()), last_page: view.last_page };
            }
            Vec::new()
        }
        Action::Cancel if state.layers.help().is_some_and(|h| h.filter.is_some()) => {
            if let Some(view) = state.layers.help_mut() {
                view.filter = None;
            }
            Vec::new()
        }
        Action::FocusNext | Action::FocusPrev => cycle_focus(state, action),
        Action::Cancel => cancel(state),
        Action::Confirm => confirm(state),
        Action::Up | Action::Down | Action::PageUp | Action::PageDown | Action::First | Action::Last => {
            move_in_focus(state, action)
        }
        Action::NextValue | Action::PrevValue
            if state.compose.form.selected_field(Some(state.spec())) == Field::VaryValues =>
        {
            state.compose.form.vary.move_cursor(if action == Action::NextValue { 1 } else { -1 });
            Vec::new()
        }
        Action::NextValue | Action::PrevValue
            if matches!(
                state.compose.form.selected_field(Some(state.spec())),
                Field::Image(_) | Field::AddImage | Field::Mask | Field::Markup
            ) =>
        {
            pick_file(state)
        }
        Action::MoveItemUp | Action::MoveItemDown => {
            state.compose.form.move_image(&state.env.catalog, if action == Action::MoveItemUp { -1 } else { 1 });
            state.revalidate();
            Vec::new()
        }
        Action::EditResult => load::edit_result(state),
        Action::RetrySave if state.jobs.unsaved > 0 => vec![Command::RetrySave],
        Action::RetrySave => {
            state.set_notice("no image is waiting to be written", Severity::Info);
            Vec::new()
        }
        Action::ParentDir | Action::OpenPath | Action::Complete => Vec::new(),
        Action::View => viewer::open(state),
        Action::Gallery => gallery::open(state),
        Action::Spend => {
            state.layers.push(Layer::Spend(Default::default()));
            let mut commands = vec![Command::Store(StoreAsk::LoadSpend)];
            commands.extend(
                (state.env.budgets != crate::cost::Budgets::default()).then_some(Command::Store(StoreAsk::LoadSpent)),
            );
            commands
        }
        Action::ToggleGrid => {
            state.jobs.job.grid = !state.jobs.job.grid;
            Vec::new()
        }
        Action::PaintMask => painter::open(state),
        Action::Copy => copy::open(state),
        Action::ToggleInfo
        | Action::ZoomIn
        | Action::ZoomOut
        | Action::ZoomFit
        | Action::Compare
        | Action::Mark
        | Action::PlayPause
        | Action::PrevFrame
        | Action::NextFrame
        | Action::PaintToggle
        | Action::RectStart
        | Action::EllipseStart
        | Action::ArrowStart
        | Action::NextColour
        | Action::BrushTool
        | Action::BrushSmaller
        | Action::BrushLarger
        | Action::EraseMode
        | Action::InvertMask
        | Action::ClearMask
        | Action::GroupGrid
        | Action::Left
        | Action::Right
        | Action::FarUp
        | Action::FarDown
        | Action::FarLeft
        | Action::FarRight
        | Action::ToggleHidden
        | Action::GoHome => Vec::new(),
        // The prompt's: the painter has its own undo.
        Action::Undo => {
            if !load::restore_draft(state) && undo::undo(state) {
                state.revalidate();
            }
            Vec::new()
        }
        Action::Redo => {
            if undo::redo(state) {
                state.revalidate();
            }
            Vec::new()
        }
        Action::DeleteToLineStart => {
            if undo::delete_to_line_start(state) {
                state.compose.recall.end_walk();
                state.revalidate();
            }
            Vec::new()
        }
        Action::Toggle if state.compose.form.selected_field(Some(state.spec())) == Field::VaryValues => {
            state.compose.form.vary.toggle();
            state.revalidate();
            Vec::new()
        }
        Action::Toggle => on_action(state, Action::NextValue),
        Action::NextValue | Action::PrevValue => {
            let delta = if action == Action::NextValue { 1 } else { -1 };
            models::cycle(state, delta);
            Vec::new()
        }
        Action::ResetValue => {
            models::reset(state);
            Vec::new()
        }
        Action::Search => {
            state.layers.focus = Focus::History;
            state.layers.push(Layer::HistorySearch);
            Vec::new()
        }
        Action::CancelJob
        | Action::DeleteJob
        | Action::RerunJob
        | Action::LoadJob
        | Action::NextImage
        | Action::PrevImage => jobs::on_action(state, action),
    }
}

pub(super) fn selection_changed(state: &mut State) -> Vec<Command> {
    state.jobs.job.image_index = 0;
    state.selected_job_id().map(|id| Command::Store(StoreAsk::LoadDetails(id))).into_iter().collect()
}

/// Tab and Shift-Tab: the next or previous pane.
fn cycle_focus(state: &mut State, action: Action) -> Vec<Command> {
    let delta = if action == Action::FocusNext { 1 } else { Focus::ORDER.len() - 1 };
    let at = Focus::ORDER.iter().position(|f| *f == state.layers.focus).unwrap_or(0);
    state.layers.focus = Focus::ORDER[(at + delta) % Focus::ORDER.len()];
    state.layers.close(|l| matches!(l, Layer::HistorySearch));
    Vec::new()
}

/// Esc: closes the top layer (leaving the history's search clears it); on a pane, back to the
/// prompt.
fn cancel(state: &mut State) -> Vec<Command> {
    match state.layers.pop() {
        None => state.layers.focus = Focus::Prompt,
        Some(Layer::HistorySearch) if !state.jobs.history.search.is_empty() => {
            state.jobs.history.search.clear();
            return reload_history(state);
        }
        Some(_) => {}
    }
    Vec::new()
}

/// ←/→ on an input row: the browser opens for it.
fn pick_file(state: &mut State) -> Vec<Command> {
    let target = match state.compose.form.selected_field(Some(state.spec())) {
        Field::Image(i) => Target::Image(i),
        Field::Mask => Target::Mask,
        Field::Markup => Target::Markup,
        _ => Target::Image(state.compose.form.images.len()),
    };
    browser::open(state, target)
}
