//! The iteration loop in tmux at 80x24, as a user over SSH drives it: two prompts sent, Ctrl-P
//! brings the last back, Ctrl-R finds the first, a star and the starred-only filter, a prompt
//! with variants asked about and sent as a group.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tmux::{Tmux, app_command};

#[test]
fn recall_stars_and_variants_at_80x24() {
    if !common::have(common::Tool::Tmux) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let tmux = Tmux::start(80, 24, &app_command(data.path(), "--demo-latency-ms 0 --graphics none"));
    tmux.wait_for("the app", 20, |s| s.contains("Demo mode"));
    let clear = || {
        tmux.keys(&["BSpace"; 24]);
        tmux.wait_for("the prompt cleared", 5, |s| s.contains(" 0/32000"));
    };
    for (n, prompt) in ["a lighthouse at dusk", "a red fox"].into_iter().enumerate() {
        tmux.type_text(prompt);
        tmux.keys(&["C-s"]);
        tmux.wait_for("the job done", 10, |s| s.contains(&format!("job {} done", n + 1)));
        clear();
    }
    // Ctrl-P: the last prompt; again: the one before.
    tmux.keys(&["C-p"]);
    tmux.wait_for("the last prompt", 5, |s| s.contains("a red fox") && s.contains(" 9/32000"));
    tmux.keys(&["C-p"]);
    tmux.wait_for("the prompt before", 5, |s| s.contains(" 20/32000"));
    // Ctrl-R: a fuzzy search; Enter loads the chosen one.
    tmux.keys(&["C-r"]);
    tmux.wait_for("the search", 5, |s| s.contains("Earlier prompts") && s.contains("2 of 2"));
    tmux.type_text("rfx");
    tmux.wait_for("one match", 5, |s| s.contains("1 of 2"));
    tmux.keys(&["Enter"]);
    tmux.wait_for("loaded", 5, |s| !s.contains("Earlier prompts") && s.contains(" 9/32000"));
    // A star on the newest job, then only starred jobs.
    tmux.keys(&["Tab", "Tab"]);
    tmux.wait_for("the history focused", 5, |s| s.contains("Enter view"));
    tmux.type_text("*");
    tmux.wait_for("a star", 5, |s| s.contains("✓★#2"));
    tmux.type_text("f");
    let starred = tmux.wait_for("starred only", 5, |s| s.contains("★ only") && s.contains("History (1)"));
    assert!(!starred.contains("#1 "), "job 1 has no star:\n{starred}");
    tmux.type_text("f");
    tmux.wait_for("all again", 5, |s| s.contains("History (2)"));
    // Variants: counted, asked about, sent as a group.
    tmux.keys(&["Escape"]);
    tmux.wait_for("the prompt", 5, |s| s.contains(" 9/32000"));
    clear();
    tmux.type_text("a {red|blue} kite");
    tmux.wait_for("the count", 5, |s| s.contains("2 variants"));
    tmux.keys(&["C-s"]);
    tmux.wait_for("the question, ready for its answer", 5, |s| {
        s.contains("Send 2 jobs") && s.contains("y / Enter: yes")
    });
    tmux.type_text("y");
    tmux.wait_for("both done", 10, |s| s.contains("job 4 done") || s.contains("job 3 done"));
    tmux.keys(&["Tab", "Tab"]);
    // Each member says what sets it apart, before the prompt they share.
    let done = tmux.wait_for("the group in the history", 10, |s| s.matches("g3 ").count() == 2);
    assert!(done.contains("g3 red a red kite") && done.contains("g3 blue a blue kite"), "the group's number:\n{done}");
    // The history can show a job done a moment before the app hears it finished.
    tmux.wait_for("no job running", 10, |s| s.lines().next().is_some_and(|tabs| !tabs.contains("running")));
    tmux.keys(&["C-c"]);
    tmux.wait_for("the app to exit", 10, |s| s.contains("END-OF-RUN"));
}
