//! The file browser's part of `update`: open it from the Image and Mask rows, move, filter,
//! jump by path, pick. Listings and header reads leave as commands and come back as events.

use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent};

use crate::api::validate::Depth;
use crate::browse::{self, EntryKind};
use crate::tui::action::Action;
use crate::tui::event::{AppEvent, Command, FileAsk};
use crate::tui::state::browser::Row;
use crate::tui::state::{Browser, Layer, Severity, State, Target};

/// Rows whose facts are read ahead of the selection, so scrolling shows them at once.
const FACTS_WINDOW: usize = 60;

/// Opens the browser for `target`, in the directory last used for that field.
pub fn open(state: &mut State, target: Target) -> Vec<Command> {
    let current = match target {
        Target::Image(i) => state.compose.form.images.get(i).cloned(),
        Target::Mask => state.compose.form.mask.clone(),
        Target::Markup => state.compose.form.markup.clone(),
    };
    let dir = current
        .as_deref()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .or_else(|| state.compose.browser_dirs.get(&target.kind()).cloned())
        .unwrap_or_else(|| state.compose.start_dir.clone());
    let mut browser = Browser::new(target, dir.clone());
    let generation = browser.go_to(dir.clone());
    state.layers.push(Layer::Browser(browser));
    vec![Command::Files(FileAsk::ListDir { dir, generation })]
}

fn go_to(state: &mut State, dir: PathBuf) -> Vec<Command> {
    let Some(browser) = state.layers.browser_mut() else { return Vec::new() };
    // What was said about the last folder or file no longer applies.
    state.status.notice = None;
    let generation = browser.go_to(dir.clone());
    vec![Command::Files(FileAsk::ListDir { dir, generation })]
}

/// Facts for the rows around the selection that are not known yet.
pub(super) fn want_facts(state: &mut State) -> Vec<Command> {
    let Some(browser) = state.layers.browser_mut() else { return Vec::new() };
    let from = browser.selected.saturating_sub(FACTS_WINDOW / 3);
    let paths = browser.wanted_facts(from, FACTS_WINDOW);
    if paths.is_empty() { Vec::new() } else { vec![Command::Files(FileAsk::InspectFiles { paths, masks: false })] }
}

pub fn on_action(state: &mut State, action: Action) -> Vec<Command> {
    let Some(browser) = state.layers.browser_mut() else { return Vec::new() };
    match action {
        Action::Up | Action::Down | Action::PageUp | Action::PageDown | Action::First | Action::Last => {
            let page = browser.scroll.page();
            browser.move_by(action.rows(page).unwrap_or(0));
            want_facts(state)
        }
        Action::Cancel => {
            if browser.path_input.take().is_none() {
                state.layers.close_browser();
            }
            Vec::new()
        }
        Action::ParentDir => match browser.parent_dir() {
            Some(parent) => go_to(state, parent),
            None => Vec::new(),
        },
        Action::OpenPath => {
            browser.path_input = Some(format!("{}/", browser.dir.display()).replace("//", "/"));
            Vec::new()
        }
        Action::Complete => match &browser.path_input {
            Some(typed) => vec![Command::Files(FileAsk::CompletePath(typed.clone()))],
            None => Vec::new(),
        },
        Action::Confirm => confirm(state),
        Action::ToggleHidden => {
            browser.show_hidden = !browser.show_hidden;
            browser.selected = 0;
            want_facts(state)
        }
        Action::GoHome => match browse::home_dir() {
            Some(home) => go_to(state, home),
            None => Vec::new(),
        },
        Action::View => super::viewer::open(state),
        _ => super::on_action(state, action),
    }
}

fn confirm(state: &mut State) -> Vec<Command> {
    let Some(browser) = state.layers.browser_mut() else { return Vec::new() };
    if let Some(typed) = browser.path_input.take() {
        let home = browse::home_dir();
        let path = PathBuf::from(browse::expand_home(typed.trim(), home.as_deref()));
        let path = if path.is_relative() { browser.dir.join(path) } else { path };
        return vec![Command::Files(FileAsk::ResolvePath(path))];
    }
    let picked = match browser.selected_row() {
        None => return Vec::new(),
        Some(Row::Parent) => return browser.parent_dir().map(|p| go_to(state, p)).unwrap_or_default(),
        Some(Row::Entry(entry)) => (entry.path.clone(), entry.kind, entry.name.clone()),
    };
    match picked {
        (path, EntryKind::Dir, _) => go_to(state, path),
        (path, EntryKind::File, _) => pick(state, path),
        (_, EntryKind::BrokenLink, name) => {
            state
                .set_notice(format!("{name} is a broken link (its target is missing, or it loops)"), Severity::Warning);
            Vec::new()
        }
        (_, EntryKind::Other, name) => {
            state.set_notice(format!("{name} is not a regular file"), Severity::Warning);
            Vec::new()
        }
    }
}

/// Uses `path` for the browser's target and closes it.
fn pick(state: &mut State, path: PathBuf) -> Vec<Command> {
    if path.to_str().is_none() {
        state.set_notice("this file's name is not UTF-8 text: rename it to use it", Severity::Warning);
        return Vec::new();
    }
    let Some(browser) = state.layers.close_browser() else { return Vec::new() };
    state.status.notice = None;
    state.compose.browser_dirs.insert(browser.target.kind(), browser.dir.clone());
    // A mask's and markup's pixels are read too (where they are transparent).
    let masks = matches!(browser.target, Target::Mask | Target::Markup);
    match browser.target {
        Target::Image(i) if i < state.compose.form.images.len() => {
            // Another first input is no longer the result being edited.
            if i == 0 && state.compose.form.images[0] != path {
                state.compose.form.parent = None;
            }
            state.compose.form.images[i] = path.clone()
        }
        Target::Image(_) => state.compose.form.images.push(path.clone()),
        Target::Mask => state.compose.form.mask = Some(path.clone()),
        Target::Markup => state.compose.form.markup = Some(path.clone()),
    }
    // A fresh read: the file may have changed since the listing.
    state.compose.input_facts.remove(&path);
    state.revalidate();
    vec![Command::Files(FileAsk::InspectFiles { paths: vec![path], masks })]
}

/// A key typed into the filter: characters (while a filter is typed, or when no binding takes
/// them) and Backspace while it has text. `None` when the key is not the filter's.
pub fn type_filter(state: &mut State, event: &KeyEvent, bound: bool) -> Option<Vec<Command>> {
    let browser = state.layers.browser_mut()?;
    let filtering = !browser.filter.is_empty();
    let typed = super::line_edit::is_typed_char(event) && (filtering || !bound);
    let erased = event.code == KeyCode::Backspace && filtering;
    if !typed && !erased {
        return None;
    }
    super::line_edit::edit(&mut browser.filter, event, super::LINE_PASTE_MAX);
    // Land on the first match.
    browser.selected = 0;
    Some(want_facts(state))
}

pub fn on_event(state: &mut State, event: AppEvent) -> Vec<Command> {
    match event {
        AppEvent::DirListed { generation, listing } => {
            let received = state.layers.browser_mut().is_some_and(|b| b.receive(generation, listing));
            if received { want_facts(state) } else { Vec::new() }
        }
        AppEvent::FilesInspected(files) => {
            for (path, file) in files {
                if let Some(browser) = state.layers.browser_mut() {
                    browser.pending.retain(|p| *p != path);
                    browser.facts.insert(path.clone(), file.clone());
                }
                // The mask needs its pixels checked: the browser's header-only read of the same
                // file (listing its folder) must not replace that check.
                let form = &state.compose.form;
                let needed = if form.mask.as_ref() == Some(&path) || form.markup.as_ref() == Some(&path) {
                    Some(Depth::Pixels)
                } else {
                    form.images.contains(&path).then_some(Depth::Header)
                };
                if needed.is_some_and(|depth| file.depth >= depth) {
                    state.compose.input_facts.insert(path, file);
                }
            }
            state.revalidate();
            Vec::new()
        }
        AppEvent::Completed { typed, completed } => {
            if let Some(input) = state.layers.browser_mut().and_then(|b| b.path_input.as_mut())
                && *input == typed
            {
                *input = completed;
            }
            Vec::new()
        }
        AppEvent::PathResolved { path, kind } => match kind {
            Some(EntryKind::Dir) => go_to(state, path),
            Some(_) => pick(state, path),
            None => {
                state.set_notice(format!("{} does not exist", path.display()), Severity::Warning);
                Vec::new()
            }
        },
        _ => Vec::new(),
    }
}
