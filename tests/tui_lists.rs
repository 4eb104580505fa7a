//! The lists scroll as ratatui's do: the highlight moves inside the window and the window moves
//! only when the highlight would leave it; the selected row keeps its layout.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use imgtui::store::JobStatus;
use imgtui::tui::event::{AppEvent, JobEnd, Msg, StoreAsk};
use imgtui::tui::state::{Focus, State};
use imgtui::tui::update::update;

use common::tui::{state, summary};

fn state_with_jobs(count: i64) -> State {
    let mut s = state();
    let rows = (1..=count).rev().map(|id| summary(id, JobStatus::Done)).collect();
    let generation = s.jobs.history.first_page().1;
    update(&mut s, Msg::App(AppEvent::HistoryPage { rows, append: false, generation }));
    s.layers.focus = Focus::History;
    s
}

/// Renders as the app does: a frame, then what it drew back into `update`.
fn frame(s: &mut State) -> String {
    common::tui::reported_frame(s, 120, 40).into_iter().map(|line| line + "\n").collect()
}

fn key(s: &mut State, c: char) {
    update(s, Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
}

/// The job ids shown in the history pane, top to bottom.
fn shown_ids(screen: &str) -> Vec<i64> {
    screen
        .lines()
        .filter_map(|l| l.split_once(" #").and_then(|(_, rest)| rest.split_whitespace().next()?.parse().ok()))
        .collect()
}

#[test]
fn going_up_moves_the_highlight_inside_the_window_before_the_window_moves() {
    let mut s = state_with_jobs(60);
    let first = frame(&mut s);
    let rows = shown_ids(&first).len();
    assert!(rows > 3 && rows < 60, "a window of the list: {rows} rows");
    // Down past the window's end: the window follows, the highlight on its last row.
    for _ in 0..rows + 4 {
        key(&mut s, 'j');
    }
    let window = shown_ids(&frame(&mut s));
    assert_eq!(window.last(), Some(&s.selected_job_id().unwrap()));
    // Up three: the same window, the highlight three rows higher.
    for _ in 0..3 {
        key(&mut s, 'k');
    }
    assert_eq!(shown_ids(&frame(&mut s)), window, "the window stays while the highlight is inside it");
    // Up to the window's top and one more: now it moves, by one row.
    for _ in 0..rows - 3 {
        key(&mut s, 'k');
    }
    let moved = shown_ids(&frame(&mut s));
    assert_eq!(moved.first(), Some(&s.selected_job_id().unwrap()));
    assert_eq!(moved[1], window[0], "one row at a time");
}

#[test]
fn the_selected_row_wears_the_selection_colours_and_keeps_its_layout() {
    let mut s = state_with_jobs(5);
    key(&mut s, 'j');
    let screen = frame(&mut s);
    let line = |id: i64| screen.lines().find(|l| l.contains(&format!("#{id} "))).unwrap().to_string();
    let (selected, other) = (line(4), line(3));
    let column = |l: &str, needle: &str| l.find(needle).unwrap();
    assert_eq!(column(&selected, "#4"), column(&other, "#3"), "same indent as the other rows");
    assert_eq!(column(&selected, "prompt 4"), column(&other, "prompt 3"));
}

#[test]
fn page_down_and_up_move_by_the_rows_the_window_shows() {
    let mut s = state_with_jobs(60);
    let rows = shown_ids(&frame(&mut s)).len();
    update(&mut s, Msg::Key(KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE)));
    let window = shown_ids(&frame(&mut s));
    assert_eq!(s.selected_job_id(), Some(60 - rows as i64), "a page down: the row after the window");
    assert_eq!(window.last(), s.selected_job_id().as_ref(), "every row was seen on the way");
    update(&mut s, Msg::Key(KeyEvent::new(KeyCode::PageUp, KeyModifiers::NONE)));
    assert_eq!(s.selected_job_id(), Some(60), "and back");
}

#[test]
fn a_groups_rows_say_what_sets_each_apart_before_the_prompt_and_the_model_goes_last() {
    let mut s = state();
    let member = |id: i64, prompt: &str, quality: &str| {
        let mut row = summary(id, JobStatus::Done);
        row.prompt = prompt.into();
        row.group_id = Some(1);
        row.settings = [("quality".to_string(), quality.to_string()), ("size".to_string(), "1024x1024".to_string())]
            .into_iter()
            .collect();
        row
    };
    let rows = vec![
        member(2, "a blue fox in rain", "high"),
        member(1, "a red fox in snow", "low"),
        summary(0, JobStatus::Done),
    ];
    let generation = s.jobs.history.first_page().1;
    update(&mut s, Msg::App(AppEvent::HistoryPage { rows, append: false, generation }));
    s.layers.focus = Focus::History;
    let screen = frame(&mut s);
    let line = |id: &str| screen.lines().find(|l| l.contains(id)).unwrap().to_string();
    let two = line("#2 ");
    // 62 columns for the list beside the compose column: the difference first, cut before the
    // prompt they share.
    assert!(two.contains("g1 quality high · b… a blue fox"), "{two}");
    assert!(line("#1 ").contains("g1 quality low · re… a red fox"), "{screen}");
    // On 80 columns the list has its page: room for the model, after the prompt.
    let (narrow, _) = common::tui::drawn(&mut s, 80, 24);
    let plain = narrow.lines().find(|l| l.contains("#0 ")).unwrap();
    assert!(!plain.contains(" g1"), "a job of no group has no group mark: {plain}");
    let (prompt_at, model_at) = (plain.find("prompt 0").unwrap(), plain.find("gpt-image-1").unwrap());
    assert!(prompt_at < model_at, "the prompt before the model: {plain}");
}

fn rows_newest_first(count: i64) -> Vec<imgtui::store::JobSummary> {
    (1..=count).rev().map(|id| summary(id, JobStatus::Done)).collect()
}

#[test]
fn a_reload_keeps_the_loaded_window_so_a_selection_past_row_200_stays_on_its_job() {
    use imgtui::tui::event::{Command, StoreAsk};
    let mut s = state();
    let all = rows_newest_first(450);
    let generation = s.jobs.history.first_page().1;
    update(&mut s, Msg::App(AppEvent::HistoryPage { rows: all[..200].to_vec(), append: false, generation }));
    let (_, generation) = s.jobs.history.next_page().unwrap();
    update(&mut s, Msg::App(AppEvent::HistoryPage { rows: all[200..400].to_vec(), append: true, generation }));
    s.jobs.history.select(150);
    let row_300 = s.jobs.history.selected;
    assert!(row_300 > 200, "row {row_300}");
    // Another imgtui wrote: the list is read again, as many rows as were loaded.
    let commands = update(&mut s, Msg::App(AppEvent::HistoryChanged));
    let (query, generation) = commands
        .iter()
        .find_map(|c| match c {
            Command::Store(StoreAsk::LoadHistory { query, append: false, generation }) => {
                Some((query.clone(), *generation))
            }
            _ => None,
        })
        .expect("a reload");
    assert_eq!(query.limit, 401, "every row loaded, and one to tell whether more are left: {query:?}");
    let mut fresh = rows_newest_first(451);
    fresh.truncate(query.limit);
    update(&mut s, Msg::App(AppEvent::HistoryPage { rows: fresh, append: false, generation }));
    assert_eq!(s.jobs.history.selected_row().unwrap().id, 150, "the same job, not whatever is at row 199");
}

#[test]
fn sixty_four_jobs_of_a_group_patch_their_rows_instead_of_reading_pages() {
    use imgtui::tui::event::Command;
    let mut s = state_with_jobs(10);
    let (mut pages, mut rows) = (0, 0);
    let mut count = |commands: Vec<Command>| {
        for command in commands {
            match command {
                Command::Store(StoreAsk::LoadHistory { .. }) => pages += 1,
                Command::Store(StoreAsk::LoadRows(ids)) => rows += ids.len(),
                _ => {}
            }
        }
    };
    count(update(&mut s, Msg::App(AppEvent::Submitted((11..=74).collect()))));
    let queued = (11..=74).map(|id| imgtui::store::JobSummary { group_id: Some(11), ..summary(id, JobStatus::Queued) });
    count(update(&mut s, Msg::App(AppEvent::HistoryRows(queued.collect()))));
    for id in 11..=74 {
        count(update(&mut s, Msg::App(AppEvent::JobQueued { id })));
    }
    for id in 11..=74 {
        count(update(&mut s, Msg::App(AppEvent::JobStarted { id })));
        count(update(
            &mut s,
            Msg::App(AppEvent::JobFinished {
                id,
                end: JobEnd::Answered { saved: 1, notes: Vec::new(), not_recorded: None },
            }),
        ));
        let mut row = summary(id, JobStatus::Done);
        row.group_id = Some(11);
        count(update(&mut s, Msg::App(AppEvent::HistoryRows(vec![row]))));
    }
    assert_eq!(pages, 0, "no page read again");
    assert_eq!(rows, 64 * 3, "a row each time a job was queued, started and ended");
    assert_eq!(s.jobs.history.rows.len(), 74);
    assert_eq!(s.jobs.history.selected_row().unwrap().id, 11, "the first job sent stays selected");
    assert!(s.jobs.history.rows.iter().all(|r| r.status == JobStatus::Done));
}

#[test]
fn a_page_that_cannot_be_read_stops_the_list_waiting_and_says_why() {
    let mut s = state();
    let (_, generation) = s.jobs.history.first_page();
    assert!(s.jobs.history.loading);
    update(
        &mut s,
        Msg::App(AppEvent::HistoryPageFailed {
            generation,
            error: imgtui::store::StoreError::Busy { path: "history.sqlite3".into(), message: "locked".into() },
        }),
    );
    assert!(!s.jobs.history.loading, "the next reload is not held back");
    let notice = &s.status.notice.as_ref().unwrap().0;
    assert_eq!(notice, "cannot read the history now: another process holds the history; try again in a moment");
}

#[test]
fn another_imgtuis_prompts_are_read_when_recall_needs_them_and_a_walk_keeps_its_draft() {
    use imgtui::tui::event::Command;
    let mut s = state();
    let recent = imgtui::store::RecentPrompts { prompts: vec!["older one".into()], newest: Some(7) };
    update(&mut s, Msg::App(AppEvent::Prompts { after: None, recent }));
    let commands = update(&mut s, Msg::App(AppEvent::HistoryChanged));
    let incremental = Command::Store(StoreAsk::LoadPrompts { after: Some(7) });
    assert!(!commands.contains(&incremental), "not every 2 s while another imgtui writes");
    s.layers.focus = Focus::Prompt;
    for c in "my draft".chars() {
        key(&mut s, c);
    }
    let ctrl = |c| Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    let commands = update(&mut s, ctrl('p'));
    assert!(commands.contains(&incremental), "the newer jobs' prompts only, read at the press");
    assert_eq!(s.compose.prompt.lines().join(""), "my draft", "the press waits a moment for them");
    let recent = imgtui::store::RecentPrompts { prompts: vec!["newest".into(), "older one".into()], newest: Some(9) };
    update(&mut s, Msg::App(AppEvent::Prompts { after: Some(7), recent }));
    assert_eq!(s.compose.recall.prompts.iter().collect::<Vec<_>>(), ["newest", "older one"], "each once, newest first");
    assert_eq!(s.compose.recall.newest, Some(9));
    assert_eq!(s.compose.prompt.lines().join(""), "newest", "the first press shows the newest prompt");
    update(&mut s, ctrl('p'));
    assert_eq!(s.compose.prompt.lines().join(""), "older one");
    // Another imgtui writes again during the walk: the walk stays where it is.
    update(&mut s, Msg::App(AppEvent::HistoryChanged));
    update(&mut s, ctrl('n'));
    let recent = imgtui::store::RecentPrompts { prompts: vec!["newer still".into()], newest: Some(10) };
    update(&mut s, Msg::App(AppEvent::Prompts { after: Some(9), recent }));
    assert_eq!(s.compose.prompt.lines().join(""), "newest", "one newer than where the walk was, not a repeat");
    update(&mut s, ctrl('n'));
    update(&mut s, ctrl('n'));
    assert_eq!(s.compose.prompt.lines().join(""), "my draft", "the draft the walk started from");
}

#[test]
fn g_goes_to_the_oldest_job_in_one_press_reading_what_is_not_loaded() {
    use imgtui::tui::event::Command;
    let mut s = state();
    let all = rows_newest_first(650);
    let generation = s.jobs.history.first_page().1;
    update(&mut s, Msg::App(AppEvent::HistoryPage { rows: all[..200].to_vec(), append: false, generation }));
    s.layers.focus = Focus::History;
    let commands = update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Char('G'), KeyModifiers::NONE)));
    let (query, generation) = commands
        .iter()
        .find_map(|c| match c {
            Command::Store(StoreAsk::LoadHistory { query, append: true, generation }) => {
                Some((query.clone(), *generation))
            }
            _ => None,
        })
        .expect("the rest asked for");
    assert!(query.limit >= 450, "{query:?}");
    update(&mut s, Msg::App(AppEvent::HistoryPage { rows: all[200..].to_vec(), append: true, generation }));
    assert_eq!(s.jobs.history.selected_row().unwrap().id, 1, "the oldest job, in one press");
    assert!(s.jobs.history.exhausted);
}

/// Another process finished the selected job: its row comes back done, and the Job pane's
/// details (read while it ran) are read again, not left saying "running".
#[test]
fn the_job_pane_follows_its_row_when_another_process_finishes_the_job() {
    use imgtui::tui::event::Command;
    let mut s = state();
    s.layers.focus = Focus::History;
    update(
        &mut s,
        Msg::App(AppEvent::HistoryPage { rows: vec![summary(5, JobStatus::Running)], append: false, generation: 0 }),
    );
    let mut running = common::tui::record(5, imgtui::api::GenerateRequest::new("gpt-image-1", "prompt 5"), Vec::new());
    running.status = JobStatus::Running;
    update(&mut s, Msg::App(AppEvent::Details { record: Box::new(running), missing_files: Vec::new() }));
    assert_eq!(s.jobs.job.details.as_ref().map(|d| d.status), Some(JobStatus::Running));
    let commands = update(&mut s, Msg::App(AppEvent::HistoryRows(vec![summary(5, JobStatus::Done)])));
    assert!(commands.contains(&Command::Store(StoreAsk::LoadDetails(5))), "{commands:?}");
    let same = update(&mut s, Msg::App(AppEvent::HistoryRows(vec![summary(5, JobStatus::Running)])));
    assert!(!same.contains(&Command::Store(StoreAsk::LoadDetails(5))), "nothing read while the row agrees");
}

/// A star the history could not write (locked by another process) is taken off the row again,
/// and a delete that failed brings its row back by reading the list again.
#[test]
fn a_star_or_a_delete_the_history_refused_is_undone_on_screen() {
    use imgtui::store::StoreError;
    use imgtui::tui::event::{Command, StoreWork};
    let mut s = state();
    s.layers.focus = Focus::History;
    update(
        &mut s,
        Msg::App(AppEvent::HistoryPage { rows: vec![summary(7, JobStatus::Done)], append: false, generation: 0 }),
    );
    key(&mut s, '*');
    assert!(s.jobs.history.rows[0].starred, "shown at once");
    let busy = || StoreError::Busy { path: "history.sqlite3".into(), message: "database is locked".into() };
    let commands = update(&mut s, Msg::App(AppEvent::StoreFailed { work: StoreWork::Star(7), error: busy() }));
    assert!(commands.contains(&Command::Store(StoreAsk::LoadRows(vec![7]))), "its row is read again: {commands:?}");
    update(&mut s, Msg::App(AppEvent::HistoryRows(vec![summary(7, JobStatus::Done)])));
    assert!(!s.jobs.history.rows[0].starred, "the star goes back to what the history holds");
    assert!(s.status.notice.as_ref().unwrap().0.starts_with("cannot change job 7's star now"));
    let commands = update(&mut s, Msg::App(AppEvent::StoreFailed { work: StoreWork::Delete(7), error: busy() }));
    assert!(commands.iter().any(|c| matches!(c, Command::Store(StoreAsk::LoadHistory { .. }))), "{commands:?}");
}

/// A submit the history could not take (another process held it past the wait) says that
/// nothing was sent and how to try again.
#[test]
fn a_submit_refused_by_a_held_history_says_nothing_was_sent_and_what_to_do() {
    use imgtui::store::StoreError;
    use imgtui::tui::event::SubmitFailure;
    let mut s = state();
    update(&mut s, Msg::App(AppEvent::SubmitWaiting));
    assert!(s.status.notice.as_ref().unwrap().0.starts_with("waiting for the history"));
    let busy = StoreError::Busy { path: "history.sqlite3".into(), message: "database is locked".into() };
    update(&mut s, Msg::App(AppEvent::SubmitFailed(SubmitFailure::Store(busy))));
    let notice = &s.status.notice.as_ref().unwrap().0;
    assert!(notice.contains("nothing was sent") && notice.contains("Ctrl-S to try again"), "{notice}");
}

/// With a million jobs, `G` does not read the list without end: it holds the newest 50,000,
/// and says how to reach older ones.
#[test]
fn g_stops_at_the_most_the_list_holds_and_says_how_to_reach_older_jobs() {
    let mut s = state();
    let most = imgtui::tui::state::history::MOST_LOADED as i64;
    let rows = (1..=most).rev().map(|id| summary(id + 1000, JobStatus::Done)).collect();
    let generation = s.jobs.history.first_page().1;
    update(&mut s, Msg::App(AppEvent::HistoryPage { rows, append: false, generation }));
    s.jobs.history.exhausted = false;
    s.layers.focus = Focus::History;
    let commands = update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT)));
    assert!(!commands.iter().any(|c| matches!(c, imgtui::tui::event::Command::Store(StoreAsk::LoadHistory { .. }))));
    assert_eq!(s.jobs.history.selected, s.jobs.history.rows.len() - 1, "the last row held");
    assert!(s.status.notice.as_ref().unwrap().0.contains("newest 50000 jobs"), "{:?}", s.status.notice);
}

/// Seven-digit job numbers (a million jobs) keep the columns in line with short ones.
#[test]
fn long_job_numbers_keep_the_columns_in_line() {
    let mut s = state();
    let rows = vec![summary(1_000_001, JobStatus::Done), summary(7, JobStatus::Done)];
    let generation = s.jobs.history.first_page().1;
    update(&mut s, Msg::App(AppEvent::HistoryPage { rows, append: false, generation }));
    s.layers.focus = Focus::History;
    let screen = frame(&mut s);
    let column = |text: &str| screen.lines().find_map(|l| l.find(text).map(|at| l[..at].chars().count()));
    assert_eq!(column("prompt 1000001"), column("prompt 7"), "{screen}");
    assert!(column("prompt 7").is_some(), "{screen}");
}

/// An agent's job (sent through `imgtui mcp`) says so: "mcp" before its prompt in History, and
/// who sent it in the Job pane.
#[test]
fn an_agents_job_is_marked_in_the_list_and_the_job_pane() {
    let mut s = state();
    let mut row = summary(1, JobStatus::Done);
    row.origin = Some("mcp:claude-code".into());
    let generation = s.jobs.history.first_page().1;
    update(&mut s, Msg::App(AppEvent::HistoryPage { rows: vec![row], append: false, generation }));
    let mut job = common::tui::record(1, imgtui::api::GenerateRequest::new("gpt-image-1", "prompt 1"), vec![]);
    job.origin = Some("mcp:claude-code".into());
    update(&mut s, Msg::App(AppEvent::Details { record: Box::new(job), missing_files: vec![] }));
    s.layers.focus = Focus::History;
    let screen = frame(&mut s);
    assert!(screen.contains("mcp prompt 1"), "{screen}");
    assert!(screen.contains("sent by  an agent (claude-code) through imgtui mcp"), "{screen}");
}

/// `c` on a job another imgtui runs (an agent's) asks first, then asks that imgtui through the
/// history.
#[test]
fn c_on_a_job_running_elsewhere_asks_its_imgtui_to_cancel_it() {
    let mut s = state();
    let mut row = summary(1, JobStatus::Running);
    row.running_elsewhere = Some(4242);
    let generation = s.jobs.history.first_page().1;
    update(&mut s, Msg::App(AppEvent::HistoryPage { rows: vec![row], append: false, generation }));
    s.layers.focus = Focus::History;
    key(&mut s, 'c');
    let screen = frame(&mut s);
    assert!(screen.contains("Cancel job #1, which imgtui pid 4242 runs?"), "{screen}");
    let later = s.env.now + std::time::Duration::from_secs(2);
    update(&mut s, Msg::Now(later));
    let commands = update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE)));
    assert!(commands.contains(&imgtui::tui::event::Command::Store(StoreAsk::AskCancel(1))), "{commands:?}");
}
