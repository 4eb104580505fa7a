//! What the app asks of the terminal, through `update()`: `y`'s copy menu (the last choice
//! remembered), the notice at the end of a long job (not for a short one, nor for the job
//! watched in the focused terminal), and the title.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use imgtui::api::GenerateRequest;
use imgtui::store::{ImageRecord, JobStatus};
use imgtui::tui::event::{AppEvent, Command, JobEnd, Msg, TerminalAsk};
use imgtui::tui::state::{Focus, State};
use imgtui::tui::update::update;

use common::tui::{record, state, summary};

fn key(s: &mut State, c: KeyCode) -> Vec<Command> {
    update(s, Msg::Key(KeyEvent::new(c, KeyModifiers::NONE)))
}

fn with_job() -> State {
    let mut s = state();
    let generation = s.jobs.history.first_page().1;
    update(
        &mut s,
        Msg::App(AppEvent::HistoryPage { rows: vec![summary(1, JobStatus::Done)], append: false, generation }),
    );
    let mut request = GenerateRequest::new("gpt-image-1", "a fox's \"best\" day");
    request.options.quality = Some("low".into());
    let image = ImageRecord {
        index: 0,
        path: "/data/images/fox 1.png".into(),
        format: Some(imgtui::api::ImageFormat::Png),
        width: Some(1024),
        height: Some(1024),
        bytes: 10,
        sha256: String::new(),
    };
    update(
        &mut s,
        Msg::App(AppEvent::Details { record: Box::new(record(1, request, vec![image])), missing_files: vec![] }),
    );
    s.layers.focus = Focus::History;
    s
}

fn copied(commands: &[Command]) -> Option<String> {
    commands.iter().find_map(|c| match c {
        Command::Terminal(TerminalAsk::Copy(text)) => Some(text.clone()),
        _ => None,
    })
}

#[test]
fn y_offers_what_to_copy_and_remembers_the_choice() {
    let mut s = with_job();
    key(&mut s, KeyCode::Char('y'));
    let screen = common::tui::reported_frame(&mut s, 100, 30).join("\n");
    assert!(screen.contains("Copy from job #1") && screen.contains("fox 1.png"), "{screen}");
    assert_eq!(copied(&key(&mut s, KeyCode::Enter)).as_deref(), Some("/data/images/fox 1.png"), "the path first");
    key(&mut s, KeyCode::Char('y'));
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Down);
    let command = copied(&key(&mut s, KeyCode::Enter)).unwrap();
    assert_eq!(command, "imgtui generate 'a fox'\\''s \"best\" day' -m gpt-image-1 --quality low");
    assert!(s.status.notice.as_ref().unwrap().0.starts_with("copied the command (OSC 52)"));
    // The menu opens on the last choice; Esc copies nothing.
    key(&mut s, KeyCode::Char('y'));
    assert!(copied(&key(&mut s, KeyCode::Enter)).unwrap().starts_with("imgtui generate"));
    key(&mut s, KeyCode::Char('y'));
    assert_eq!(copied(&key(&mut s, KeyCode::Esc)), None);
}

fn finish(s: &mut State, id: i64, ran: Duration) -> Vec<Command> {
    let start = s.env.now;
    update(s, Msg::App(AppEvent::JobQueued { id }));
    update(s, Msg::Now(start + ran));
    update(
        s,
        Msg::App(AppEvent::JobFinished { id, end: JobEnd::Answered { saved: 1, notes: vec![], not_recorded: None } }),
    )
}

fn notice(commands: &[Command]) -> Option<(String, bool)> {
    commands.iter().find_map(|c| match c {
        Command::Terminal(TerminalAsk::Notify { title, watched, .. }) => Some((title.clone(), *watched)),
        _ => None,
    })
}

#[test]
fn a_long_job_ends_with_a_notice_a_short_one_without_and_the_title_says_what_runs() {
    let mut s = with_job();
    assert_eq!(s.title(), "imgtui");
    update(&mut s, Msg::App(AppEvent::JobQueued { id: 7 }));
    assert_eq!(s.title(), "imgtui · 1 running");
    update(&mut s, Msg::App(AppEvent::JobFinished { id: 7, end: JobEnd::Cancelled { started: false } }));
    assert_eq!(notice(&finish(&mut s, 2, Duration::from_secs(3))), None, "3 s is not long");
    let (title, watched) = notice(&finish(&mut s, 3, Duration::from_secs(12))).unwrap();
    assert_eq!((title.as_str(), watched), ("imgtui: job 3 done", false));
    // The selected job, in the focused terminal: watched (said only if tmux shows another window).
    assert_eq!(notice(&finish(&mut s, 1, Duration::from_secs(12))), Some(("imgtui: job 1 done".into(), true)));
    update(&mut s, Msg::Focus(false));
    assert_eq!(notice(&finish(&mut s, 1, Duration::from_secs(12))).map(|n| n.1), Some(false));
    s.env.notify_after = None;
    assert_eq!(notice(&finish(&mut s, 4, Duration::from_secs(60))), None, "notify = false");
}
