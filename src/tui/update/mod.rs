//! `update`: the one place state changes. No I/O here: work leaves as `Command`s and comes
//! back as `AppEvent`s.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

mod browser;
mod confirm;
mod events;
mod gallery;
mod jobs;
mod lists;
mod load;
mod models;
mod painter;
mod recall;
mod submit;
mod tree;
mod undo;
mod viewer;

use browser::want_facts as want_browser_facts;
use confirm::{confirm, quit};
use lists::{move_history, move_in_focus};
pub use undo::UndoLog;

use super::action::Action;
use super::event::{Command, Msg};
use super::keymap::{Context, Key};
use super::state::{Field, Focus, Overlay, Severity, State, Target};

/// A message longer than this is shown on rows of its own until the next key.
const LONG_MESSAGE: usize = 60;

pub fn update(state: &mut State, msg: Msg) -> Vec<Command> {
    let commands = dispatch(state, msg);
    // Whatever moved a selection, its list's window follows it.
    state.history.scroll.follow(state.history.selected);
    if let Some(browser) = state.browser.as_mut() {
        browser.scroll.follow(browser.selected);
    }
    commands
}

fn dispatch(state: &mut State, msg: Msg) -> Vec<Command> {
    match msg {
        Msg::Key(key) if key.kind == KeyEventKind::Release => Vec::new(),
        Msg::Key(key) => on_key(state, key),
        Msg::Paste(text) => on_paste(state, &text),
        Msg::Resize(width, height) => {
            state.screen = (width, height);
            if let Some(view) = state.painter.as_mut() {
                view.refit(state.screen, state.cell);
            }
            Vec::new()
        }
        Msg::CellSize(cell) => {
            state.cell = cell;
            if let Some(view) = state.painter.as_mut() {
                view.refit(state.screen, state.cell);
            }
            Vec::new()
        }
        Msg::Mouse(event) => painter::on_mouse(state, event),
        Msg::Tick(now) => {
            state.now = now;
            state.spinner = state.spinner.wrapping_add(1);
            // Jobs another imgtui runs change only in the history: look again every 2 s.
            if state.spinner % 20 == 0 && state.history.rows.iter().any(|r| r.running_elsewhere.is_some()) {
                return reload_history(state);
            }
            Vec::new()
        }
        Msg::ListHeights { history, browser } => {
            if let Some(rows) = history {
                state.history.scroll.set_height(rows.into(), state.history.selected);
            }
            if let (Some(rows), Some(b)) = (browser, state.browser.as_mut()) {
                b.scroll.set_height(rows.into(), b.selected);
            }
            Vec::new()
        }
        Msg::PreviewWanted { key, cell } => {
            if !state.previews.ask(&key) {
                return Vec::new();
            }
            // A gallery tile is made from its cached thumbnail, found by the image's hash.
            let thumb = state.gallery.as_ref().and_then(|g| g.sha256_of(&key.path)).map(str::to_string);
            vec![Command::PreparePreview { key, cell, thumb }]
        }
        Msg::App(event) => events::on_app_event(state, event),
    }
}

fn on_key(state: &mut State, event: KeyEvent) -> Vec<Command> {
    // While the screen says it is too small, keys would act on what cannot be seen: only text
    // typed into the prompt (a resize may be reported after the keys that follow it: nothing
    // typed is lost), quitting and suspending work.
    let too_small = state.screen.0 < super::ui::MIN_WIDTH || state.screen.1 < super::ui::MIN_HEIGHT;
    if too_small && state.context() != Context::Prompt {
        let action = Key::from_event(&event).and_then(|key| state.keymap.action(Context::Global, &key));
        return match action {
            Some(action @ (Action::Quit | Action::Suspend)) => on_action(state, action),
            _ => Vec::new(),
        };
    }
    // A long message has its own rows above the status line: they go with the next key.
    if state.notice.as_ref().is_some_and(|(text, _)| crate::text::char_count(text) > LONG_MESSAGE) {
        state.notice = None;
    }
    let context = state.context();
    // Moving about, a message has been seen: it goes with the next key (as in vi), so an old
    // one never stands for the present. While text is typed it stays.
    if matches!(context, Context::History | Context::Preview | Context::Viewer | Context::Settings | Context::Browser) {
        state.notice = None;
    }
    // While the help's filter is typed, plain characters are text, not its scroll keys.
    if context == Context::Help
        && let Some(filter) = state.help.filter.as_mut()
        && !event.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        match event.code {
            KeyCode::Char(c) => filter.push(c),
            KeyCode::Backspace => {
                filter.pop();
            }
            _ => return on_key_unfiltered(state, event, context),
        }
        state.help.scroll = 0;
        return Vec::new();
    }
    on_key_unfiltered(state, event, context)
}

fn on_key_unfiltered(state: &mut State, event: KeyEvent, context: Context) -> Vec<Command> {
    if context == Context::Painter && painter::on_shifted_arrow(state, &event) {
        return Vec::new();
    }
    // The Vary values: Space and Enter choose (the arrows move, as next/previous value).
    if context == Context::Settings
        && matches!(event.code, KeyCode::Char(' ') | KeyCode::Enter)
        && state.form.selected_field(Some(state.spec())) == Field::VaryValues
    {
        state.form.vary.toggle();
        state.revalidate();
        return Vec::new();
    }
    let action = Key::from_event(&event).and_then(|key| state.keymap.action(context, &key));
    match (action, context) {
        (action, Context::Search)
            if matches!(state.overlay, Some(Overlay::Recall(_)))
                && !matches!(action, Some(Action::Quit | Action::Suspend)) =>
        {
            recall::on_search_key(state, event)
        }
        (Some(Action::Cancel | Action::Spend), Context::Spend) => {
            state.spend = None;
            Vec::new()
        }
        (Some(action @ (Action::Help | Action::Quit | Action::Suspend)), Context::Spend) => on_action(state, action),
        (_, Context::Spend) => Vec::new(),
        (Some(action), Context::Painter) => painter::on_action(state, action),
        (Some(action), Context::Viewer) => viewer::on_action(state, action),
        (Some(action), Context::Gallery) => gallery::on_action(state, action),
        (Some(action), Context::Browser | Context::Path) => browser::on_action(state, action),
        (None, Context::Browser | Context::Path) => browser::on_key(state, event),
        (Some(action), _) => on_action(state, action),
        (None, Context::Prompt)
            if event.code == KeyCode::Char('u')
                && event.modifiers == KeyModifiers::CONTROL
                && load::restore_draft(state) =>
        {
            Vec::new()
        }
        (None, Context::Prompt) => {
            if undo::edit_prompt(state, event) {
                state.recall.end_walk();
                state.revalidate();
            }
            Vec::new()
        }
        (None, Context::Search) if matches!(state.overlay, Some(Overlay::ModelName(_) | Overlay::CustomSize(_))) => {
            models::edit_name(state, event);
            Vec::new()
        }
        (None, Context::Search) => edit_search(state, event),

        _ => Vec::new(),
    }
}

/// The most characters a paste into a one-line input (search, recall) keeps.
const LINE_PASTE_MAX: usize = 1_000;

fn on_paste(state: &mut State, text: &str) -> Vec<Command> {
    match state.context() {
        Context::Prompt => {
            paste_into_prompt(state, text);
            Vec::new()
        }
        Context::Search if matches!(state.overlay, Some(Overlay::ModelName(_) | Overlay::CustomSize(_))) => {
            models::paste_name(state, text);
            Vec::new()
        }
        Context::Search if matches!(state.overlay, Some(Overlay::Recall(_))) => {
            recall::on_paste(state, text);
            Vec::new()
        }
        Context::Search => {
            let room = LINE_PASTE_MAX.saturating_sub(crate::text::char_count(&state.history.search));
            state.history.search.extend(text.chars().map(|c| if c.is_control() { ' ' } else { c }).take(room));
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
        let model = state.form.model.clone();
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
    state.prompt.insert_str(kept);
    state.revalidate();
}

fn edit_search(state: &mut State, event: KeyEvent) -> Vec<Command> {
    match event.code {
        KeyCode::Char(c) if !event.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
            state.history.search.push(c);
        }
        KeyCode::Backspace => {
            state.history.search.pop();
        }
        _ => return Vec::new(),
    }
    reload_history(state)
}

pub fn reload_history(state: &mut State) -> Vec<Command> {
    let (query, generation) = state.history.first_page();
    let mut commands = vec![Command::LoadHistory { query, append: false, generation }];
    // What was spent changes with the history: asked again when budgets are kept.
    if state.budgets != crate::cost::Budgets::default() {
        commands.push(Command::LoadSpent);
    }
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
            state.overlay = if state.overlay == Some(Overlay::Help) { None } else { Some(Overlay::Help) };
            state.help = Default::default();
            Vec::new()
        }
        Action::Search if state.overlay == Some(Overlay::Help) => {
            state.help.filter = Some(String::new());
            state.help.scroll = 0;
            Vec::new()
        }
        Action::Cancel if state.overlay == Some(Overlay::Help) && state.help.filter.is_some() => {
            state.help.filter = None;
            Vec::new()
        }
        Action::FocusNext | Action::FocusPrev => cycle_focus(state, action),
        Action::FocusPrompt => {
            state.focus = Focus::Prompt;
            Vec::new()
        }
        Action::Cancel => cancel(state),
        Action::Confirm => confirm(state),
        Action::Up | Action::Down | Action::PageUp | Action::PageDown | Action::First | Action::Last => {
            move_in_focus(state, action)
        }
        Action::NextValue | Action::PrevValue if state.form.selected_field(Some(state.spec())) == Field::VaryValues => {
            state.form.vary.move_cursor(if action == Action::NextValue { 1 } else { -1 });
            Vec::new()
        }
        Action::NextValue | Action::PrevValue
            if matches!(
                state.form.selected_field(Some(state.spec())),
                Field::Image(_) | Field::AddImage | Field::Mask
            ) =>
        {
            pick_file(state)
        }
        Action::MoveItemUp | Action::MoveItemDown => {
            state.form.move_image(&state.catalog, if action == Action::MoveItemUp { -1 } else { 1 });
            state.revalidate();
            Vec::new()
        }
        Action::EditResult => load::edit_result(state),
        Action::RetrySave if state.unsaved > 0 => vec![Command::RetrySave],
        Action::RetrySave => {
            state.set_notice("no image is waiting to be written", Severity::Info);
            Vec::new()
        }
        Action::ParentDir | Action::OpenPath | Action::Complete => Vec::new(),
        Action::View => viewer::open(state),
        Action::Gallery => gallery::open(state),
        Action::Spend => {
            state.spend = Some(Default::default());
            let mut commands = vec![Command::LoadSpend];
            commands.extend((state.budgets != crate::cost::Budgets::default()).then_some(Command::LoadSpent));
            commands
        }
        Action::ToggleGrid => {
            state.job.grid = !state.job.grid;
            Vec::new()
        }
        Action::PaintMask => painter::open(state),
        Action::ToggleInfo
        | Action::ZoomIn
        | Action::ZoomOut
        | Action::ZoomFit
        | Action::Compare
        | Action::Mark
        | Action::PaintToggle
        | Action::RectStart
        | Action::EllipseStart
        | Action::BrushTool
        | Action::BrushSmaller
        | Action::BrushLarger
        | Action::EraseMode
        | Action::InvertMask
        | Action::ClearMask
        | Action::Undo
        | Action::Redo
        | Action::GroupGrid => Vec::new(),
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
            state.focus = Focus::History;
            state.history.searching = true;
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
    state.job.image_index = 0;
    state.selected_job_id().map(Command::LoadDetails).into_iter().collect()
}

/// Tab and Shift-Tab: the next or previous pane.
fn cycle_focus(state: &mut State, action: Action) -> Vec<Command> {
    let delta = if action == Action::FocusNext { 1 } else { Focus::ORDER.len() - 1 };
    let at = Focus::ORDER.iter().position(|f| *f == state.focus).unwrap_or(0);
    state.focus = Focus::ORDER[(at + delta) % Focus::ORDER.len()];
    state.history.searching = false;
    Vec::new()
}

/// Esc: closes an overlay, or leaves (and clears) the history search.
fn cancel(state: &mut State) -> Vec<Command> {
    if state.overlay.take().is_none() && state.history.searching {
        state.history.searching = false;
        if !state.history.search.is_empty() {
            state.history.search.clear();
            return reload_history(state);
        }
    }
    Vec::new()
}

/// ←/→ on an input row: the browser opens for it.
fn pick_file(state: &mut State) -> Vec<Command> {
    let target = match state.form.selected_field(Some(state.spec())) {
        Field::Image(i) => Target::Image(i),
        Field::Mask => Target::Mask,
        _ => Target::Image(state.form.images.len()),
    };
    browser::open(state, target)
}
