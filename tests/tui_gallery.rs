//! The gallery through the store, `update()` and the renderer: `V` opens the history's jobs as
//! thumbnails a page at a time, the arrows and PgDn move the history's selection, Enter views,
//! Esc goes back.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use imgtui::api::GenerateRequest;
use imgtui::config::theme::Theme;
use imgtui::preview::{CellSize, Graphics};
use imgtui::store::{DoneOutcome, ImageRecord, ImageRequest, JobStatus, Store};
use imgtui::tui::event::{AppEvent, Command, JobEnd, Msg, StoreAsk};
use imgtui::tui::state::{Focus, State};
use imgtui::tui::ui::{self, RenderInfo};
use imgtui::tui::update::update;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use common::tui::{state, summary};

fn key(s: &mut State, code: KeyCode) -> Vec<Command> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

/// A history of `count` done jobs, each with one image file, in a real store.
fn store_with_jobs(dir: &Path, count: i64) -> Store {
    let mut store = Store::open(dir).unwrap();
    for i in 1..=count {
        let request = ImageRequest::Generate(GenerateRequest::new("gpt-image-1", format!("fox {i}")));
        let id = store.insert_job(&request, "demo", "u", None, &[], i).unwrap();
        let path = common::write_gradient_png(dir, &format!("job-{id}.png"), (96, 64));
        let image = ImageRecord {
            index: 0,
            path,
            format: Some(imgtui::api::ImageFormat::Png),
            width: Some(96),
            height: Some(64),
            bytes: 1,
            sha256: format!("{id:064x}"),
        };
        let outcome = DoneOutcome { images: vec![image], ..Default::default() };
        store.finish_done(id, &outcome, i).unwrap();
    }
    store
}

/// Carries out the commands the gallery gives, as the runner would, against `store`.
fn run(s: &mut State, store: &Store, commands: Vec<Command>) {
    for command in commands {
        if let Command::Store(StoreAsk::LoadFirstImages(ids)) = command {
            let found = store.first_images(&ids).unwrap();
            update(s, Msg::App(AppEvent::FirstImages(found)));
        }
    }
}

fn frame(s: &mut State, width: u16, height: u16) -> (String, RenderInfo) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut info = RenderInfo::default();
    terminal.draw(|f| info = ui::render(s, &Theme::dark(), f)).unwrap();
    for wanted in info.pictures.clone() {
        let prepared = imgtui::preview::prepare::prepare(&wanted.key, CellSize::default()).unwrap();
        update(s, Msg::App(AppEvent::PreviewReady(Arc::new(prepared))));
    }
    terminal.draw(|f| info = ui::render(s, &Theme::dark(), f)).unwrap();
    let buffer = terminal.backend().buffer();
    let text = (0..height).map(|y| (0..width).map(|x| buffer[(x, y)].symbol()).collect::<String>() + "\n").collect();
    (text, info)
}

#[test]
fn the_store_gives_each_jobs_first_image_in_one_query() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_jobs(dir.path(), 3);
    let mut found = store.first_images(&[3, 1, 99]).unwrap();
    found.sort();
    let expected = [1, 3].map(|id| (id, dir.path().join(format!("job-{id}.png")), format!("{id:064x}")));
    assert_eq!(found, expected);
    assert!(store.first_images(&[]).unwrap().is_empty());
}

#[test]
fn v_shows_a_page_of_thumbnails_and_the_keys_move_through_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_jobs(dir.path(), 20);
    let mut s = state();
    s.env.graphics = Graphics::Blocks;
    s.env.screen = (120, 40);
    let generation = s.jobs.history.first_page().1;
    let rows = (1..=20).rev().map(|id| summary(id, JobStatus::Done)).collect();
    update(&mut s, Msg::App(AppEvent::HistoryPage { rows, append: false, generation }));
    s.layers.focus = Focus::History;
    let commands = key(&mut s, KeyCode::Char('V'));
    let asked: Vec<i64> = commands
        .iter()
        .find_map(|c| if let Command::Store(StoreAsk::LoadFirstImages(ids)) = c { Some(ids.clone()) } else { None })
        .unwrap();
    assert_eq!(asked, (9..=20).rev().collect::<Vec<_>>(), "the first page: 4x3 at 120x40, newest first");
    run(&mut s, &store, commands);
    let (screen, info) = frame(&mut s, 120, 40);
    assert_eq!(info.pictures.len(), 12, "twelve thumbnails:\n{screen}");
    // A tile is made from its thumbnail, found by the image's hash.
    let tile = info.pictures[0].key.clone();
    s.previews = Default::default();
    let commands = update(&mut s, Msg::PreviewWanted { key: tile, cell: CellSize::default() });
    assert!(
        matches!(&commands[..], [Command::PreparePreview { thumb: Some(sha), .. }] if *sha == format!("{:064x}", 20)),
        "{commands:?}"
    );
    assert!(screen.contains("#20") && screen.contains("#9") && screen.contains("page 1/2"), "{screen}");
    // ↓ moves a row (four jobs), PgDn a page (and asks for its images).
    key(&mut s, KeyCode::Down);
    assert_eq!(s.selected_job_id(), Some(16));
    let commands = key(&mut s, KeyCode::PageDown);
    assert_eq!(s.selected_job_id(), Some(4));
    assert!(commands.iter().any(|c| matches!(c, Command::Store(StoreAsk::LoadFirstImages(ids)) if ids.contains(&4))));
    run(&mut s, &store, commands);
    let (screen, info) = frame(&mut s, 120, 40);
    assert_eq!(info.pictures.len(), 8, "the last page: eight jobs");
    assert!(screen.contains("page 2/2"), "{screen}");
    // Enter views the job; Esc comes back to the gallery, Esc again to the panes.
    key(&mut s, KeyCode::Enter);
    assert!(s.layers.viewer().is_some());
    key(&mut s, KeyCode::Esc);
    assert!(s.layers.viewer().is_none() && s.layers.gallery().is_some());
    key(&mut s, KeyCode::Esc);
    assert!(s.layers.gallery().is_none());
    assert_eq!(s.layers.focus, Focus::History);
}

#[test]
fn a_tile_of_a_job_that_finishes_while_the_gallery_is_open_gets_its_image() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_jobs(dir.path(), 3);
    let mut s = state();
    s.env.graphics = Graphics::Blocks;
    s.env.screen = (120, 40);
    let generation = s.jobs.history.first_page().1;
    // Job 4 runs: the store has no image for it yet.
    let rows = [summary(4, JobStatus::Running)].into_iter().chain((1..=3).rev().map(|id| summary(id, JobStatus::Done)));
    update(&mut s, Msg::App(AppEvent::HistoryPage { rows: rows.collect(), append: false, generation }));
    s.layers.focus = Focus::History;
    let commands = key(&mut s, KeyCode::Char('V'));
    run(&mut s, &store, commands);
    assert_eq!(s.layers.gallery().unwrap().first_images.get(&4), Some(&None), "asked, nothing yet");
    let commands = update(
        &mut s,
        Msg::App(AppEvent::JobFinished {
            id: 4,
            end: JobEnd::Answered { saved: 1, notes: Vec::new(), not_recorded: None },
        }),
    );
    assert!(commands.contains(&Command::Store(StoreAsk::LoadFirstImages(vec![4]))), "asked again: {commands:?}");
}

#[test]
fn an_empty_gallery_says_why() {
    let mut s = state();
    s.env.graphics = Graphics::Blocks;
    s.env.screen = (80, 24);
    s.layers.focus = Focus::History;
    key(&mut s, KeyCode::Char('V'));
    assert!(frame(&mut s, 80, 24).0.contains("no jobs yet"));
    s.jobs.history.search = "zebra".into();
    assert!(frame(&mut s, 80, 24).0.contains("no job matches the search"));
}

#[test]
fn a_star_given_in_the_gallery_shows_on_its_tile() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_jobs(dir.path(), 3);
    let mut s = state();
    s.env.graphics = Graphics::Blocks;
    s.env.screen = (120, 40);
    let generation = s.jobs.history.first_page().1;
    let rows = (1..=3).rev().map(|id| summary(id, JobStatus::Done)).collect();
    update(&mut s, Msg::App(AppEvent::HistoryPage { rows, append: false, generation }));
    s.layers.focus = Focus::History;
    let commands = key(&mut s, KeyCode::Char('V'));
    run(&mut s, &store, commands);
    key(&mut s, KeyCode::Char('*'));
    let (screen, _) = frame(&mut s, 120, 40);
    assert!(screen.contains("★#3"), "{screen}");
    assert!(!screen.contains("★#2"), "{screen}");
}
