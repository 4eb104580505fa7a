//! One key grammar: the reproductions that made it (a draft lost on Esc then `q`, a paid
//! re-run on one stray letter, Ctrl-C that did nothing in dialogs, help about another screen),
//! key by key on `update`; and the README's table of key meanings held to the keymap.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tui::{record, state, summary};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use imgtui::store::JobStatus;
use imgtui::tui::action::Action;
use std::time::Duration;

use imgtui::tui::event::{AppEvent, Command, Msg, StoreAsk};
use imgtui::tui::keymap::{Context, Keymap};
use imgtui::tui::state::{Browser, Confirm, Focus, Layer, State, Target};
use imgtui::tui::ui::overlay::{HelpLine, help_text};
use imgtui::tui::update::update;

fn key(s: &mut State, code: KeyCode) -> Vec<Command> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ctrl(s: &mut State, c: char) -> Vec<Command> {
    update(s, Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)))
}

fn type_text(s: &mut State, text: &str) -> Vec<Command> {
    text.chars().flat_map(|c| key(s, KeyCode::Char(c))).collect()
}

fn with_two_jobs(s: &mut State) {
    update(s, Msg::Resize(120, 40));
    let rows = vec![summary(2, JobStatus::Done), summary(1, JobStatus::Done)];
    update(s, Msg::App(AppEvent::HistoryPage { rows, append: false, generation: 0 }));
    let job = record(2, imgtui::api::GenerateRequest::new("gpt-image-1", "prompt 2"), vec![]);
    update(s, Msg::App(AppEvent::Details { record: Box::new(job), missing_files: vec![] }));
}

#[test]
fn esc_then_q_in_the_prompt_keeps_the_draft() {
    let mut s = state();
    update(&mut s, Msg::Resize(80, 24));
    type_text(&mut s, "a lighthouse at dusk");
    key(&mut s, KeyCode::Esc);
    assert_eq!((s.layers.focus, s.quit), (Focus::Prompt, false), "Esc never moves the focus sideways");
    key(&mut s, KeyCode::Char('q'));
    assert!(!s.quit, "q is a letter in the prompt");
    assert_eq!(s.prompt_text(), "a lighthouse at duskq");
    // What would be kept on disk, however the app ends from here.
    let draft = s.draft_changed().expect("the draft changed");
    assert_eq!(draft.prompt, ["a lighthouse at duskq"]);
}

#[test]
fn a_red_fox_typed_into_history_sends_nothing_and_says_where_the_keys_go() {
    let mut s = state();
    with_two_jobs(&mut s);
    s.layers.focus = Focus::History;
    let mut commands = Vec::new();
    for c in "a red fox".chars() {
        commands.extend(key(&mut s, KeyCode::Char(c)));
    }
    assert!(
        !commands.iter().any(|c| matches!(
            c,
            Command::Submit { .. } | Command::Store(StoreAsk::Rerun(_)) | Command::Store(StoreAsk::DeleteJob(_))
        )),
        "nothing sent or deleted: {commands:?}"
    );
    // `r` asked and `e` closed the question, `d` asked and the space closed it: nothing is
    // left waiting for a `y` that the next word could bring.
    assert!(s.layers.popup().is_none(), "{:?}", s.layers.popup());
    assert_eq!(s.prompt_text(), "", "nothing landed in the prompt");
    assert_eq!(
        s.status.notice.as_ref().unwrap().0,
        "History has the focus: Esc to the prompt (? lists its keys)",
        "an unbound letter says where the focus is"
    );
    for word in ["ready", "a rainy day", "every", "dry", "dyed", "ry"] {
        let mut commands = Vec::new();
        for c in word.chars() {
            commands.extend(key(&mut s, KeyCode::Char(c)));
        }
        let paid = commands.iter().any(|c| {
            matches!(
                c,
                Command::Submit { .. } | Command::Store(StoreAsk::Rerun(_)) | Command::Store(StoreAsk::DeleteJob(_))
            )
        });
        assert!(!paid && !s.quit, "{word:?} typed into History did something: {commands:?}");
        s.layers.close_viewer();
        s.layers.focus = Focus::History;
    }
    assert_eq!(s.jobs.history.rows.len(), 2, "nothing deleted");
    // `r` asks with what it would cost; a `y` at once is typing, a `y` once it was read is the
    // answer.
    key(&mut s, KeyCode::Char('r'));
    let Some(Layer::Confirm(Confirm::Rerun { summary, .. })) = s.layers.popup() else {
        panic!("{:?}", s.layers.popup())
    };
    assert!(summary.starts_with("gpt-image-1, default size, ≤ $0.167"), "the estimate, auto at its dearest: {summary}");
    assert!(key(&mut s, KeyCode::Char('y')).is_empty());
    assert!(
        s.status.notice.as_ref().unwrap().0.starts_with("nothing done: the answer came before"),
        "{:?}",
        s.status.notice
    );
    key(&mut s, KeyCode::Char('r'));
    common::tui::read_the_question(&mut s);
    assert!(matches!(key(&mut s, KeyCode::Char('y')).as_slice(), [Command::Store(StoreAsk::Rerun(_))]));
}

#[test]
fn a_rerun_goes_without_a_question_when_the_config_says_so() {
    let mut s = state();
    with_two_jobs(&mut s);
    s.env.confirm_paid = false;
    s.layers.focus = Focus::History;
    assert_eq!(key(&mut s, KeyCode::Char('r')), [Command::Store(StoreAsk::Rerun(2))]);
}

#[test]
fn ctrl_c_quits_from_help_the_browser_and_a_question() {
    type Opener = Box<dyn Fn(&mut State)>;
    let mut opened: Vec<(&str, Opener)> = vec![
        ("help", Box::new(|s: &mut State| drop(key(s, KeyCode::F(1))))),
        (
            "browser",
            Box::new(|s: &mut State| s.layers.push(Layer::Browser(Browser::new(Target::Mask, std::env::temp_dir())))),
        ),
        ("question", Box::new(|s: &mut State| s.layers.push(Layer::Confirm(Confirm::DeleteJob(1))))),
        ("search line", Box::new(|s: &mut State| s.layers.push(Layer::HistorySearch))),
    ];
    for (what, open) in opened.drain(..) {
        let mut s = state();
        update(&mut s, Msg::Resize(80, 24));
        open(&mut s);
        assert!(!s.layers.is_empty(), "{what} is open");
        ctrl(&mut s, 'c');
        assert!(s.quit, "Ctrl-C quits from the {what}");
    }
    // With a job running it asks, from a layer as from a pane, and Ctrl-C again is the answer.
    let mut s = state();
    update(&mut s, Msg::Resize(80, 24));
    update(&mut s, Msg::App(AppEvent::JobQueued { id: 7 }));
    key(&mut s, KeyCode::F(1));
    ctrl(&mut s, 'c');
    assert!(matches!(s.layers.popup(), Some(Layer::Confirm(Confirm::Quit { running: 1, .. }))) && !s.quit);
    ctrl(&mut s, 'c');
    assert!(s.quit, "asked twice: quits");
}

#[test]
fn help_in_the_painter_shows_the_painters_keys_first_with_arrows_as_cursor_moves() {
    let mut s = state();
    update(&mut s, Msg::Resize(80, 24));
    let painter =
        imgtui::tui::state::PainterView::new(std::path::PathBuf::from("/x.png"), (64, 64), s.env.screen, s.env.cell);
    s.layers.push(Layer::Painter(painter));
    key(&mut s, KeyCode::Char('?'));
    let lines = help_text(&s, s.layers.help().unwrap());
    assert_eq!(lines.first(), Some(&HelpLine::Context("Mask painter")), "{lines:?}");
    let left = lines.iter().find_map(|l| match l {
        HelpLine::Binding { keys, does, .. } if keys.starts_with('←') => Some(*does),
        _ => None,
    });
    assert_eq!(left, Some("move the cursor left a cell"));
    assert!(!format!("{lines:?}").contains("image of the job"), "no other screen's words");
    // Then what is under it: the focused pane and what works everywhere.
    let titles: Vec<&str> =
        lines.iter().filter_map(|l| if let HelpLine::Context(t) = l { Some(*t) } else { None }).collect();
    assert_eq!(titles, ["Mask painter", "Prompt", "Everywhere"]);
    // Each binding names its command as a keymap file does.
    assert!(lines.iter().any(|l| matches!(l, HelpLine::Binding { command, .. } if command == "far_left")));
}

#[test]
fn enter_views_in_every_list_and_loading_into_the_form_has_its_own_key() {
    let keymap = Keymap::builtin();
    let enter = imgtui::tui::keymap::Key::parse("enter").unwrap();
    for context in [Context::History, Context::Preview, Context::Gallery] {
        assert_eq!(keymap.action(context, &enter), Some(Action::View), "{context:?}");
        let e = imgtui::tui::keymap::Key::parse("e").unwrap();
        assert_eq!(keymap.action(context, &e), Some(Action::LoadJob), "{context:?}");
    }
}

#[test]
fn the_job_pane_takes_the_job_keys_history_takes() {
    let mut s = state();
    with_two_jobs(&mut s);
    s.layers.focus = Focus::Preview;
    key(&mut s, KeyCode::Char('e'));
    assert_eq!(s.prompt_text(), "prompt 2", "e loads the job from the Job pane");
    s.layers.focus = Focus::Preview;
    key(&mut s, KeyCode::Char('d'));
    assert_eq!(s.layers.popup(), Some(&Layer::Confirm(Confirm::DeleteJob(2))));
}

#[test]
fn no_binding_shadows_a_readline_habit_in_a_text_input() {
    let keymap = Keymap::builtin();
    // Readline's keys, and what they may mean here (the same thing, or nothing bound).
    let habits = [
        ("ctrl-a", None),
        ("ctrl-e", None),
        ("ctrl-b", None),
        ("ctrl-f", None),
        ("ctrl-k", None),
        ("ctrl-w", None),
        ("ctrl-y", None),
        ("ctrl-d", None),
        ("ctrl-h", None),
        ("alt-b", None),
        ("alt-f", None),
        ("alt-d", None),
        ("ctrl-u", Some(Action::DeleteToLineStart)),
        ("ctrl-/", Some(Action::Undo)),
        ("ctrl-p", Some(Action::RecallOlder)),
        ("ctrl-n", Some(Action::RecallNewer)),
        ("ctrl-r", Some(Action::RecallSearch)),
    ];
    for (name, allowed) in habits {
        let key = imgtui::tui::keymap::Key::parse(name).unwrap();
        assert_eq!(keymap.action(Context::Prompt, &key), allowed, "{name} in the prompt");
        for context in [Context::Search, Context::Path] {
            assert_eq!(keymap.action(context, &key), None, "{name} in {context:?}");
        }
    }
}

#[test]
fn the_readme_table_is_the_keymaps_and_docs_list_every_screens_keys() {
    let root = env!("CARGO_MANIFEST_DIR");
    let table = imgtui::tui::grammar::markdown();
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    assert!(readme.contains(&table), "README.md's key table should be:\n{table}");
    let screens = imgtui::tui::screen_keys::screens_markdown(&Keymap::builtin());
    let keys = std::fs::read_to_string(format!("{root}/docs/keys.md")).unwrap();
    assert!(keys.contains(&screens), "docs/keys.md's screens should be:\n{screens}");
    assert!(keys.contains(&table), "docs/keys.md repeats the table");
}

/// Types `word` with `gap` between the keys, as a person does (the app stamps each key).
fn type_slowly(s: &mut State, word: &str, gap: Duration) -> Vec<Command> {
    let mut commands = Vec::new();
    for c in word.chars() {
        let later = s.env.now + gap;
        update(s, Msg::Now(later));
        commands.extend(key(s, KeyCode::Char(c)));
    }
    commands
}

#[test]
fn a_word_typed_slowly_into_a_list_never_deletes_re_runs_or_cancels() {
    for gap in [50, 150, 250, 400, 700, 950] {
        let gap = Duration::from_millis(gap);
        for word in ["ready", "try", "body", "icy", "dye", "rye", "cyan", "a rainy day", "yes delete"] {
            let mut s = state();
            with_two_jobs(&mut s);
            s.jobs.live.insert(2, imgtui::tui::state::LiveJob::new(s.env.now, imgtui::tui::state::Phase::Running));
            s.layers.focus = Focus::History;
            let commands = type_slowly(&mut s, word, gap);
            let acted = commands.iter().any(|c| {
                matches!(
                    c,
                    Command::Submit { .. }
                        | Command::Store(StoreAsk::Rerun(_))
                        | Command::Store(StoreAsk::DeleteJob(_))
                        | Command::CancelJob(_)
                )
            });
            assert!(!acted && !s.quit, "{word:?} typed {gap:?} apart did something: {commands:?}");
        }
    }
    // Keys pressed as commands still are: a move, then `r`, and `y` once the question was read.
    let mut s = state();
    with_two_jobs(&mut s);
    s.layers.focus = Focus::History;
    type_slowly(&mut s, "j", Duration::from_millis(200));
    type_slowly(&mut s, "r", Duration::from_millis(200));
    assert!(matches!(s.layers.popup(), Some(Layer::Confirm(Confirm::Rerun { .. }))));
    let commands = type_slowly(&mut s, "y", Duration::from_millis(1100));
    assert!(matches!(commands.as_slice(), [Command::Store(StoreAsk::Rerun(_))]), "{commands:?}");
}

#[test]
fn ctrl_s_and_tab_do_nothing_while_a_model_name_or_size_is_typed() {
    for layer in [Layer::ModelName("gpt-ima".into()), Layer::CustomSize("1024x".into())] {
        let mut s = state();
        s.compose.prompt.insert_str("a fox");
        s.layers.focus = Focus::Settings;
        s.layers.push(layer.clone());
        assert!(ctrl(&mut s, 's').is_empty(), "nothing sent from {layer:?}");
        key(&mut s, KeyCode::Tab);
        assert_eq!(s.layers.focus, Focus::Settings, "the focus stays");
        assert!(s.layers.top_is(|l| *l == layer), "the input stays open");
    }
}
