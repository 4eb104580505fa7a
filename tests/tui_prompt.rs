//! The prompt driven like a user would: typing, pasting, undo, and the model's limit on both.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use crossterm::event::KeyCode;
use imgtui::tui::event::Msg;
use imgtui::tui::update::update;

use common::tui::{alt, ctrl, key, state, type_text};

#[test]
fn typing_goes_to_the_prompt_even_q_and_question_mark() {
    let mut s = state();
    assert!(type_text(&mut s, "a fox? q").is_empty());
    assert_eq!(s.prompt_text(), "a fox? q");
    assert!(!s.quit && s.layers.popup().is_none());
}

#[test]
fn paste_keeps_newlines_in_the_prompt() {
    let mut s = state();
    update(&mut s, Msg::Paste("line one\r\nline two\rline three".into()));
    assert_eq!(s.prompt_text(), "line one\nline two\nline three");
}

#[test]
fn undo_in_the_prompt_goes_word_by_word_and_redo_comes_back() {
    let mut s = state();
    type_text(&mut s, "a red fox");
    update(&mut s, ctrl('/'));
    assert_eq!(s.prompt_text(), "a red ");
    // Ctrl-_ and Ctrl-7 are the same byte as Ctrl-/ on the wire.
    update(&mut s, ctrl('7'));
    assert_eq!(s.prompt_text(), "a ");
    update(&mut s, alt('/'));
    assert_eq!(s.prompt_text(), "a red ");
    update(&mut s, key(KeyCode::Backspace));
    update(&mut s, key(KeyCode::Backspace));
    update(&mut s, key(KeyCode::Backspace));
    assert_eq!(s.prompt_text(), "a r");
    update(&mut s, ctrl('_'));
    assert_eq!(s.prompt_text(), "a red ", "a run of deletions is one step");
    update(&mut s, Msg::Paste("big pasted text".into()));
    update(&mut s, ctrl('/'));
    assert_eq!(s.prompt_text(), "a red ", "a paste is one step");
    // Ctrl-U is readline's: the line before the cursor goes, one undo step.
    update(&mut s, ctrl('u'));
    assert_eq!(s.prompt_text(), "");
    update(&mut s, ctrl('/'));
    assert_eq!(s.prompt_text(), "a red ");
}

#[test]
fn a_paste_past_the_models_limit_is_cut_there_and_said_so() {
    let mut s = state();
    let limit = s.spec().prompt_max_chars;
    // 10 MB, with the control characters a terminal can let through.
    let huge: String = "a red fox\x1b[31m\r\n".repeat(10 * 1024 * 1024 / 16);
    update(&mut s, Msg::Paste(huge));
    let kept = s.prompt_text();
    assert_eq!(kept.chars().count(), limit, "cut at the limit");
    assert!(!kept.contains('\x1b') && !kept.contains('\r'), "no control characters but newlines");
    let (notice, _) = s.status.notice.clone().expect("said so");
    assert!(notice.contains(&format!("kept the first {limit}")) && notice.contains("takes at most"), "{notice}");
    // Full: the next paste is not taken, and says why.
    update(&mut s, Msg::Paste("more".into()));
    assert_eq!(s.prompt_text().chars().count(), limit);
    assert!(s.status.notice.as_ref().unwrap().0.contains("paste not taken"), "{:?}", s.status.notice);
    // The search takes a line of at most a thousand characters.
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Char('/')));
    update(&mut s, Msg::Paste("x".repeat(50_000)));
    assert!(s.jobs.history.search.chars().count() <= 1_000, "{}", s.jobs.history.search.len());
}

/// A terminal without bracketed paste sends a paste as keys: past the model's limit each is
/// refused at once (the prompt never grows past it), and says so.
#[test]
fn keys_typed_past_the_models_limit_are_refused() {
    let mut s = state();
    let limit = s.spec().prompt_max_chars;
    s.compose.prompt.insert_str("a".repeat(limit - 10));
    for _ in 0..60 {
        update(&mut s, key(KeyCode::Char('a')));
    }
    assert_eq!(s.prompt_text().chars().count(), limit);
    let (notice, _) = s.status.notice.clone().expect("said so");
    assert!(notice.contains("the prompt is full") && notice.contains(&limit.to_string()), "{notice}");
    update(&mut s, key(KeyCode::Backspace));
    update(&mut s, key(KeyCode::Char('b')));
    assert!(s.prompt_text().ends_with('b'), "room again after a Backspace");
}
