//! The real binary in a pty, per graphics protocol, reading the raw bytes it writes: the image
//! is sent once, in the preview pane; typing afterwards sends no image data; selecting another
//! job erases the old image before the new one is drawn.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::pty::Pty;

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack.windows(needle.len()).filter(|w| *w == needle).count()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Two finished jobs in the history, made with the headless command.
fn history_with_two_jobs() -> tempfile::TempDir {
    let data = tempfile::tempdir().unwrap();
    for prompt in ["a red fox", "a lighthouse"] {
        let out = common::imgtui_std()
            .env_remove("OPENAI_API_KEY")
            .env_remove("TTAPI_API_KEY")
            .env("XDG_CONFIG_HOME", data.path().join("config"))
            .args(["--data-dir"])
            .arg(data.path())
            .args(["--demo-latency-ms", "0", "generate", prompt, "--demo", "-m", "dall-e-2", "-s", "256x256"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    data
}

/// The bytes that start an image's data in each protocol.
fn signature(graphics: &str) -> &'static [u8] {
    match graphics {
        "kitty" => b"\x1b_Ga=t,f=100",
        "iterm" => b"\x1b]1337;File=",
        "sixel" => b"\x1bPq\"",
        _ => "▀".as_bytes(),
    }
}

/// The bytes that put an image on screen: kitty places an image it holds by id; the others
/// send it there.
fn placement(graphics: &str) -> &'static [u8] {
    if graphics == "kitty" { KITTY_PLACE } else { signature(graphics) }
}

const KITTY_PLACE: &[u8] = b"\x1b_Ga=p,";

/// The cell (row, column) of the cursor move right before the image is put on screen.
fn placed_at(out: &[u8], graphics: &str) -> (u16, u16) {
    let at = find(out, placement(graphics)).unwrap();
    let before = String::from_utf8_lossy(&out[..at]);
    let cup = before.rfind("\x1b7\x1b[").unwrap();
    let coords = &before[cup + 4..];
    let end = coords.find('H').unwrap();
    let (row, col) = coords[..end].split_once(';').unwrap();
    (row.parse().unwrap(), col.parse().unwrap())
}

fn run_protocol(graphics: &str) {
    let data = history_with_two_jobs();
    let mut pty = Pty::spawn(data.path(), &["--graphics", graphics], (40, 120));
    let sig = signature(graphics);
    pty.wait_for_screen("History (2)");
    pty.wait_for_screen(graphics_label(graphics));
    let placed = placement(graphics);
    let first = pty.wait_for(0, "the first image", |out| find(out, sig).is_some() && find(out, placed).is_some());
    let settled = first.clone();
    // Whatever an imgtui killed earlier left is cleared first, kitty's images too.
    let cleared = find(&first, b"\x1b[2J").expect("the screen is cleared at start");
    assert!(cleared < find(&first, b"Prompt").unwrap(), "before the first frame");
    if graphics == "kitty" {
        assert!(find(&first, b"\x1b_Ga=d,d=A").unwrap() < find(&first, sig).unwrap(), "earlier images deleted");
    }
    if graphics != "blocks" {
        assert_eq!(count(&settled, sig), 1, "{graphics}: the image is sent once");
        let (row, col) = placed_at(&first, graphics);
        assert!(row > 14 && row < 40 && col > 58, "{graphics}: placed in the preview pane, at row {row} col {col}");
    }

    // Output is ordered: once this key's echo is on screen, the frame with the image is complete.
    pty.send(b">");
    pty.wait_for_screen(">");
    // Counting starts between frames, not inside one (its end may still be on the way).
    pty.wait_for(0, "the frame to close", |out| out.ends_with(b"\x1b[?2026l"));
    let mark = pty.len();
    pty.send(b"abcdefghijklmnopqrst");
    pty.wait_for_screen(">abcdefghijklmnopqrst");
    pty.wait_for_screen("21/32000");
    // The frame's end comes in a write of its own, maybe after the screen shows the text.
    let typed = pty.wait_for(mark, "the last frame to close", |out| out.ends_with(b"\x1b[?2026l"));
    assert_eq!(count(&typed, sig), 0, "{graphics}: typing sent no image data");
    for other in ["kitty", "iterm", "sixel"] {
        assert_eq!(count(&typed, signature(other)), 0, "{graphics}: typing sent no {other} data");
    }
    // Each frame is one synchronized update: as many starts as ends, the last one closed.
    let (begins, ends) = (count(&typed, b"\x1b[?2026h"), count(&typed, b"\x1b[?2026l"));
    assert!(begins > 0 && begins == ends, "{graphics}: {begins} frame starts, {ends} ends");

    let mark = pty.len();
    pty.send(b"\t\tj"); // focus the history, select the other job
    pty.wait_for_screen("Job #1");
    let switched = pty.wait_for(mark, "the other image", |out| find(out, sig).is_some());
    let shown = find(&switched, sig).unwrap();
    match graphics {
        "kitty" => {
            let erased = find(&switched, b"\x1b_Ga=d,d=i,i=1").expect("the old image is taken off the screen");
            assert!(erased < shown, "taken off before the new one is drawn");
            // Back to the first job: kitty still holds its image, which is placed again by id.
            pty.wait_for(0, "the frame to close", |out| out.ends_with(b"\x1b[?2026l"));
            let mark = pty.len();
            pty.send(b"k");
            pty.wait_for_screen("Job #2");
            let back = pty.wait_for(mark, "the first image placed again", |out| find(out, b"\x1b_Ga=p,i=1,").is_some());
            assert_eq!(count(&back, sig), 0, "kitty: an image seen before is not sent again");
        }
        "sixel" | "iterm" => {
            let erased = find(&switched, b"\x1b[2J").expect("the screen is repainted over the old image");
            assert!(erased < shown, "repainted before the new one is drawn");
        }
        _ => {}
    }

    pty.send(b"\x03");
    let deadline = Instant::now() + Duration::from_secs(10);
    while pty.child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the app did not quit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn graphics_label(graphics: &str) -> &'static str {
    match graphics {
        "kitty" => "· kitty",
        "iterm" => "· iTerm2",
        "sixel" => "· sixel",
        _ => "· half-blocks",
    }
}

#[test]
fn kitty() {
    run_protocol("kitty");
}

#[test]
fn sixel() {
    run_protocol("sixel");
}

#[test]
fn iterm() {
    run_protocol("iterm");
}

#[test]
fn blocks() {
    run_protocol("blocks");
}

/// The viewer in a pty: `v` erases the pane's image and places the picture at the top-left of
/// the screen; a key that changes nothing sends no image data; zooming sends one new picture.
fn run_viewer(graphics: &str) {
    let data = history_with_two_jobs();
    let mut pty = Pty::spawn(data.path(), &["--graphics", graphics], (40, 120));
    let sig = signature(graphics);
    pty.wait_for_screen("History (2)");
    let placed = placement(graphics);
    // The pane's picture placed and its frame closed: a placement after the mark is the viewer's.
    pty.wait_for(0, "the pane's image", |out| {
        find(out, sig).is_some() && find(out, placed).is_some() && out.ends_with(b"\x1b[?2026l")
    });
    let mark = pty.len();
    pty.send(b"\t\tv");
    let viewed =
        pty.wait_for(mark, "the viewer's picture", |out| find(out, sig).is_some() && find(out, placed).is_some());
    let (row, col) = placed_at(&viewed, graphics);
    // 256x256 in 119 of 120 columns and 39 rows (10x20-pixel cells): centred, from the top row.
    assert!(row == 1 && col > 20 && col < 60, "{graphics}: the picture starts at the top: row {row} col {col}");
    pty.wait_for(0, "the frame to close", |out| out.ends_with(b"\x1b[?2026l"));
    let mark = pty.len();
    pty.send(b"x");
    pty.wait_for(mark, "a frame", |out| out.ends_with(b"\x1b[?2026l"));
    assert_eq!(
        count(&pty.output.lock().unwrap()[mark..], sig),
        0,
        "{graphics}: a key that changes nothing sends nothing"
    );
    let mark = pty.len();
    pty.send(b"+");
    pty.wait_for_screen("zoom 2x");
    let zoomed = pty.wait_for(mark, "the zoomed picture", |out| find(out, sig).is_some());
    assert_eq!(count(&zoomed, sig), 1, "{graphics}: one picture for one step of zoom");
    if graphics == "kitty" {
        // Fitted again: the viewer's picture from before, placed by id, not sent.
        pty.wait_for(0, "the frame to close", |out| out.ends_with(b"\x1b[?2026l"));
        let mark = pty.len();
        pty.send(b"0");
        pty.wait_for(mark, "the fitted picture placed again", |out| find(out, KITTY_PLACE).is_some());
        assert_eq!(count(&pty.output.lock().unwrap()[mark..], sig), 0, "kitty: no image data for a picture it holds");
    }
    pty.send(b"\x03");
    let deadline = Instant::now() + Duration::from_secs(10);
    while pty.child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the app did not quit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn viewer_kitty() {
    run_viewer("kitty");
}

#[test]
fn viewer_sixel() {
    run_viewer("sixel");
}

/// Every (row, column) a kitty image was placed at, from the outer terminal's stream: the
/// cursor move sent right before each placement.
fn kitty_placements(out: &[u8]) -> Vec<(u16, u16)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = find(&out[from..], KITTY_PLACE) {
        let end = from + at;
        let before = String::from_utf8_lossy(&out[..end]);
        if let Some(cup) = before.rfind("\x1b[")
            && let Some((row, col)) = before[cup + 2..].trim_end_matches('H').split_once(';')
            && let (Ok(row), Ok(col)) = (row.parse(), col.trim_end_matches('H').parse())
        {
            found.push((row, col));
        }
        from = end + KITTY_PLACE.len();
    }
    found
}

/// The shell command that runs the app with kitty graphics on `data`'s history, without a key.
fn kitty_app(data: &tempfile::TempDir) -> String {
    format!(
        "env -u OPENAI_API_KEY -u TTAPI_API_KEY XDG_CONFIG_HOME='{cfg}' {shell} --graphics kitty --data-dir '{data}'",
        cfg = data.path().join("config").display(),
        shell = common::imgtui_shell(),
        data = data.path().display(),
    )
}

#[test]
fn inside_tmux_a_kitty_image_lands_in_its_pane_on_the_outer_terminal() {
    if !common::have(common::Tool::Tmux) {
        return;
    }
    let data = history_with_two_jobs();
    let socket = format!("imgtui-origin-{}", std::process::id());
    let app = kitty_app(&data);
    // The outer terminal is this pty; tmux draws two panes side by side in it, the app in the
    // right one, which starts at column 121.
    let mut cmd = portable_pty::CommandBuilder::new("tmux");
    cmd.args(["-L", &socket, "-f", "/dev/null", "new-session", "-s", "t", "sleep 600", ";"]);
    cmd.args(["set", "-g", "allow-passthrough", "on", ";", "set", "-g", "status", "off", ";"]);
    cmd.args(["split-window", "-h", "-l", "120", "-t", "t", &app]);
    cmd.env_remove("TMUX");
    let pty = Pty::spawn_command(cmd, (50, 241));
    let deadline = Instant::now() + Duration::from_secs(30);
    let placed = loop {
        let placed = kitty_placements(&pty.since(0));
        if !placed.is_empty() || Instant::now() > deadline {
            break placed;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let _ = std::process::Command::new("tmux").args(["-L", &socket, "kill-server"]).status();
    assert!(!placed.is_empty(), "no kitty placement came with a cursor move the outer terminal receives");
    for (row, col) in placed {
        // The Job pane is in the right half of the app's pane: past the split, not the corner.
        assert!(col > 121 + 50 && row > 1, "placed at row {row}, column {col}: not in the app's pane");
    }
}

/// A kitty delete written to the outer terminal itself (not inside tmux's passthrough, where
/// each ESC is doubled).
fn direct_kitty_delete(out: &[u8]) -> bool {
    let needle = b"\x1b_Ga=d,d=I,i=";
    out.windows(needle.len()).enumerate().any(|(at, w)| w == needle && (at == 0 || out[at - 1] != 0x1b))
}

/// Kitty keeps an image over whatever tmux shows next, and tmux passes nothing from a window
/// that is not shown: when the app's window is left, its images are deleted on the outer
/// terminal directly, and when the window is shown again they are sent and placed afresh.
#[test]
fn inside_tmux_leaving_the_window_takes_kitty_images_off_and_coming_back_shows_them_again() {
    if !common::have(common::Tool::Tmux) {
        return;
    }
    let data = history_with_two_jobs();
    let socket = format!("imgtui-window-{}", std::process::id());
    let app = kitty_app(&data);
    let mut cmd = portable_pty::CommandBuilder::new("tmux");
    cmd.args(["-L", &socket, "-f", "/dev/null", "new-session", "-s", "w", &app, ";"]);
    cmd.args(["set", "-g", "allow-passthrough", "on", ";", "set", "-g", "status", "off"]);
    cmd.env_remove("TMUX");
    let pty = Pty::spawn_command(cmd, (50, 200));
    let tmux = |args: &[&str]| {
        let _ = std::process::Command::new("tmux").args(["-L", &socket]).args(args).status();
    };
    // The server goes whatever happens below.
    struct Server(String);
    impl Drop for Server {
        fn drop(&mut self) {
            let _ = std::process::Command::new("tmux").args(["-L", &self.0, "kill-server"]).status();
        }
    }
    let _server = Server(socket.clone());
    pty.wait_for(0, "the first kitty placement", |out| find(out, KITTY_PLACE).is_some());
    let left = pty.len();
    tmux(&["new-window", "-t", "w", "sleep 600"]);
    pty.wait_for(left, "the images deleted on the outer terminal, over the other window", direct_kitty_delete);
    let back = pty.len();
    tmux(&["select-window", "-t", "w:0"]);
    pty.wait_for(back, "the picture sent and placed again with its window", |out| {
        find(out, b"a=t,f=100").is_some() && find(out, KITTY_PLACE).is_some()
    });
}
