//! Prompt recall and stars in `update()`: Ctrl-P/Ctrl-N walk earlier prompts as a shell does
//! (the draft comes back), Ctrl-R searches them fuzzily, `*` stars a job and `f` narrows the
//! history (and so the gallery) to starred jobs; the store keeps the stars.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use imgtui::store::{JobStatus, Store};
use imgtui::tui::event::{AppEvent, Command, Msg, StoreAsk};
use imgtui::tui::state::{Focus, Layer, State};
use imgtui::tui::update::update;

use common::tui::{state, summary};

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn type_text(state: &mut State, text: &str) {
    for c in text.chars() {
        update(state, key(KeyCode::Char(c)));
    }
}

fn with_prompts() -> State {
    let mut s = state();
    let earlier = ["a red fox", "a lighthouse at dusk", "a blue bird"].map(String::from).to_vec();
    let recent = imgtui::store::RecentPrompts { prompts: earlier, newest: Some(3) };
    update(&mut s, Msg::App(AppEvent::Prompts { after: None, recent }));
    s
}

#[test]
fn ctrl_p_and_ctrl_n_walk_earlier_prompts_and_give_the_draft_back() {
    let mut s = with_prompts();
    type_text(&mut s, "half");
    update(&mut s, ctrl('p'));
    assert_eq!(s.prompt_text(), "a red fox");
    update(&mut s, ctrl('p'));
    assert_eq!(s.prompt_text(), "a lighthouse at dusk");
    update(&mut s, ctrl('n'));
    update(&mut s, ctrl('n'));
    assert_eq!(s.prompt_text(), "half", "past the newest: the draft");
    // An edit makes the shown prompt the new draft.
    update(&mut s, ctrl('p'));
    type_text(&mut s, "!");
    assert_eq!(s.prompt_text(), "a red fox!");
    update(&mut s, ctrl('p'));
    update(&mut s, ctrl('n'));
    assert_eq!(s.prompt_text(), "a red fox!");
    // A sent prompt is the newest one at once.
    let commands = update(&mut s, ctrl('s'));
    assert!(matches!(commands.as_slice(), [Command::Submit { .. }]), "{commands:?}");
    s.replace_prompt(vec![String::new()]);
    update(&mut s, ctrl('p'));
    assert_eq!(s.prompt_text(), "a red fox!");
}

#[test]
fn ctrl_r_finds_an_earlier_prompt_fuzzily_and_enter_loads_it() {
    let mut s = with_prompts();
    type_text(&mut s, "draft");
    update(&mut s, ctrl('r'));
    assert!(matches!(s.layers.popup(), Some(Layer::Recall(_))));
    type_text(&mut s, "lhd");
    let Some(Layer::Recall(search)) = s.layers.popup() else { panic!() };
    assert_eq!(search.matches, vec![1], "a lighthouse at dusk");
    update(&mut s, key(KeyCode::Enter));
    assert!(s.layers.popup().is_none());
    assert_eq!(s.prompt_text(), "a lighthouse at dusk");
    // Esc leaves the prompt as it was; q is text in the search, not quit.
    update(&mut s, ctrl('r'));
    type_text(&mut s, "q");
    update(&mut s, key(KeyCode::Esc));
    assert!(!s.quit && s.layers.popup().is_none());
    assert_eq!(s.prompt_text(), "a lighthouse at dusk");
    // Up and down choose among the matches; the newest is first.
    update(&mut s, ctrl('r'));
    type_text(&mut s, "a");
    update(&mut s, key(KeyCode::Down));
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.prompt_text(), "a lighthouse at dusk");
}

#[test]
fn star_marks_the_job_and_f_shows_starred_jobs_only() {
    let mut s = state();
    let rows = (1..=3).rev().map(|i| summary(i, JobStatus::Done)).collect();
    let Command::Store(StoreAsk::LoadHistory { generation, .. }) =
        imgtui::tui::update::reload_history(&mut s).remove(0)
    else {
        panic!()
    };
    update(&mut s, Msg::App(AppEvent::HistoryPage { rows, append: false, generation }));
    s.layers.focus = Focus::History;
    let commands = update(&mut s, key(KeyCode::Char('*')));
    assert_eq!(commands, [Command::Store(StoreAsk::Star { id: 3, starred: true })]);
    assert!(s.jobs.history.rows[0].starred);
    let commands = update(&mut s, key(KeyCode::Char('f')));
    let Some(Command::Store(StoreAsk::LoadHistory { query, .. })) = commands.first() else { panic!("{commands:?}") };
    assert!(query.starred, "the history asks for starred jobs only");
    let commands = update(&mut s, key(KeyCode::Char('f')));
    let Some(Command::Store(StoreAsk::LoadHistory { query, .. })) = commands.first() else { panic!("{commands:?}") };
    assert!(!query.starred);
}

#[test]
fn the_store_keeps_stars_and_pages_starred_jobs() {
    let mut store = Store::open_in_memory().unwrap();
    for i in 0..5 {
        let request = imgtui::store::ImageRequest::Generate(imgtui::api::GenerateRequest::new("m", format!("p {i}")));
        store.insert_job(&request, "demo", "u", None, &[], i).unwrap();
    }
    store.set_starred(2, true).unwrap();
    store.set_starred(4, true).unwrap();
    store.set_starred(4, false).unwrap();
    let query = imgtui::store::JobQuery { starred: true, limit: 10, ..Default::default() };
    let starred: Vec<i64> = store.page(&query).unwrap().iter().map(|j| j.id).collect();
    assert_eq!(starred, vec![2]);
    assert!(store.job(2).unwrap().unwrap().starred);
    let recent = store.recent_prompts(None, 10).unwrap();
    assert_eq!(recent.prompts.first().map(String::as_str), Some("p 4"), "newest first: {recent:?}");
    assert_eq!(recent.newest, Some(5));
    let request = imgtui::store::ImageRequest::Generate(imgtui::api::GenerateRequest::new("m", "p 2"));
    store.insert_job(&request, "demo", "u", None, &[], 9).unwrap();
    let newer = store.recent_prompts(recent.newest, 10).unwrap();
    assert_eq!(
        newer,
        imgtui::store::RecentPrompts { prompts: vec!["p 2".into()], newest: Some(6) },
        "only the jobs after"
    );
    let bounded = store.recent_prompts(None, 3).unwrap();
    assert_eq!(bounded.prompts, ["p 2", "p 4", "p 3"], "each once, newest first, at most 3");
}
