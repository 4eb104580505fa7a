//! The help driven like a user would: opened from every screen, scrolled, filtered, and ended
//! at its last page.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use crossterm::event::KeyCode;
use imgtui::tui::event::Msg;
use imgtui::tui::state::{Focus, Layer};
use imgtui::tui::update::update;

use common::tui::{key, state, type_text};

#[test]
fn help_toggles_from_everywhere_with_f1() {
    let mut s = state();
    update(&mut s, key(KeyCode::F(1)));
    assert!(matches!(s.layers.popup(), Some(Layer::Help(_))));
    type_text(&mut s, "abc");
    assert_eq!(s.prompt_text(), "", "keys do not reach the prompt under the help");
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.layers.popup(), None);
}

#[test]
fn the_help_scrolls_and_filters() {
    let mut s = state();
    s.layers.focus = Focus::History;
    update(&mut s, key(KeyCode::Char('?')));
    assert!(matches!(s.layers.popup(), Some(Layer::Help(_))));
    update(&mut s, Msg::Resize(80, 24));
    common::tui::reported_frame(&mut s, 80, 24);
    update(&mut s, key(KeyCode::Down));
    update(&mut s, key(KeyCode::PageDown));
    assert_eq!(s.layers.help().unwrap().scroll, 11, "↓ then PgDn");
    update(&mut s, key(KeyCode::Char('g')));
    assert_eq!(s.layers.help().unwrap().scroll, 0);
    update(&mut s, key(KeyCode::Char('/')));
    for c in "delete".chars() {
        update(&mut s, key(KeyCode::Char(c)));
    }
    let lines = imgtui::tui::ui::overlay::help_text(&s, s.layers.help().unwrap());
    assert!(!lines.is_empty());
    assert!(
        lines.iter().all(|l| match l {
            imgtui::tui::ui::overlay::HelpLine::Binding { does, .. } => does.contains("delete"),
            _ => true,
        }),
        "{lines:?}"
    );
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.layers.help().map(|h| h.filter.clone()), Some(None), "Esc clears the filter first");
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.layers.popup(), None);
}

#[test]
fn the_help_ends_at_its_last_page_so_the_first_up_after_g_moves() {
    let mut s = state();
    update(&mut s, Msg::Resize(80, 24));
    s.layers.focus = Focus::History;
    update(&mut s, key(KeyCode::Char('?')));
    common::tui::reported_frame(&mut s, 80, 24);
    update(&mut s, key(KeyCode::Char('G')));
    let end = s.layers.help().unwrap().scroll;
    assert!(end > 0 && end < 500, "{end}");
    update(&mut s, key(KeyCode::Up));
    assert_eq!(s.layers.help().unwrap().scroll, end - 1);
}
