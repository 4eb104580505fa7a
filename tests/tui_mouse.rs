//! The mouse lands on what the frame drew: a click focuses the pane and selects the row or tile
//! under it, a double click is Enter there, the wheel moves the list under the pointer (zooms in
//! the viewer); with `mouse = false` only the painter takes it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use imgtui::store::JobStatus;
use imgtui::tui::event::{AppEvent, Msg};
use imgtui::tui::state::{Focus, State};
use imgtui::tui::update::update;

use common::tui::{state, summary};

const SIZE: (u16, u16) = (120, 40);

fn state_with_jobs(count: i64) -> State {
    let mut s = state();
    update(&mut s, Msg::Resize(SIZE.0, SIZE.1));
    let rows = (1..=count).rev().map(|id| summary(id, JobStatus::Done)).collect();
    let generation = s.jobs.history.first_page().1;
    update(&mut s, Msg::App(AppEvent::HistoryPage { rows, append: false, generation }));
    frame(&mut s);
    s
}

/// Draws as the app does and hands the frame's hits back; the screen's lines.
fn frame(s: &mut State) -> Vec<String> {
    common::tui::reported_frame(s, SIZE.0, SIZE.1)
}

/// Where `text` is on the screen (column, row).
fn find(lines: &[String], text: &str) -> (u16, u16) {
    for (row, line) in lines.iter().enumerate() {
        if let Some(byte) = line.find(text) {
            return (line[..byte].chars().count() as u16, row as u16);
        }
    }
    panic!("{text:?} is not on screen:\n{}", lines.join("\n"));
}

fn mouse(s: &mut State, kind: MouseEventKind, (column, row): (u16, u16), at: Instant) {
    update(s, Msg::Mouse(MouseEvent { kind, column, row, modifiers: KeyModifiers::NONE }, at));
}

fn click(s: &mut State, spot: (u16, u16), at: Instant) {
    mouse(s, MouseEventKind::Down(MouseButton::Left), spot, at);
    mouse(s, MouseEventKind::Up(MouseButton::Left), spot, at);
}

fn selected_id(s: &State) -> i64 {
    s.jobs.history.selected_row().unwrap().id
}

#[test]
fn a_click_on_a_history_row_focuses_the_list_and_selects_it_and_a_second_views_it() {
    let mut s = state_with_jobs(5);
    assert_eq!(s.layers.focus, Focus::Prompt);
    let lines = frame(&mut s);
    let third = find(&lines, "prompt 3");
    let t0 = Instant::now();
    click(&mut s, third, t0);
    assert_eq!(s.layers.focus, Focus::History);
    assert_eq!(selected_id(&s), 3);
    assert!(s.layers.viewer().is_none(), "one click selects only");
    frame(&mut s);
    click(&mut s, third, t0 + Duration::from_millis(150));
    assert!(s.layers.viewer().is_some(), "a double click is Enter: the viewer");
    // The wheel in the viewer zooms, as + and - do.
    let dir = tempfile::tempdir().unwrap();
    let path = common::write_gradient_png(dir.path(), "a.png", (512, 512));
    let image = imgtui::store::ImageRecord {
        index: 0,
        path,
        format: Some(imgtui::api::ImageFormat::Png),
        width: Some(512),
        height: Some(512),
        bytes: 1000,
        sha256: String::new(),
    };
    let job = common::tui::record(3, imgtui::api::GenerateRequest::new("gpt-image-1", "prompt 3"), vec![image]);
    update(&mut s, Msg::App(AppEvent::Details { record: Box::new(job), missing_files: vec![] }));
    mouse(&mut s, MouseEventKind::ScrollUp, third, t0);
    assert!(!s.layers.viewer().unwrap().zoom.is_fit(), "zoomed in");
    mouse(&mut s, MouseEventKind::ScrollDown, third, t0);
    assert!(s.layers.viewer().unwrap().zoom.is_fit(), "and out again");
}

#[test]
fn two_slow_clicks_are_two_clicks_and_a_click_elsewhere_is_not_a_double() {
    let mut s = state_with_jobs(5);
    let lines = frame(&mut s);
    let (second, fourth) = (find(&lines, "prompt 2"), find(&lines, "prompt 4"));
    let t0 = Instant::now();
    click(&mut s, second, t0);
    click(&mut s, second, t0 + Duration::from_secs(1));
    assert!(s.layers.viewer().is_none(), "a second after: another single click");
    click(&mut s, fourth, t0 + Duration::from_millis(1100));
    assert_eq!(selected_id(&s), 4);
    assert!(s.layers.viewer().is_none(), "quick, but on another row");
}

#[test]
fn the_wheel_moves_the_list_under_the_pointer_without_taking_the_focus() {
    let mut s = state_with_jobs(8);
    let lines = frame(&mut s);
    let list = find(&lines, "prompt 6");
    assert_eq!(selected_id(&s), 8);
    for _ in 0..3 {
        mouse(&mut s, MouseEventKind::ScrollDown, list, Instant::now());
    }
    assert_eq!(selected_id(&s), 5);
    assert_eq!(s.layers.focus, Focus::Prompt, "the typing stays where it was");
    mouse(&mut s, MouseEventKind::ScrollUp, list, Instant::now());
    assert_eq!(selected_id(&s), 6);
}

#[test]
fn a_click_on_a_settings_row_selects_it_and_a_click_on_the_prompt_gives_it_the_focus() {
    let mut s = state_with_jobs(2);
    let lines = frame(&mut s);
    let quality = find(&lines, "Quality");
    click(&mut s, quality, Instant::now());
    assert_eq!(s.layers.focus, Focus::Settings);
    let lines = frame(&mut s);
    assert!(lines.iter().any(|l| l.contains("Quality") && l.contains('‹')), "{}", lines.join("\n"));
    assert_eq!(s.compose.form.selected_field(Some(s.spec())).label(), "Quality");
    let prompt = find(&lines, "Prompt");
    click(&mut s, (prompt.0 + 2, prompt.1 + 2), Instant::now() + Duration::from_secs(1));
    assert_eq!(s.layers.focus, Focus::Prompt);
    update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE)));
    assert_eq!(s.compose.prompt.lines().join(""), "x", "typing goes to the prompt");
}

#[test]
fn in_the_gallery_a_click_selects_a_tile_and_a_double_click_views_it() {
    let mut s = state_with_jobs(6);
    s.layers.focus = Focus::History;
    update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Char('V'), KeyModifiers::NONE)));
    assert!(s.layers.gallery().is_some());
    let lines = frame(&mut s);
    let tile = find(&lines, "prompt 4");
    let t0 = Instant::now();
    click(&mut s, tile, t0);
    assert_eq!(selected_id(&s), 4);
    frame(&mut s);
    click(&mut s, tile, t0 + Duration::from_millis(100));
    assert!(s.layers.viewer().is_some());
}

#[test]
fn with_the_mouse_off_in_the_config_a_click_does_nothing() {
    let mut s = state_with_jobs(5);
    s.env.mouse = false;
    let lines = frame(&mut s);
    click(&mut s, find(&lines, "prompt 2"), Instant::now());
    assert_eq!(s.layers.focus, Focus::Prompt);
    assert_eq!(selected_id(&s), 5);
}

#[test]
fn a_click_under_an_open_question_changes_nothing_behind_it() {
    let mut s = state_with_jobs(5);
    let lines = frame(&mut s);
    let row = find(&lines, "prompt 2");
    // Help is open over the panes: the list behind it is not clicked through.
    update(&mut s, Msg::Key(KeyEvent::new(KeyCode::F(1), KeyModifiers::NONE)));
    frame(&mut s);
    click(&mut s, row, Instant::now());
    assert_eq!(selected_id(&s), 5);
    assert!(s.layers.help().is_some());
}

#[test]
fn on_a_narrow_terminal_a_click_on_a_tab_goes_to_its_page() {
    let mut s = state_with_jobs(3);
    update(&mut s, Msg::Resize(80, 24));
    let draw = |s: &mut State| common::tui::reported_frame(s, 80, 24);
    let lines = draw(&mut s);
    click(&mut s, find(&lines, "Jobs"), Instant::now());
    assert_eq!(s.layers.focus, Focus::History);
    let lines = draw(&mut s);
    assert!(lines.iter().any(|l| l.contains("History (3)")), "{}", lines.join("\n"));
    click(&mut s, find(&lines, "Compose"), Instant::now() + Duration::from_secs(1));
    assert_eq!(s.layers.focus, Focus::Prompt);
}
