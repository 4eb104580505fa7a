//! Prompt variants in the app: `{a|b}` groups make one job each, the form says how many before
//! Ctrl-S, more than one is asked about, too many is refused with the count, and the runner
//! records the jobs of one submit as a group.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use imgtui::store::{ImageRequest, JobStatus, SharedStore, Store};
use imgtui::tui::event::{AppEvent, Command, Msg, StoreAsk};
use imgtui::tui::state::{Confirm, Layer};
use imgtui::tui::update::update;

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl_s() -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL))
}

#[test]
fn a_prompt_with_groups_asks_before_sending_one_job_per_variant() {
    let mut s = common::tui::state();
    s.replace_prompt(vec!["a {red|blue} fox in {snow|rain}".into()]);
    assert_eq!(s.variant_count(), Ok(4));
    assert!(update(&mut s, ctrl_s()).is_empty(), "asked first");
    let Some(Layer::Confirm(Confirm::SendGroup { summary, requests, .. })) = s.layers.popup() else {
        panic!("{:?}", s.layers.popup())
    };
    assert!(summary.starts_with("4 jobs ("), "{summary}");
    let prompts: Vec<&str> = requests.iter().map(ImageRequest::prompt).collect();
    assert_eq!(prompts, ["a red fox in snow", "a red fox in rain", "a blue fox in snow", "a blue fox in rain"]);
    // No: nothing goes, the prompt stays.
    assert!(update(&mut s, key(KeyCode::Char('n'))).is_empty());
    assert!(s.layers.popup().is_none());
    update(&mut s, ctrl_s());
    common::tui::read_the_question(&mut s);
    let commands = update(&mut s, key(KeyCode::Char('y')));
    let [Command::Submit { requests, .. }] = commands.as_slice() else { panic!("{commands:?}") };
    assert_eq!(requests.len(), 4);
    assert_eq!(s.prompt_text(), "a {red|blue} fox in {snow|rain}", "kept for the next iteration");
}

#[test]
fn escaped_braces_are_one_job_and_broken_or_too_many_are_refused_naming_the_prompt() {
    let mut s = common::tui::state();
    s.replace_prompt(vec![r"a \{literal\} brace".into()]);
    let commands = update(&mut s, ctrl_s());
    let [Command::Submit { requests, .. }] = commands.as_slice() else { panic!("{commands:?}") };
    assert_eq!(requests[0].prompt(), "a {literal} brace");

    s.replace_prompt(vec!["a {red|blue fox".into()]);
    assert!(update(&mut s, ctrl_s()).is_empty());
    let error = s.errors_for(imgtui::api::Param::Prompt).next().map(|e| e.message()).unwrap_or_default();
    assert!(error.contains("character 3 is never closed"), "{error}");

    s.replace_prompt(vec!["{a|b}{c|d}{e|f}{g|h}{i|j}{k|l}{m|n}".into()]);
    assert!(update(&mut s, ctrl_s()).is_empty());
    let error = s.errors_for(imgtui::api::Param::Prompt).next().map(|e| e.message()).unwrap_or_default();
    assert!(error.contains("makes 128 variants; at most 64"), "{error}");
    assert!(s.layers.popup().is_none(), "refused, not asked");
}

#[tokio::test]
async fn the_jobs_of_one_submit_are_recorded_as_a_group() {
    let server = common::demo().await;
    let data = tempfile::tempdir().unwrap();
    let store = SharedStore::new(Store::open(data.path()).unwrap());
    let dirs = imgtui::jobs::Folders::new(data.path().join("images"));
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let runner = imgtui::tui::runner::Runner::new(Arc::new(common::client(&server)), store.clone(), dirs, 2, tx);
    let requests: Vec<ImageRequest> = imgtui::variants::expand("a {red|blue|green} kite")
        .unwrap()
        .into_iter()
        .map(|p| ImageRequest::Generate(imgtui::api::GenerateRequest::new("dall-e-2", p)))
        .collect();
    runner.execute(Command::Submit { requests, parent: None, budget: None });
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let mut finished = 0;
    while finished < 3 {
        let event = tokio::time::timeout_at(deadline, rx.recv()).await.expect("three jobs end in time");
        if matches!(&event, Some(AppEvent::JobFinished { end, .. }) if end.status() == JobStatus::Done) {
            finished += 1;
        }
    }
    let rows = store.run(|s| s.page(&imgtui::store::JobQuery { limit: 10, ..Default::default() })).await.unwrap();
    let groups: Vec<_> = rows.iter().map(|r| r.group_id).collect();
    let first = rows.iter().map(|r| r.id).min();
    assert_eq!(groups, vec![first; 3], "one group, named by its first job: {rows:?}");
}

#[test]
fn vary_quality_makes_one_job_per_chosen_value_and_the_values_are_chosen_with_space() {
    use imgtui::tui::state::{Field, Focus};
    let mut s = common::tui::state();
    s.replace_prompt(vec!["a {red|blue} kite".into()]);
    s.layers.focus = Focus::Settings;
    let fields = s.compose.form.fields(Some(s.env.catalog.spec(&s.compose.form.model)));
    s.compose.form.selected = fields.iter().position(|f| *f == Field::Vary).unwrap();
    // Vary → model → quality.
    update(&mut s, key(KeyCode::Right));
    update(&mut s, key(KeyCode::Right));
    assert_eq!(s.compose.form.value(Field::Vary).as_deref(), Some("quality"));
    let every = s.compose.form.vary.chosen.clone();
    assert!(every.len() >= 3, "every quality of gpt-image-1: {every:?}");
    // Down to Values: → moves, Space takes the second quality out.
    update(&mut s, key(KeyCode::Down));
    assert_eq!(s.compose.form.selected_field(Some(s.spec())), Field::VaryValues);
    update(&mut s, key(KeyCode::Right));
    update(&mut s, key(KeyCode::Char(' ')));
    assert_eq!(s.compose.form.vary.chosen.len(), every.len() - 1);
    let requests = s.requests().unwrap();
    assert_eq!(requests.len(), 2 * (every.len() - 1), "2 prompts × the chosen qualities");
    let first: Vec<_> = requests.iter().map(|r| (r.prompt().to_string(), r.options().quality.clone())).collect();
    assert_eq!(first[0], ("a red kite".to_string(), Some(every[0].clone())));
    assert!(!first.iter().any(|(_, q)| q.as_deref() == Some(every[1].as_str())), "the one taken out: {first:?}");
    update(&mut s, ctrl_s());
    let Some(Layer::Confirm(Confirm::SendGroup { requests, .. })) = s.layers.popup() else {
        panic!("{:?}", s.layers.popup())
    };
    assert_eq!(requests.len(), 2 * (every.len() - 1));
}

#[test]
fn shift_a_in_the_viewer_shows_the_selected_jobs_whole_group() {
    use imgtui::tui::state::Focus;
    let mut s = common::tui::state();
    let mut rows: Vec<_> = (1..=3).rev().map(|i| common::tui::summary(i, JobStatus::Done)).collect();
    for row in &mut rows {
        row.group_id = Some(1);
    }
    let Command::Store(StoreAsk::LoadHistory { generation, .. }) =
        imgtui::tui::update::reload_history(&mut s).remove(0)
    else {
        panic!()
    };
    update(&mut s, Msg::App(AppEvent::HistoryPage { rows, append: false, generation }));
    s.layers.focus = Focus::History;
    update(&mut s, key(KeyCode::Char('v')));
    let commands = update(&mut s, key(KeyCode::Char('A')));
    assert_eq!(commands, [Command::Store(StoreAsk::LoadGroup(1))]);
    let member = |id: i64| imgtui::store::GroupMember {
        id,
        image: Some(format!("/img/{id}.png").into()),
        request: ImageRequest::Generate(imgtui::api::GenerateRequest::new("gpt-image-1", format!("kite {id}"))),
    };
    update(&mut s, Msg::App(AppEvent::Group { id: 1, members: (1..=3).map(member).collect() }));
    let group = s.layers.viewer().and_then(|v| v.group.as_ref()).expect("the group is shown");
    assert_eq!(group.len(), 3);
    assert_eq!(group[1].caption(), "#2 gpt-image-1  · kite 2");
    // ←/→ go from member to member, wrapping; the viewer stays on the group.
    assert_eq!(s.selected_job_id(), Some(3));
    update(&mut s, key(KeyCode::Right));
    assert_eq!(s.selected_job_id(), Some(1), "from the last member to the first");
    update(&mut s, key(KeyCode::Left));
    assert_eq!(s.selected_job_id(), Some(3));
    update(&mut s, key(KeyCode::Left));
    assert_eq!(s.selected_job_id(), Some(2));
    assert!(s.layers.viewer().unwrap().group.is_some());
    // A again: the one image.
    update(&mut s, key(KeyCode::Char('A')));
    assert!(s.layers.viewer().unwrap().group.is_none());
}

#[test]
fn vary_with_nothing_chosen_is_refused_by_name_not_sent_as_one_job() {
    use imgtui::tui::state::{Field, Focus};
    let mut s = common::tui::state();
    s.replace_prompt(vec!["a kite".into()]);
    s.layers.focus = Focus::Settings;
    let fields = s.compose.form.fields(Some(s.env.catalog.spec(&s.compose.form.model)));
    s.compose.form.selected = fields.iter().position(|f| *f == Field::Vary).unwrap();
    update(&mut s, key(KeyCode::Right));
    update(&mut s, key(KeyCode::Right));
    update(&mut s, key(KeyCode::Down));
    // Every chosen quality taken out with Space.
    let chosen = s.compose.form.vary.chosen.len();
    for _ in 0..chosen {
        update(&mut s, key(KeyCode::Char(' ')));
        update(&mut s, key(KeyCode::Right));
    }
    assert!(s.compose.form.vary.chosen.is_empty(), "{:?}", s.compose.form.vary.chosen);
    let commands = update(&mut s, ctrl_s());
    assert!(commands.is_empty() && s.layers.popup().is_none(), "nothing sent: {commands:?}");
    let vary = s.compose.errors.iter().find(|e| e.param == imgtui::api::Param::Vary).expect("the Vary row names it");
    assert!(vary.message().contains("no quality chosen"), "{vary:?}");
}
