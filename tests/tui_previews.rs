//! The previews' one owner: `update()` decides what is prepared, once, and again after an
//! answer was dropped; no event of a burst is missed because none is intercepted elsewhere.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use imgtui::preview::prepare::prepare_image;
use imgtui::preview::{CellSize, Graphics, PreviewKey};
use imgtui::store::{ImageRecord, JobStatus};
use imgtui::tui::event::{AppEvent, Command, Msg};
use imgtui::tui::state::{Focus, State};
use imgtui::tui::update::update;

use common::tui::{record, state, summary};

fn key_of(path: &str) -> PreviewKey {
    PreviewKey::fitted(path, 20, 10, Graphics::Kitty)
}

fn wanted(s: &mut State, key: &PreviewKey) -> Vec<Command> {
    update(s, Msg::PreviewWanted { key: key.clone(), cell: CellSize::default() })
}

fn ready(key: &PreviewKey) -> Msg {
    let prepared = prepare_image(key, &image::RgbaImage::new(8, 8), CellSize::default()).unwrap();
    Msg::App(AppEvent::PreviewReady(Arc::new(prepared)))
}

/// The state with jobs 1 and 2 in the history, job `selected` selected and its details loaded
/// (one image, `/out/job-N.png`).
fn with_job_selected(s: &mut State, selected: i64) {
    let rows = [2, 1].map(|id| summary(id, JobStatus::Done));
    let generation = s.jobs.history.first_page().1;
    update(s, Msg::App(AppEvent::HistoryPage { rows: rows.to_vec(), append: false, generation }));
    s.layers.focus = Focus::History;
    let moves = if selected == 2 { KeyCode::Char('k') } else { KeyCode::Char('j') };
    update(s, Msg::Key(KeyEvent::new(moves, KeyModifiers::NONE)));
    assert_eq!(s.selected_job_id(), Some(selected));
    let image = ImageRecord {
        index: 0,
        path: PathBuf::from(format!("/out/job-{selected}.png")),
        format: Some(imgtui::api::ImageFormat::Png),
        width: Some(8),
        height: Some(8),
        bytes: 100,
        sha256: String::new(),
    };
    let record = record(selected, imgtui::api::GenerateRequest::new("gpt-image-1", "a fox"), vec![image]);
    update(s, Msg::App(AppEvent::Details { record: Box::new(record), missing_files: vec![] }));
}

#[test]
fn a_preview_is_asked_for_once_until_its_answer_comes() {
    let mut s = state();
    with_job_selected(&mut s, 2);
    let key = key_of("/out/job-2.png");
    assert_eq!(
        wanted(&mut s, &key),
        [Command::PreparePreview { key: key.clone(), cell: CellSize::default(), thumb: None }]
    );
    assert!(wanted(&mut s, &key).is_empty(), "asked once while it is prepared");
    update(&mut s, ready(&key));
    assert!(s.previews.ready_for(&key).is_some(), "kept: it is the selected image");
    assert!(wanted(&mut s, &key).is_empty(), "at hand: not asked again");
}

#[test]
fn a_preview_that_arrives_after_its_image_was_left_is_asked_again_when_it_is_back() {
    let mut s = state();
    with_job_selected(&mut s, 2);
    let first = key_of("/out/job-2.png");
    assert!(!wanted(&mut s, &first).is_empty());
    // The user moves to job 1 before job 2's preview is ready; then its answer (and job 1's)
    // arrive in one burst.
    with_job_selected(&mut s, 1);
    let second = key_of("/out/job-1.png");
    assert!(!wanted(&mut s, &second).is_empty());
    update(&mut s, ready(&first));
    update(&mut s, ready(&second));
    assert!(s.previews.ready_for(&first).is_none(), "dropped: no longer shown");
    assert!(s.previews.ready_for(&second).is_some());
    // Back on job 2: its preview is asked for again, not left "preparing" for good.
    with_job_selected(&mut s, 2);
    assert_eq!(
        wanted(&mut s, &first),
        [Command::PreparePreview { key: first.clone(), cell: CellSize::default(), thumb: None }]
    );
}

#[test]
fn a_failed_preview_shows_its_reason_and_is_not_retried_in_a_loop() {
    let mut s = state();
    with_job_selected(&mut s, 2);
    let key = key_of("/out/job-2.png");
    assert!(!wanted(&mut s, &key).is_empty());
    update(&mut s, Msg::App(AppEvent::PreviewFailed { key: key.clone(), message: "not an image".into() }));
    assert_eq!(s.previews.error_for(&key), Some("not an image"));
    assert!(!s.previews.is_asked(&key));
    assert!(wanted(&mut s, &key).is_empty(), "a failure is not asked for on every frame");
}
