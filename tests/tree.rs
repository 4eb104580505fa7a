//! The edit tree: the store finds a job's whole tree (branches, a deleted parent's orphans as
//! a tree of their own), `history tree` prints it as text and JSON, and in the app `t` shows
//! the history as a tree and `p` goes to the parent, fetching older pages until it is loaded.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use imgtui::api::GenerateRequest;
use imgtui::store::{ImageRequest, JobStatus, Store};
use imgtui::tui::event::{AppEvent, Command, Msg, StoreAsk};
use imgtui::tui::state::Focus;
use imgtui::tui::update::update;

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// 1 ← 2 ← 4, 1 ← 3 (a branch), 5 alone, 2 ← 6 (another branch of 2).
fn seeded(store: &mut Store) {
    for (i, parent) in [None, Some(1), Some(1), Some(2), None, Some(2)].into_iter().enumerate() {
        let request = ImageRequest::Generate(GenerateRequest::new("gpt-image-1", format!("step {}", i + 1)));
        store.insert_job(&request, "demo", "u", parent, &[], i as i64).unwrap();
    }
}

#[test]
fn a_jobs_tree_is_its_root_and_everything_below_and_a_deleted_parent_splits_it() {
    let mut store = Store::open_in_memory().unwrap();
    seeded(&mut store);
    let ids = |rows: Vec<imgtui::store::JobSummary>| rows.iter().map(|r| r.id).collect::<Vec<_>>();
    assert_eq!(ids(store.tree_of(4).unwrap()), vec![1, 2, 3, 4, 6], "from a leaf: the whole tree");
    assert_eq!(ids(store.tree_of(1).unwrap()), vec![1, 2, 3, 4, 6]);
    assert_eq!(ids(store.tree_of(5).unwrap()), vec![5]);
    assert!(store.tree_of(99).unwrap().is_empty());
    store.delete_job(2).unwrap();
    assert_eq!(ids(store.tree_of(4).unwrap()), vec![1, 3, 4, 6], "2 deleted: its edits hang from 1 now");
    assert_eq!(store.job(4).unwrap().unwrap().parent_id, Some(1));
    store.delete_job(1).unwrap();
    assert_eq!(ids(store.tree_of(4).unwrap()), vec![4], "the root deleted: each edit a root of its own");
}

#[test]
fn deleting_a_job_keeps_an_image_another_job_sent_as_its_input() {
    use imgtui::store::{DoneOutcome, ImageRecord, InputRecord};
    let mut store = Store::open_in_memory().unwrap();
    let request = ImageRequest::Generate(GenerateRequest::new("gpt-image-1", "a fox"));
    let parent = store.insert_job(&request, "demo", "u", None, &[], 0).unwrap();
    let image = |name: &str| ImageRecord {
        index: 0,
        path: format!("/images/{name}").into(),
        format: None,
        width: None,
        height: None,
        bytes: 1,
        sha256: String::new(),
    };
    let outcome = DoneOutcome { images: vec![image("fox.png")], ..DoneOutcome::default() };
    store.finish_done(parent, &outcome, 1).unwrap();
    let input = InputRecord { role: "image".into(), path: "/images/fox.png".into(), sha256: None };
    store.insert_job(&request, "demo", "u", Some(parent), &[input], 2).unwrap();
    assert!(store.delete_job(parent).unwrap().is_empty(), "the edit's input is not removed");
}

#[tokio::test]
async fn history_tree_prints_the_tree_as_text_and_json() {
    let data = tempfile::tempdir().unwrap();
    seeded(&mut Store::open(data.path()).unwrap());
    let run = |json: bool| {
        let mut cmd = common::imgtui_std();
        cmd.env("XDG_CONFIG_HOME", data.path().join("config")).arg("--data-dir").arg(data.path());
        cmd.args(["history", "tree", "4"]);
        if json {
            cmd.arg("--json");
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run(false);
    let firsts: Vec<&str> = text.lines().map(|l| l.split(" queued").next().unwrap()).collect();
    assert_eq!(firsts, ["#1", "├─ #2", "│  ├─ #4", "│  └─ #6", "└─ #3"], "{text}");
    assert!(text.lines().nth(2).unwrap().ends_with("step 4 ◀"), "the job asked for is marked: {text}");
    let tree: serde_json::Value = serde_json::from_str(&run(true)).unwrap();
    assert_eq!(tree["id"], 1);
    let edits = |v: &serde_json::Value| {
        v["edits"].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()).collect::<Vec<_>>()
    };
    assert_eq!(edits(&tree), vec![2, 3]);
    assert_eq!(edits(&tree["edits"][0]), vec![4, 6]);
    let unknown = common::imgtui_std()
        .env("XDG_CONFIG_HOME", data.path().join("config"))
        .arg("--data-dir")
        .arg(data.path())
        .args(["history", "tree", "77"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn t_shows_the_history_as_a_tree_and_p_goes_to_the_parent_fetching_older_pages() {
    let mut s = common::tui::state();
    let row = |id: i64, parent: Option<i64>| {
        let mut r = common::tui::summary(id, JobStatus::Done);
        r.parent_id = parent;
        r
    };
    // The newest page: 6, 4, 3 (their parents 2 and 1 are older, on the next page).
    let first = vec![row(6, Some(2)), row(4, Some(2)), row(3, Some(1))];
    let Command::Store(StoreAsk::LoadHistory { generation, .. }) =
        imgtui::tui::update::reload_history(&mut s).remove(0)
    else {
        panic!()
    };
    update(&mut s, Msg::App(AppEvent::HistoryPage { rows: first, append: false, generation }));
    // A short page reads as the end of the history: here more pages follow.
    s.jobs.history.exhausted = false;
    s.layers.focus = Focus::History;
    update(&mut s, key('t'));
    assert!(s.jobs.history.tree);
    // 4 is selected: p asks for the next page, 2 is on it.
    // Moving near the end may ask for the next page already; p then waits for it.
    let mut commands = update(&mut s, key('j'));
    assert_eq!(s.selected_job_id(), Some(4));
    commands.extend(update(&mut s, key('p')));
    let asked: Vec<_> = commands
        .iter()
        .filter_map(|c| match c {
            Command::Store(StoreAsk::LoadHistory { query, append: true, .. }) => Some(query.before),
            _ => None,
        })
        .collect();
    assert_eq!(asked, [Some((3000, 3))], "one page, older than the oldest loaded: {commands:?}");
    let second = vec![row(2, Some(1)), row(1, None)];
    let commands = update(&mut s, Msg::App(AppEvent::HistoryPage { rows: second, append: true, generation }));
    assert_eq!(s.selected_job_id(), Some(2), "found and selected");
    assert_eq!(commands, [Command::Store(StoreAsk::LoadDetails(2))]);
    // Now all in one tree: 1 over 2 (over 4 and 6) and 3.
    let order: Vec<i64> = s.jobs.history.rows.iter().map(|r| r.id).collect();
    assert_eq!(order, vec![1, 2, 4, 6, 3]);
    assert_eq!(s.jobs.history.tree_prefixes, ["", "├─ ", "│  ├─ ", "│  └─ ", "└─ "]);
    update(&mut s, key('p'));
    assert_eq!(s.selected_job_id(), Some(1), "a loaded parent: at once");
    // Back to the list: newest first, the selection kept.
    update(&mut s, key('t'));
    let order: Vec<i64> = s.jobs.history.rows.iter().map(|r| r.id).collect();
    assert_eq!(order, vec![6, 4, 3, 2, 1]);
    assert_eq!(s.selected_job_id(), Some(1));
}
