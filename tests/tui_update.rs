//! `update()` driven like a user would: keys in, state and commands out. No terminal, no I/O.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use imgtui::store::{ImageRequest, JobStatus, JobSummary};
use imgtui::tui::event::{AppEvent, Command, FileAsk, JobEnd, Msg, StoreAsk};
use imgtui::tui::state::{Confirm, Field, Focus, Layer, State};
use imgtui::tui::update::update;

use common::tui::{alt, ctrl, key, record, state, summary, type_text};

/// Selects the settings row for `field`.
fn select_field(state: &mut State, field: Field) {
    state.layers.focus = Focus::Settings;
    let fields = state.compose.form.fields(Some(state.env.catalog.spec(&state.compose.form.model)));
    state.compose.form.selected = fields.iter().position(|f| *f == field).expect("row shown");
}

#[test]
fn submit_sends_the_form_as_a_request() {
    let mut s = state();
    type_text(&mut s, "a red fox");
    select_field(&mut s, Field::Param(imgtui::api::Param::N));
    update(&mut s, key(KeyCode::Right));
    select_field(&mut s, Field::Param(imgtui::api::Param::Quality));
    update(&mut s, key(KeyCode::Right));
    let commands = update(&mut s, ctrl('s'));
    let [Command::Submit { requests, parent: None, .. }] = commands.as_slice() else {
        panic!("{commands:?}");
    };
    let [ImageRequest::Generate(request)] = requests.as_slice() else {
        panic!("{commands:?}");
    };
    assert_eq!((request.prompt.as_str(), request.model.as_str()), ("a red fox", "gpt-image-1"));
    assert_eq!((request.options.n, request.options.quality.as_deref()), (Some(2), Some("low")));
    assert_eq!(s.prompt_text(), "a red fox", "the prompt stays for the next iteration");
    // Alt-Enter and F5 submit too.
    assert_eq!(update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT))).len(), 1);
    assert_eq!(update(&mut s, key(KeyCode::F(5))).len(), 1);
}

#[test]
fn submit_is_refused_until_problems_are_fixed() {
    let mut s = state();
    assert!(update(&mut s, ctrl('s')).is_empty(), "empty prompt");
    assert_eq!(s.errors_for(imgtui::api::Param::Prompt).count(), 1);
    assert!(s.status.notice.as_ref().unwrap().0.starts_with("not sent"));

    type_text(&mut s, "a fox");
    select_field(&mut s, Field::Param(imgtui::api::Param::OutputCompression));
    update(&mut s, key(KeyCode::Right)); // 100 with png: compression needs jpeg/webp
    let errors: Vec<_> = s.errors_for(imgtui::api::Param::OutputCompression).map(|e| e.message()).collect();
    assert_eq!(errors, ["100 needs output_format jpeg or webp (output_format is png)"]);
    assert!(update(&mut s, ctrl('s')).is_empty());
    let notice = &s.status.notice.as_ref().unwrap().0;
    assert!(notice.ends_with("(output_compression)"), "the rows are named, as they may be out of sight: {notice}");
    update(&mut s, key(KeyCode::Backspace)); // back to the default
    assert!(s.compose.errors.is_empty());
    assert_eq!(update(&mut s, ctrl('s')).len(), 1);
}

#[test]
fn switching_model_keeps_valid_choices_and_says_what_was_reset() {
    let mut s = state();
    select_field(&mut s, Field::Param(imgtui::api::Param::Quality));
    update(&mut s, key(KeyCode::Right)); // low
    select_field(&mut s, Field::Param(imgtui::api::Param::N));
    update(&mut s, key(KeyCode::Right)); // 2
    select_field(&mut s, Field::Model);
    while s.compose.form.model != "dall-e-2" {
        update(&mut s, key(KeyCode::Right));
    }
    assert_eq!(s.compose.form.options.n, Some(2));
    assert_eq!(s.compose.form.options.quality, None);
    assert!(s.status.notice.as_ref().unwrap().0.contains("quality low"), "{:?}", s.status.notice);
    let fields = s.compose.form.fields(Some(s.env.catalog.spec("dall-e-2")));
    assert!(
        !fields.contains(&Field::Param(imgtui::api::Param::OutputFormat))
            && fields.contains(&Field::Param(imgtui::api::Param::ResponseFormat)),
        "rows follow the model"
    );
}

#[test]
fn tab_and_shift_tab_cycle_focus() {
    let mut s = state();
    let mut seen = vec![s.layers.focus];
    for _ in 0..4 {
        update(&mut s, key(KeyCode::Tab));
        seen.push(s.layers.focus);
    }
    assert_eq!(seen, [Focus::Prompt, Focus::Settings, Focus::History, Focus::Preview, Focus::Prompt]);
    update(&mut s, key(KeyCode::BackTab));
    assert_eq!(s.layers.focus, Focus::Preview);
}

fn with_history(s: &mut State, rows: Vec<JobSummary>) {
    let Command::Store(StoreAsk::LoadHistory { generation, .. }) = imgtui::tui::update::reload_history(s).remove(0)
    else {
        panic!()
    };
    update(s, Msg::App(AppEvent::HistoryPage { rows, append: false, generation }));
}

#[test]
fn history_moves_with_j_k_and_asks_for_details() {
    let mut s = state();
    with_history(&mut s, (1..=5).rev().map(|i| summary(i, JobStatus::Done)).collect());
    s.layers.focus = Focus::History;
    assert_eq!(s.selected_job_id(), Some(5));
    assert_eq!(update(&mut s, key(KeyCode::Char('j'))), [Command::Store(StoreAsk::LoadDetails(4))]);
    assert_eq!(update(&mut s, key(KeyCode::Char('G'))), [Command::Store(StoreAsk::LoadDetails(1))]);
    assert_eq!(update(&mut s, key(KeyCode::Char('k'))), [Command::Store(StoreAsk::LoadDetails(2))]);
    assert!(update(&mut s, key(KeyCode::Char('q'))).is_empty());
    assert!(s.quit, "q quits outside the prompt when nothing runs");
}

#[test]
fn search_sends_queries_and_drops_stale_pages() {
    let mut s = state();
    with_history(&mut s, vec![summary(1, JobStatus::Done)]);
    s.layers.focus = Focus::History;
    update(&mut s, key(KeyCode::Char('/')));
    let commands = type_text(&mut s, "fox");
    let Some(Command::Store(StoreAsk::LoadHistory { query, generation, append: false })) =
        commands.iter().rev().find(|c| matches!(c, Command::Store(StoreAsk::LoadHistory { .. })))
    else {
        panic!("{commands:?}")
    };
    assert_eq!(query.search.as_deref(), Some("fox"));
    // An answer to the query for "fo" arrives late: dropped.
    update(&mut s, Msg::App(AppEvent::HistoryPage { rows: vec![], append: false, generation: generation - 1 }));
    assert_eq!(s.jobs.history.rows.len(), 1);
    update(
        &mut s,
        Msg::App(AppEvent::HistoryPage {
            rows: vec![summary(9, JobStatus::Done)],
            append: false,
            generation: *generation,
        }),
    );
    assert_eq!(s.selected_job_id(), Some(9));
    let commands = update(&mut s, key(KeyCode::Esc));
    assert!(
        matches!(commands.as_slice(), [Command::Store(StoreAsk::LoadHistory { query, .. }), Command::Store(StoreAsk::LoadSpent)] if query.search.is_none())
    );
    assert!(s.layers.is_empty() && s.jobs.history.search.is_empty());
}

#[test]
fn quitting_with_running_jobs_asks_first() {
    let mut s = state();
    update(&mut s, Msg::App(AppEvent::JobQueued { id: 7 }));
    update(&mut s, ctrl('c'));
    assert_eq!(s.layers.popup(), Some(&Layer::Confirm(Confirm::Quit { running: 1, unsaved: 0, painted: false })));
    assert!(!s.quit);
    update(&mut s, key(KeyCode::Char('n')));
    assert_eq!((s.layers.popup(), s.quit), (None, false));
    update(&mut s, ctrl('c'));
    common::tui::read_the_question(&mut s);
    update(&mut s, key(KeyCode::Char('y')));
    assert!(s.quit);
}

#[test]
fn cancel_and_delete_ask_and_then_command() {
    let mut s = state();
    with_history(&mut s, vec![summary(2, JobStatus::Running), summary(1, JobStatus::Done)]);
    update(&mut s, Msg::App(AppEvent::JobQueued { id: 2 }));
    update(&mut s, Msg::App(AppEvent::JobStarted { id: 2 }));
    s.layers.focus = Focus::History;
    update(&mut s, key(KeyCode::Char('d')));
    assert!(
        s.layers.popup().is_none() && s.status.notice.as_ref().unwrap().0.contains("cancel it (c) before deleting")
    );
    update(&mut s, key(KeyCode::Char('c')));
    assert_eq!(s.layers.popup(), Some(&Layer::Confirm(Confirm::CancelJob(2))));
    common::tui::read_the_question(&mut s);
    assert_eq!(update(&mut s, key(KeyCode::Enter)), [Command::CancelJob(2)]);
    update(&mut s, key(KeyCode::Char('j')));
    update(&mut s, key(KeyCode::Char('d')));
    // The deleted row goes at once and the selection moves to the job left in its place.
    common::tui::read_the_question(&mut s);
    assert_eq!(
        update(&mut s, key(KeyCode::Char('y'))),
        [Command::Store(StoreAsk::DeleteJob(1)), Command::Store(StoreAsk::LoadDetails(2))]
    );
    // A re-run asks first (a stray letter must not spend money), then goes.
    assert_eq!(update(&mut s, key(KeyCode::Char('r'))), []);
    assert!(matches!(s.layers.popup(), Some(Layer::Confirm(Confirm::Rerun { id: 2, .. }))));
    common::tui::read_the_question(&mut s);
    assert_eq!(update(&mut s, key(KeyCode::Char('y'))), [Command::Store(StoreAsk::Rerun(2))]);
}

#[test]
fn job_events_drive_the_live_list() {
    let mut s = state();
    update(&mut s, Msg::App(AppEvent::JobQueued { id: 3 }));
    update(&mut s, Msg::App(AppEvent::JobStarted { id: 3 }));
    update(
        &mut s,
        Msg::App(AppEvent::JobProgress {
            id: 3,
            progress: imgtui::api::Progress::RetryScheduled {
                retry: 1,
                wait: std::time::Duration::from_millis(500),
                reason: "HTTP 503".into(),
                status: Some(503),
            },
        }),
    );
    assert_eq!(s.jobs.live[&3].retries, 1);
    assert_eq!(s.jobs.live[&3].phase.to_string(), "retry 1 in 0.5s");
    let commands = update(
        &mut s,
        Msg::App(AppEvent::JobFinished {
            id: 3,
            end: JobEnd::Failed(imgtui::api::ApiError::Input("HTTP 400: bad".into())),
        }),
    );
    assert!(s.jobs.live.is_empty());
    assert_eq!(s.status.notice.as_ref().unwrap().0, "job 3 failed: HTTP 400: bad");
    assert!(
        matches!(commands.as_slice(), [Command::Store(StoreAsk::LoadRows(ids)), Command::Store(StoreAsk::LoadSpent), Command::Store(StoreAsk::LoadOutputHistory)] if ids == &[3]),
        "{commands:?}"
    );
}

#[test]
fn loading_a_job_puts_its_parameters_back_into_the_form() {
    let mut s = state();
    with_history(&mut s, vec![summary(4, JobStatus::Done)]);
    s.layers.focus = Focus::History;
    let mut request = imgtui::api::GenerateRequest::new("dall-e-3", "a lighthouse\nat dusk");
    request.options.style = Some("natural".into());
    request.options.quality = Some("hd".into());
    let record = record(4, request, vec![]);
    assert_eq!(update(&mut s, key(KeyCode::Char('e'))), [Command::Store(StoreAsk::LoadDetails(4))]);
    update(&mut s, Msg::App(AppEvent::Details { record: Box::new(record), missing_files: vec![] }));
    assert_eq!(s.prompt_text(), "a lighthouse\nat dusk");
    assert_eq!(s.compose.form.model, "dall-e-3");
    assert_eq!(
        (s.compose.form.options.style.as_deref(), s.compose.form.options.quality.as_deref()),
        (Some("natural"), Some("hd"))
    );
    assert_eq!(s.layers.focus, Focus::Prompt);
}

#[test]
fn edit_this_result_makes_the_shown_image_the_input_with_a_parent_link() {
    let mut s = state();
    with_history(&mut s, vec![summary(6, JobStatus::Done)]);
    s.layers.focus = Focus::History;
    let image = |index: usize| imgtui::store::ImageRecord {
        index,
        path: format!("/data/fox-{index}.png").into(),
        format: Some(imgtui::api::ImageFormat::Png),
        width: Some(1024),
        height: Some(1024),
        bytes: 1,
        sha256: "x".into(),
    };
    let record = record(6, imgtui::api::GenerateRequest::new("dall-e-3", "a fox"), vec![image(0), image(1)]);
    update(&mut s, Msg::App(AppEvent::Details { record: Box::new(record), missing_files: vec![] }));
    update(&mut s, key(KeyCode::Right)); // the second image
    let commands = update(&mut s, key(KeyCode::Char('E')));
    assert!(
        matches!(commands.as_slice(), [Command::Files(FileAsk::InspectFiles { paths, .. })] if paths[0].ends_with("fox-1.png"))
    );
    assert_eq!(s.compose.form.mode, imgtui::tui::state::JobMode::Edit);
    assert_eq!(s.compose.form.model, "gpt-image-1", "dall-e-3 cannot edit");
    assert_eq!(s.compose.form.images, [std::path::PathBuf::from("/data/fox-1.png")]);
    type_text(&mut s, "add a scarf");
    let commands = update(&mut s, ctrl('s'));
    let [Command::Submit { requests, parent, .. }] = commands.as_slice() else { panic!("{commands:?}") };
    assert_eq!(*parent, Some(6));
    assert!(matches!(requests.as_slice(), [ImageRequest::Edit(e)] if e.prompt == "add a scarf"));
    // Another job loaded into the form is what it was: an edit of nothing here, not of job 6.
    let other = common::tui::record(4, imgtui::api::GenerateRequest::new("gpt-image-1", "a lighthouse"), vec![]);
    with_history(&mut s, vec![summary(6, JobStatus::Done), summary(4, JobStatus::Done)]);
    s.layers.focus = Focus::History;
    update(&mut s, key(KeyCode::Down));
    update(&mut s, Msg::App(AppEvent::Details { record: Box::new(other), missing_files: vec![] }));
    update(&mut s, key(KeyCode::Char('e')));
    assert_eq!(s.prompt_text(), "a lighthouse");
    let commands = update(&mut s, ctrl('s'));
    let [Command::Submit { parent, .. }] = commands.as_slice() else { panic!("{commands:?}") };
    assert_eq!(*parent, None, "no stale parent from the edit before");
}

#[test]
fn waiting_images_are_announced_retried_and_guard_quit() {
    let mut s = state();
    update(
        &mut s,
        Msg::App(AppEvent::Unsaved { id: 3, count: 2, waiting: 2, reason: "cannot write /x: No space left".into() }),
    );
    assert_eq!(s.jobs.unsaved, 2);
    assert!(s.status.notice.as_ref().unwrap().0.contains("Alt-W writes them again"));
    assert_eq!(update(&mut s, alt('w')), [Command::RetrySave]);
    update(&mut s, ctrl('c'));
    assert_eq!(
        s.layers.popup(),
        Some(&Layer::Confirm(Confirm::Quit { running: 0, unsaved: 2, painted: false })),
        "quitting would lose them"
    );
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, Msg::App(AppEvent::SaveRetried { written: 2, waiting: 0, message: String::new() }));
    assert_eq!(s.jobs.unsaved, 0);
    update(&mut s, ctrl('c'));
    assert!(s.quit);
}

#[test]
fn partials_turn_streaming_on_and_a_running_job_previews_its_newest_partial() {
    let mut s = state();
    select_field(&mut s, Field::Partials);
    update(&mut s, key(KeyCode::Right));
    update(&mut s, key(KeyCode::Right));
    assert_eq!((s.compose.form.options.stream, s.compose.form.options.partial_images), (Some(true), Some(2)));
    // dall-e-3 does not stream: switching resets it and says so.
    s.compose.form.switch_model("dall-e-3".into(), &s.env.catalog.clone());
    assert_eq!((s.compose.form.options.stream, s.compose.form.options.partial_images), (None, None));

    with_history(&mut s, vec![summary(5, JobStatus::Running)]);
    update(&mut s, Msg::App(AppEvent::JobQueued { id: 5 }));
    update(
        &mut s,
        Msg::App(AppEvent::Details {
            record: Box::new(record(5, imgtui::api::GenerateRequest::new("gpt-image-1", "a fox"), vec![])),
            missing_files: vec![],
        }),
    );
    assert_eq!(s.preview_path(), None, "nothing to show before the first partial");
    let path = std::path::PathBuf::from("/out/partials/job-5-partial-2.png");
    update(&mut s, Msg::App(AppEvent::PartialImage { id: 5, index: 1, path: path.clone() }));
    assert_eq!(s.jobs.live[&5].phase.to_string(), "partial 2");
    assert_eq!(s.preview_path(), Some(path));
}

#[test]
fn enter_closes_the_search_box_and_keeps_the_filter_so_the_results_can_be_used() {
    let mut s = state();
    with_history(&mut s, vec![summary(12, JobStatus::Done), summary(11, JobStatus::Done)]);
    s.layers.focus = Focus::History;
    update(&mut s, key(KeyCode::Char('/')));
    type_text(&mut s, "job 12");
    update(&mut s, key(KeyCode::Enter));
    assert!(s.layers.is_empty(), "the box is closed");
    assert_eq!(s.jobs.history.search, "job 12", "the filter stays");
    let before = s.selected_job_id();
    update(&mut s, key(KeyCode::Char('j')));
    assert_eq!(s.jobs.history.search, "job 12", "j is no longer typed into the box");
    assert_ne!(s.selected_job_id(), before, "j moves in the results");
}

#[test]
fn loading_or_rerunning_an_edit_checks_its_inputs_and_warns_when_they_changed() {
    let mut s = state();
    let request = imgtui::api::EditRequest::new("gpt-image-2", "a hat", vec!["/imgs/in.png".into()]);
    let mut job = record(5, imgtui::api::GenerateRequest::new("gpt-image-2", "x"), vec![]);
    job.request = ImageRequest::Edit(request);
    job.inputs = vec![imgtui::store::InputRecord {
        role: "image".into(),
        path: "/imgs/in.png".into(),
        sha256: Some("aaaa".into()),
    }];
    // r: the files are checked first; changed ones stop the re-run, as headless does.
    let commands = update(&mut s, Msg::App(AppEvent::Rerun(Box::new(job.clone()))));
    assert!(matches!(commands.as_slice(), [Command::Files(FileAsk::CheckInputs { id: 5, .. })]), "{commands:?}");
    let changed = vec!["image /imgs/in.png changed since".to_string()];
    let commands = update(&mut s, Msg::App(AppEvent::InputsChecked { id: 5, changed: changed.clone() }));
    assert!(commands.is_empty(), "not sent: {commands:?}");
    assert!(s.status.notice.as_ref().unwrap().0.starts_with("job 5 not re-run: image /imgs/in.png changed"));
    // The same files: it goes.
    update(&mut s, Msg::App(AppEvent::Rerun(Box::new(job.clone()))));
    let commands = update(&mut s, Msg::App(AppEvent::InputsChecked { id: 5, changed: vec![] }));
    assert!(matches!(commands.as_slice(), [Command::Submit { .. }]), "{commands:?}");
    // e (a load) only warns.
    update(&mut s, Msg::App(AppEvent::InputsChecked { id: 5, changed }));
    assert!(s.status.notice.as_ref().unwrap().0.contains("job 5's inputs are not the files it sent"));
}

#[test]
fn queued_jobs_are_counted_apart_and_cancelled_without_the_billing_question() {
    let mut s = state();
    for id in 1..=4 {
        update(&mut s, Msg::App(AppEvent::JobQueued { id }));
    }
    update(&mut s, Msg::App(AppEvent::JobStarted { id: 1 }));
    assert_eq!(s.jobs.running_and_queued(), (1, 3));
    with_history(&mut s, vec![summary(4, JobStatus::Queued)]);
    s.layers.focus = Focus::History;
    let commands = update(&mut s, key(KeyCode::Char('c')));
    assert_eq!(commands, [Command::CancelJob(4)], "no confirmation for a job never sent");
    assert!(s.layers.popup().is_none());
}

#[test]
fn deleting_a_job_keeps_the_selection_in_its_place() {
    let mut s = state();
    let rows = |ids: &[i64]| ids.iter().map(|id| summary(*id, JobStatus::Done)).collect::<Vec<_>>();
    with_history(&mut s, rows(&[5, 4, 3, 2, 1]));
    s.layers.focus = Focus::History;
    update(&mut s, key(KeyCode::Char('j')));
    update(&mut s, key(KeyCode::Char('j')));
    assert_eq!(s.selected_job_id(), Some(3));
    update(&mut s, key(KeyCode::Char('d')));
    common::tui::read_the_question(&mut s);
    assert_eq!(
        update(&mut s, key(KeyCode::Char('y'))),
        [Command::Store(StoreAsk::DeleteJob(3)), Command::Store(StoreAsk::LoadDetails(2))]
    );
    let commands = update(&mut s, Msg::App(AppEvent::Deleted { id: 3, problems: vec![] }));
    let Some(Command::Store(StoreAsk::LoadHistory { generation, .. })) = commands.first() else {
        panic!("{commands:?}")
    };
    update(
        &mut s,
        Msg::App(AppEvent::HistoryPage { rows: rows(&[5, 4, 2, 1]), append: false, generation: *generation }),
    );
    assert_eq!(s.selected_job_id(), Some(2), "the next older job, not the newest");
}

#[test]
fn the_demo_line_goes_after_the_first_submit_and_a_stale_refusal_clears_once_fixed() {
    let mut s = state();
    s.status.demo_line = Some("Demo mode: no API key found".into());
    let commands = update(&mut s, ctrl('s'));
    assert!(commands.is_empty());
    assert!(s.status.notice.as_ref().unwrap().0.starts_with("not sent"));
    type_text(&mut s, "a fox");
    assert!(s.status.notice.is_none(), "the refusal is stale once the prompt is there");
    assert!(s.status.demo_line.is_some());
    let commands = update(&mut s, ctrl('s'));
    assert!(matches!(commands.as_slice(), [Command::Submit { .. }]));
    assert!(s.status.demo_line.is_none(), "read, and its row given back");
}

#[test]
fn loading_a_job_can_be_undone_in_one_step() {
    let mut s = state();
    type_text(&mut s, "my own draft");
    s.compose.form.options.n = Some(3);
    with_history(&mut s, vec![summary(8, JobStatus::Done)]);
    let job = record(8, imgtui::api::GenerateRequest::new("gpt-image-2", "the old prompt"), vec![]);
    update(&mut s, Msg::App(AppEvent::Details { record: Box::new(job), missing_files: vec![] }));
    s.layers.focus = Focus::History;
    update(&mut s, key(KeyCode::Char('e')));
    assert_eq!(s.prompt_text(), "the old prompt");
    assert_eq!(s.compose.form.options.n, None);
    assert!(s.status.notice.as_ref().unwrap().0.contains("Ctrl-/ brings your draft back"));
    assert_eq!(s.compose.prompt.placeholder_text(), "Describe the image… (Ctrl-S submits)", "kept after a load");
    s.layers.focus = Focus::Prompt;
    update(&mut s, ctrl('/'));
    assert_eq!(s.prompt_text(), "my own draft", "the draft is back");
    assert_eq!(s.compose.form.options.n, Some(3), "with its settings");
    // Typed after a load: the typing goes first (at the end of the text), then the load.
    s.layers.focus = Focus::History;
    update(&mut s, key(KeyCode::Char('e')));
    s.layers.focus = Focus::Prompt;
    type_text(&mut s, " xyz");
    assert_eq!(s.prompt_text(), "the old prompt xyz", "typing goes on at the end");
    update(&mut s, ctrl('/'));
    update(&mut s, ctrl('/'));
    assert_eq!(s.prompt_text(), "the old prompt", "the word, then the space before it");
    update(&mut s, ctrl('/'));
    assert_eq!(s.prompt_text(), "my own draft", "then the draft, never a half of it");
    assert_eq!(s.compose.form.options.n, Some(3));
}

#[test]
fn a_delete_typed_ahead_meets_the_next_job_not_the_deleted_one() {
    let mut s = state();
    with_history(&mut s, (1..=5).rev().map(|i| summary(i, JobStatus::Done)).collect());
    s.layers.focus = Focus::History;
    update(&mut s, key(KeyCode::Char('j')));
    update(&mut s, key(KeyCode::Char('d')));
    common::tui::read_the_question(&mut s);
    let commands = update(&mut s, key(KeyCode::Char('y')));
    assert_eq!(commands.first(), Some(&Command::Store(StoreAsk::DeleteJob(4))));
    // The next `d` arrives before the history reloads.
    update(&mut s, key(KeyCode::Char('d')));
    assert_eq!(s.layers.popup(), Some(&Layer::Confirm(Confirm::DeleteJob(3))));
}

#[test]
fn backspace_on_the_model_row_goes_back_to_the_model_imgtui_started_with() {
    let mut s = state();
    select_field(&mut s, Field::Model);
    update(&mut s, key(KeyCode::Right));
    assert_ne!(s.compose.form.model, "gpt-image-1", "→ changed the model");
    update(&mut s, key(KeyCode::Backspace));
    let (default, _) = s.env.catalog.default_model(None);
    assert_eq!(s.compose.form.model, default, "Backspace: the catalog's default again");
}

#[test]
fn a_job_deleted_by_another_imgtui_reloads_the_history_with_a_word_why() {
    let mut s = common::tui::state();
    let commands = update(&mut s, Msg::App(AppEvent::JobGone(49)));
    assert!(commands.iter().any(|c| matches!(c, Command::Store(StoreAsk::LoadHistory { .. }))), "{commands:?}");
    assert!(s.status.notice.as_ref().unwrap().0.contains("job 49 is no longer in the history"));
}

#[test]
fn a_job_sent_while_the_history_is_searched_is_shown_and_selected() {
    let mut s = state();
    with_history(&mut s, vec![summary(3, JobStatus::Done), summary(2, JobStatus::Done)]);
    s.jobs.history.search = "prompt 2".into();
    s.jobs.history.selected = 1;
    update(&mut s, Msg::App(AppEvent::Submitted(vec![4])));
    assert!(s.jobs.history.search.is_empty(), "the search is cleared to show it");
    assert!(s.status.notice.as_ref().unwrap().0.contains("job 4 sent"), "{:?}", s.status.notice);
    let generation = s.jobs.history.generation;
    let rows = vec![summary(4, JobStatus::Queued), summary(3, JobStatus::Done), summary(2, JobStatus::Done)];
    let commands = update(&mut s, Msg::App(AppEvent::HistoryPage { rows, append: false, generation }));
    assert_eq!(s.jobs.history.selected_row().map(|r| r.id), Some(4), "the new job is selected");
    assert!(commands.iter().any(|c| matches!(c, Command::Store(StoreAsk::LoadDetails(4)))), "and shown: {commands:?}");
}

#[test]
fn quitting_right_after_a_submit_asks_about_the_job_on_its_way() {
    let mut s = state();
    type_text(&mut s, "a fox");
    let commands = update(&mut s, ctrl('s'));
    assert!(matches!(commands.as_slice(), [Command::Submit { .. }]), "{commands:?}");
    // Its job is not in the history yet: quitting asks all the same.
    update(&mut s, ctrl('c'));
    assert!(
        matches!(s.layers.popup(), Some(Layer::Confirm(Confirm::Quit { running: 1, .. }))),
        "{:?}",
        s.layers.popup()
    );
    assert!(!s.quit);
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, Msg::App(AppEvent::Submitted(vec![9])));
    update(&mut s, Msg::App(AppEvent::JobQueued { id: 9 }));
    assert_eq!(s.jobs.sending, 0);
    update(
        &mut s,
        Msg::App(AppEvent::JobFinished {
            id: 9,
            end: JobEnd::Answered { saved: 1, notes: Vec::new(), not_recorded: None },
        }),
    );
    update(&mut s, ctrl('c'));
    assert!(s.quit, "nothing on its way: quits at once");
}

#[test]
fn no_queued_job_starts_while_the_quit_question_is_open() {
    let mut s = state();
    for id in 1..=3 {
        update(&mut s, Msg::App(AppEvent::JobQueued { id }));
    }
    let commands = update(&mut s, ctrl('c'));
    assert!(commands.contains(&Command::HoldQueue(true)), "{commands:?}");
    let commands = update(&mut s, key(KeyCode::Esc));
    assert!(commands.contains(&Command::HoldQueue(false)), "not quitting: the queue goes on: {commands:?}");
    update(&mut s, ctrl('c'));
    common::tui::read_the_question(&mut s);
    let commands = update(&mut s, key(KeyCode::Char('y')));
    assert!(s.quit);
    assert!(!commands.contains(&Command::HoldQueue(false)), "quitting keeps them held until cancelled: {commands:?}");
}

#[test]
fn a_prompt_over_the_model_limit_is_an_error_after_switching_model() {
    let mut s = state();
    update(&mut s, Msg::Paste("x".repeat(1001)));
    assert!(s.compose.errors.is_empty(), "gpt-image-1 takes 32000");
    select_field(&mut s, Field::Model);
    while s.compose.form.model != "dall-e-2" {
        update(&mut s, key(KeyCode::Right));
    }
    let errors: Vec<_> = s.errors_for(imgtui::api::Param::Prompt).map(|e| e.message()).collect();
    assert_eq!(errors, ["1001 characters is over the 1000-character limit of dall-e-2"]);
}

/// Another search starts at its newest match: the selection does not stay at the old row's
/// place with the newest matches hidden above it.
#[test]
fn a_new_search_starts_at_its_newest_match() {
    let mut s = state();
    with_history(&mut s, (1..=40).rev().map(|id| summary(id, JobStatus::Done)).collect());
    s.jobs.history.selected = 30;
    s.jobs.history.search = "fox".into();
    let Command::Store(StoreAsk::LoadHistory { generation, .. }) =
        imgtui::tui::update::reload_history(&mut s).remove(0)
    else {
        panic!("a page is asked for")
    };
    let rows = (1..=40).rev().filter(|id| id % 2 == 0).map(|id| summary(id, JobStatus::Done)).collect();
    update(&mut s, Msg::App(AppEvent::HistoryPage { rows, append: false, generation }));
    assert_eq!((s.jobs.history.selected, s.selected_job_id()), (0, Some(40)));
}
