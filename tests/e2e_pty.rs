//! The app end to end in a pseudo-terminal, with nothing but Rust: type a prompt, change a
//! setting, submit, wait for the job, find the files, resize down to 1x1 and back, Ctrl-Z and a
//! continue, Ctrl-C; the screen is read as a terminal shows it (vt100), the bytes for the
//! terminal's restore. (tests/e2e_tmux.rs adds what only tmux can show.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::pty::Pty;
use portable_pty::PtySize;

const TAB: &[u8] = b"\t";
const DOWN: &[u8] = b"\x1b[B";
const RIGHT: &[u8] = b"\x1b[C";
const CTRL_S: &[u8] = b"\x13";
const CTRL_C: &[u8] = b"\x03";
const CTRL_Z: &[u8] = b"\x1a";

/// Waits (with a deadline) for the app to exit; its exit code.
fn exit_code(pty: &mut Pty) -> u32 {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = pty.child.try_wait().unwrap() {
            return status.exit_code();
        }
        assert!(Instant::now() < deadline, "the app did not exit:\n{}", pty.screen());
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The terminal is given back: the alternate screen left, the cursor shown.
fn restored_after(pty: &Pty, mark: usize) {
    pty.wait_for(mark, "the terminal restored", |out| {
        let text = String::from_utf8_lossy(out);
        text.contains("\x1b[?1049l") && text.contains("\x1b[?25h")
    });
}

#[test]
fn generate_two_images_from_the_keyboard_and_quit_cleanly() {
    let data = tempfile::tempdir().unwrap();
    let mut pty = Pty::spawn(data.path(), &["--graphics", "none", "--demo-latency-ms", "300"], (40, 120));
    pty.wait_for_screen("Demo mode: no API key found");
    pty.send(b"a red fox in the snow");
    pty.send(TAB);
    // Mode, Model, Size, Quality, Complexity, Images (n).
    for _ in 0..5 {
        pty.send(DOWN);
    }
    pty.send(RIGHT);
    pty.wait_for_screen("Images (n)  ‹ 2 ›");
    pty.send(CTRL_S);
    pty.wait_for_screen("✓ #1");
    pty.wait_for_screen("2 img");
    let images: Vec<_> = std::fs::read_dir(data.path().join("images"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "png"))
        .collect();
    assert_eq!(images.len(), 2, "two files on disk");
    let mark = pty.len();
    pty.send(CTRL_C);
    assert_eq!(exit_code(&mut pty), 0);
    restored_after(&pty, mark);
}

#[test]
fn a_resize_down_to_1x1_and_back_leaves_the_app_working() {
    let data = tempfile::tempdir().unwrap();
    let mut pty = Pty::spawn(data.path(), &["--graphics", "none"], (30, 100));
    pty.wait_for_screen("Prompt");
    for (rows, cols) in [(1, 1), (5, 20), (2, 3), (24, 80)] {
        pty.master.resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).unwrap();
        (pty.rows, pty.cols) = (rows, cols);
    }
    pty.send(b"still here");
    pty.wait_for_screen("still here");
    pty.send(CTRL_C);
    assert_eq!(exit_code(&mut pty), 0);
}

#[test]
fn ctrl_z_gives_the_terminal_back_and_the_app_returns_with_its_prompt() {
    // Without a shell's job control the stop itself is discarded by the kernel (an orphaned
    // process group): what is checked here is the way out and back in. The stop and `fg` in a
    // real shell: tests/e2e_tmux.rs.
    let data = tempfile::tempdir().unwrap();
    let mut pty = Pty::spawn(data.path(), &["--graphics", "none"], (30, 100));
    pty.wait_for_screen("Prompt");
    pty.send(b"kept prompt");
    pty.wait_for_screen("kept prompt");
    let mark = pty.len();
    pty.send(CTRL_Z);
    restored_after(&pty, mark);
    pty.wait_for(mark, "the app back on the alternate screen", |out| {
        let text = String::from_utf8_lossy(out);
        text.find("\x1b[?1049l").is_some_and(|left| text[left..].contains("\x1b[?1049h"))
    });
    pty.wait_for_screen("kept prompt");
    pty.send(CTRL_C);
    assert_eq!(exit_code(&mut pty), 0);
}

/// The SGR report of a left click (press and release) at the screen's `column`, `row` (0-based).
fn left_click(column: usize, row: usize) -> Vec<u8> {
    format!("\x1b[<0;{c};{r}M\x1b[<0;{c};{r}m", c = column + 1, r = row + 1).into_bytes()
}

/// Where `text` first is on the screen (column, row).
fn spot(pty: &Pty, text: &str) -> (usize, usize) {
    let screen = pty.screen();
    for (row, line) in screen.lines().enumerate() {
        if let Some(byte) = line.find(text) {
            return (line[..byte].chars().count(), row);
        }
    }
    panic!("{text:?} is not on screen:\n{screen}");
}

#[test]
fn the_mouse_is_reported_from_the_start_and_a_double_click_on_a_job_views_it() {
    let data = tempfile::tempdir().unwrap();
    let mut pty = Pty::spawn(data.path(), &["--graphics", "none"], (40, 120));
    pty.wait_for_screen("Prompt");
    pty.wait_for(0, "mouse reports asked for", |out| String::from_utf8_lossy(out).contains("\x1b[?1006h"));
    pty.send(b"the first fox");
    pty.send(CTRL_S);
    pty.wait_for_screen("✓ #1");
    pty.send(CTRL_S);
    pty.wait_for_screen("✓ #2");
    let (column, row) = spot(&pty, "✓ #1");
    pty.send(&left_click(column + 2, row));
    pty.send(&left_click(column + 2, row));
    // The viewer's caption names the clicked job.
    pty.wait_for_screen("#1 · gpt-image");
    let mark = pty.len();
    pty.send(b"\x1b");
    pty.wait_for_screen("Prompt");
    pty.send(CTRL_C);
    assert_eq!(exit_code(&mut pty), 0);
    pty.wait_for(mark, "mouse reports given back", |out| String::from_utf8_lossy(out).contains("\x1b[?1006l"));
}
