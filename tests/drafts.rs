//! Nothing typed is lost: the unsent prompt and form come back at the next start, however the
//! app ended (a stray `q`, SIGKILL, a dropped SSH session), and two imgtuis on one state dir
//! keep a draft each. The real binary in tmux; skipped (passing) without tmux unless CI
//! requires it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::time::Duration;

use common::tmux::{Tmux, app_command};

/// The draft files (not a write's temporary file, there for a moment before its rename).
fn drafts_in(data: &Path) -> Vec<std::path::PathBuf> {
    let dir = data.join("state/drafts");
    let is_draft = |p: &std::path::PathBuf| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("draft-") && n.to_string_lossy().ends_with(".json"))
    };
    std::fs::read_dir(dir).map(|d| d.flatten().map(|e| e.path()).filter(is_draft).collect()).unwrap_or_default()
}

fn draft_holds(data: &Path, text: &str) -> bool {
    drafts_in(data).iter().any(|f| std::fs::read_to_string(f).is_ok_and(|t| t.contains(text)))
}

/// The pid of the imgtui the pane runs.
fn app_pid(tmux: &Tmux) -> i32 {
    let out = tmux.cmd(&["list-panes", "-t", "e2e", "-F", "#{pane_pid}"]).output().unwrap();
    let shell: u32 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children")).unwrap();
    children.split_whitespace().next().expect("the app runs under the pane's shell").parse().unwrap()
}

#[test]
fn esc_then_q_in_the_prompt_keeps_the_draft_for_the_next_start() {
    if !common::have(common::Tool::Tmux) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let tmux = Tmux::start(80, 24, &app_command(data.path(), ""));
    tmux.wait_for("the app", 20, |s| s.contains("Demo mode"));
    tmux.type_text("a lighthouse at dusk");
    // Apart, as a person types them (together they read as Alt-q). Esc never moves the focus
    // sideways: the prompt keeps it, and q is a letter of the prompt.
    tmux.keys(&["Escape"]);
    tmux.wait_for("the draft on disk", 5, |_| draft_holds(data.path(), "a lighthouse at dusk"));
    tmux.keys(&["q"]);
    let typed = tmux.wait_for("q typed", 5, |s| s.contains("a lighthouse at duskq"));
    assert!(typed.contains("┏ Prompt"), "the prompt still has the focus:\n{typed}");
    // From Settings, q quits: the draft is on disk for the next start.
    tmux.keys(&["BSpace", "Tab"]);
    tmux.wait_for("settings focused", 5, |s| s.contains("┏ Settings"));
    tmux.keys(&["q"]);
    let after = tmux.wait_for("the app to end", 10, |s| s.contains("END-OF-RUN"));
    assert!(after.contains("EXIT=0"), "{after}");
    assert!(draft_holds(data.path(), "a lighthouse at dusk"), "kept on disk: {:?}", drafts_in(data.path()));
    drop(tmux);

    let tmux = Tmux::start(80, 24, &app_command(data.path(), ""));
    let back = tmux.wait_for("the draft back", 20, |s| s.contains("a lighthouse at dusk"));
    assert!(back.contains("is back"), "said: {back}");
}

#[test]
fn a_draft_survives_sigkill_and_a_second_instance_keeps_its_own() {
    if !common::have(common::Tool::Tmux) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let first = Tmux::start(80, 24, &app_command(data.path(), ""));
    first.wait_for("the app", 20, |s| s.contains("Demo mode"));
    let second = Tmux::start(80, 24, &app_command(data.path(), ""));
    second.wait_for("the second app", 20, |s| s.contains("Demo mode"));
    first.type_text("first instance prompt");
    second.type_text("second instance prompt");
    assert!(
        common::wait_until_sync(Duration::from_secs(10), || draft_holds(data.path(), "first instance prompt")
            && draft_holds(data.path(), "second instance prompt")),
        "each kept as typed: {:?}",
        drafts_in(data.path())
    );
    assert_eq!(drafts_in(data.path()).len(), 2, "one file each");
    let pid = rustix::process::Pid::from_raw(app_pid(&first)).unwrap();
    rustix::process::kill_process(pid, rustix::process::Signal::KILL).unwrap();
    first.wait_for("the first to die", 10, |s| s.contains("END-OF-RUN"));
    drop(first);

    // A new start adopts the dead one's draft, never the live one's.
    let third = Tmux::start(80, 24, &app_command(data.path(), ""));
    let back = third.wait_for("the killed draft back", 20, |s| s.contains("first instance prompt"));
    assert!(!back.contains("second instance prompt"), "{back}");
    assert!(second.screen().contains("second instance prompt"));
    // A fourth finds nothing left behind: the live ones keep theirs.
    let fourth = Tmux::start(80, 24, &app_command(data.path(), ""));
    let screen = fourth.wait_for("the app", 20, |s| s.contains("Demo mode"));
    assert!(!screen.contains("instance prompt") && !screen.contains("is back"), "{screen}");
}

#[test]
fn vary_and_its_values_come_back_with_the_draft() {
    use imgtui::tui::state::draft::Draft;
    use imgtui::tui::state::vary::{Varied, Vary};
    let mut s = common::tui::state();
    s.compose.prompt.insert_str("a fox");
    let candidates = Vary::candidates(Varied::Quality, s.spec(), &s.env.catalog, false);
    s.compose.form.vary.set(Some(Varied::Quality), &s.compose.form.model.clone(), &candidates);
    s.compose.form.vary.chosen = vec!["low".into(), "high".into()];
    let draft = Draft::of(&s);
    let text = serde_json::to_string(&draft).unwrap();
    let mut fresh = common::tui::state();
    serde_json::from_str::<Draft>(&text).unwrap().restore(&mut fresh);
    assert_eq!(fresh.compose.form.vary.setting, Some(Varied::Quality));
    assert_eq!(fresh.compose.form.vary.chosen, ["low", "high"]);
    assert_eq!(fresh.prompt_text(), "a fox");
    // An edit of a result keeps what it edits; a setting changed alone is worth keeping too.
    let mut s = common::tui::state();
    s.compose.form.parent = Some(522);
    s.compose.form.options.size = Some("1536x1024".into());
    let draft = Draft::of(&s);
    assert!(!draft.is_empty(), "a size changed with no prompt yet is kept");
    let mut fresh = common::tui::state();
    serde_json::from_str::<Draft>(&serde_json::to_string(&draft).unwrap()).unwrap().restore(&mut fresh);
    assert_eq!(fresh.compose.form.parent, Some(522));
    assert_eq!(fresh.compose.form.options.size.as_deref(), Some("1536x1024"));
}

#[test]
fn a_draft_left_by_an_imgtui_still_leaving_at_the_start_comes_back_a_moment_later() {
    if !common::have(common::Tool::Tmux) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    // An imgtui that got its SIGHUP as this one starts: alive at the start, gone just after.
    let mut leaving = std::process::Command::new("sleep").arg("30").spawn().unwrap();
    let dir = data.path().join("state/drafts");
    std::fs::create_dir_all(&dir).unwrap();
    let draft = r#"{"prompt":["words from the session that dropped"],"edit":false,"model":"gpt-image-1"}"#;
    std::fs::write(dir.join(format!("draft-{}-0.json", leaving.id())), draft).unwrap();
    let tmux = Tmux::start(80, 24, &app_command(data.path(), ""));
    let screen = tmux.wait_for("the app", 20, |s| s.contains("Demo mode"));
    assert!(!screen.contains("words from the session"), "a live imgtui's draft is not taken: {screen}");
    leaving.kill().unwrap();
    leaving.wait().unwrap();
    let back = tmux.wait_for("the draft back", 20, |s| s.contains("words from the session that dropped"));
    assert!(back.contains("had just ended"), "{back}");
    assert!(
        common::wait_until_sync(Duration::from_secs(10), || drafts_in(data.path()).len() == 1),
        "taken into this imgtui's file: {:?}",
        drafts_in(data.path())
    );
}
