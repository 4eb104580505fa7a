//! `imgtui show`: the real binary in a pretend terminal that answers its queries, each
//! protocol forced and detected, checked by the bytes it writes; and piped, paths only.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use std::process::Command;

use common::fake_terminal::{FakeTerminal, Terminal, fake_tmux};

fn has(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A HOME whose history holds job 1 with two 256x256 images, made by the headless command.
fn home_with_a_job() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let out = imgtui_at(home.path())
        .args([
            "--demo",
            "--demo-latency-ms",
            "0",
            "generate",
            "a red fox",
            "-m",
            "dall-e-2",
            "-s",
            "256x256",
            "-n",
            "2",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    home
}

fn imgtui_at(home: &Path) -> Command {
    let mut cmd = common::imgtui_std();
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env_remove("OPENAI_API_KEY")
        .env_remove("TTAPI_API_KEY");
    cmd
}

fn show(terminal: Terminal, home: &Path, args: &[&str], env: &[(&str, &str)]) -> (u32, String, Vec<u8>) {
    let mut all = vec!["show", "1"];
    all.extend_from_slice(args);
    let (code, out) = FakeTerminal::spawn(terminal, home, &all, env, true).finish();
    (code, String::from_utf8_lossy(&out).into_owned(), out)
}

/// What starts an image in each protocol, as written by viuer or imgtui's encoders.
const VIUER_KITTY: &[u8] = b"\x1b_Gf=32,a=T,t=d,";
const OWN_KITTY: &[u8] = b"\x1b_Ga=T,f=100,";
const SIXEL: &[u8] = b"\x1bPq\"";
const ITERM: &[u8] = b"\x1b]1337;File=inline=1";
const BLOCK: &str = "▄";
const ALT_SCREEN: &[u8] = b"\x1b[?1049h";

fn assert_shown(text: &str, out: &[u8], signature: &[u8]) {
    assert!(has(out, signature), "expected {:?} in:\n{}", String::from_utf8_lossy(signature), text.escape_debug());
    assert!(text.contains("job 1 · image 1 of 2 · 256x256 · "), "the caption:\n{text}");
    assert!(text.contains("job 1 · image 2 of 2 · 256x256 · "), "the second image's caption:\n{text}");
    assert!(!has(out, ALT_SCREEN), "printed into the normal screen, not the alternate one");
    let first = text.find("image 1 of 2").unwrap();
    let second = text.find("image 2 of 2").unwrap();
    let image = text.find(&*String::from_utf8_lossy(signature)).unwrap();
    assert!(first < image && image < second, "each image under its caption");
}

#[test]
fn the_pretend_terminal_finds_queries_whole_and_in_order() {
    use common::fake_terminal::next_query;
    assert_eq!(next_query(b"ab\x1b[16tcd\x1b[c"), Some((7, b"\x1b[16t".to_vec())));
    assert_eq!(next_query(b"\x1b_Ga=q,i=31;AAAA"), None, "still arriving");
    assert_eq!(next_query(b"\x1b_Ga=T,f=32;AAAA\x1b\\"), None, "an image is no query");
}

#[test]
fn each_protocol_forced_writes_its_own_sequences() {
    let home = home_with_a_job();
    let cases: [(Terminal, &str, &[u8]); 6] = [
        // imgtui's encoder: viuer would ask the terminal again, and wait for ever for an answer.
        (Terminal::Kitty, "kitty", OWN_KITTY),
        (Terminal::SixelXterm, "sixel", SIXEL),
        // viuer knows iTerm2 only from environment variables: imgtui's encoder draws it.
        (Terminal::Plain, "iterm", ITERM),
        (Terminal::Plain, "blocks", BLOCK.as_bytes()),
        (Terminal::Silent, "kitty", OWN_KITTY),
        (Terminal::Stray, "sixel", SIXEL),
    ];
    for (terminal, graphics, signature) in cases {
        let (code, text, out) = show(terminal, home.path(), &["--graphics", graphics], &[]);
        assert_eq!(code, 0, "{graphics} in {terminal:?}:\n{text}");
        assert_shown(&text, &out, signature);
        let others = [VIUER_KITTY, OWN_KITTY, SIXEL, ITERM].into_iter().filter(|s| *s != signature);
        for other in others {
            assert!(!has(&out, other), "{graphics}: no {:?}", String::from_utf8_lossy(other));
        }
    }
}

#[test]
fn the_terminals_answers_pick_the_protocol() {
    let home = home_with_a_job();
    for (terminal, signature) in
        [(Terminal::Kitty, OWN_KITTY), (Terminal::SixelXterm, SIXEL), (Terminal::Plain, BLOCK.as_bytes())]
    {
        let (code, text, out) = show(terminal, home.path(), &[], &[]);
        assert_eq!(code, 0, "{text}");
        assert_shown(&text, &out, signature);
    }
}

#[test]
fn sizes_come_from_the_asked_cell_size_and_the_width() {
    let home = home_with_a_job();
    // The ioctl says 10x20-pixel cells; the terminal answers 8x17: 20 columns are 160 pixels.
    let (_, text, out) = show(Terminal::SixelXterm, home.path(), &["--width", "20"], &[]);
    let at = text.find("\x1bPq\"").unwrap();
    let raster: Vec<u32> =
        text[at + 4..].split(|c: char| !c.is_ascii_digit()).take(4).map(|n| n.parse().unwrap()).collect();
    assert!((155..=166).contains(&raster[2]), "sixel width {} px for 20 cells of 8 px", raster[2]);
    assert!(has(&out, SIXEL));
    // kitty: the cells are given as asked.
    let (_, _, out) = show(Terminal::Kitty, home.path(), &["--width", "20"], &[]);
    assert!(has(&out, b",c=20,r=10,"), "20 columns, square in 10x20 cells: 10 rows");
}

#[test]
fn inside_tmux_pixels_pass_through_or_half_blocks_say_how() {
    let home = home_with_a_job();
    let path = |bin: PathBuf| format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let on = path(fake_tmux(&home.path().join("on"), "on"));
    let env = [("TMUX", "/tmp/tmux-1/default,1,0"), ("PATH", on.as_str())];
    let (code, text, out) = show(Terminal::Kitty, home.path(), &[], &env);
    assert_eq!(code, 0, "{text}");
    assert_shown(&text, &out, b"\x1bPtmux;\x1b\x1b_Ga=T,f=100,");
    let off = path(fake_tmux(&home.path().join("off"), "off"));
    let env = [("TMUX", "/tmp/tmux-1/default,1,0"), ("PATH", off.as_str())];
    let (code, text, out) = show(Terminal::Kitty, home.path(), &[], &env);
    assert_eq!(code, 0, "{text}");
    assert_shown(&text, &out, BLOCK.as_bytes());
    assert_eq!(text.matches("allow-passthrough on").count(), 1, "said once:\n{text}");
}

#[test]
fn piped_it_prints_the_paths_only() {
    let home = home_with_a_job();
    let out = imgtui_at(home.path()).args(["show", "1"]).output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines.iter().all(|l| l.ends_with(".png") && Path::new(l).is_file()), "{stdout}");
    assert!(!stdout.contains('\x1b'), "no escape sequences in a pipe");
}

#[test]
fn what_cannot_be_shown_is_named_and_the_rest_is_shown() {
    let home = home_with_a_job();
    let fifo = home.path().join("pipe.png");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let junk = home.path().join("junk.png");
    std::fs::write(&junk, b"not a png").unwrap();
    let fifo_arg = fifo.to_str().unwrap();
    let junk_arg = junk.to_str().unwrap();
    let out = imgtui_at(home.path()).args(["show", "1", "99", fifo_arg, "/no/such.png"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("job 99 is not in the history"), "{stderr}");
    assert!(stderr.contains("pipe.png: it is not a regular file"), "{stderr}");
    assert!(stderr.contains("/no/such.png"), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2, "job 1's images still listed");
    // In a terminal, a file that is no image is named and the others are drawn.
    let args = ["show", junk_arg, "1", fifo_arg];
    let (code, out) = FakeTerminal::spawn(Terminal::Plain, home.path(), &args, &[], true).finish();
    let text = String::from_utf8_lossy(&out);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("junk.png: ") && text.contains("not a regular file"), "{text}");
    assert!(has(&out, BLOCK.as_bytes()) && text.contains("image 2 of 2"), "{text}");
}

#[test]
fn generate_and_history_show_print_their_images_with_show() {
    let home = home_with_a_job();
    let args = ["--demo", "--demo-latency-ms", "0", "generate", "a boat", "-m", "dall-e-2", "-s", "256x256", "--show"];
    let (code, out) = FakeTerminal::spawn(Terminal::Kitty, home.path(), &args, &[], true).finish();
    let text = String::from_utf8_lossy(&out);
    assert_eq!(code, 0, "{text}");
    let saved = text.find("saved ").expect("the saved line first");
    let caption = text.find("job 2 · image 1 of 1 · 256x256").expect(&text);
    assert!(saved < caption && has(&out, OWN_KITTY), "{text}");
    assert!(!has(&out, ALT_SCREEN));

    let (code, out) =
        FakeTerminal::spawn(Terminal::Plain, home.path(), &["history", "show", "1", "--show"], &[], true).finish();
    let text = String::from_utf8_lossy(&out);
    assert_eq!(code, 0, "{text}");
    assert!(text.find("a red fox").unwrap() < text.find("image 1 of 2").unwrap(), "details, then images:\n{text}");
    assert!(has(&out, BLOCK.as_bytes()));

    let refused = imgtui_at(home.path()).args(["history", "show", "1", "--show", "--json"]).output().unwrap();
    assert_eq!(refused.status.code(), Some(2), "--show and --json do not go together");
}

#[test]
fn sixel_through_tmux_is_drawn_at_exactly_the_cells_it_covers() {
    let home = home_with_a_job();
    let bin = fake_tmux(&home.path().join("on"), "on");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let env = [("TMUX", "/tmp/tmux-1/default,1,0"), ("PATH", path.as_str())];
    let (code, text, out) = show(Terminal::SixelXterm, home.path(), &["--graphics", "sixel", "--width", "20"], &env);
    assert_eq!(code, 0, "{text}");
    // Wrapped for passthrough: every ESC inside doubled.
    let head = b"\x1bPtmux;\x1b\x1bPq\"";
    assert!(has(&out, head), "{}", text.escape_debug());
    let at = text.find("\x1bPtmux;\x1b\x1bPq\"").unwrap() + head.len();
    let raster: Vec<u32> =
        text[at..].split(|c: char| !c.is_ascii_digit()).take(4).map(|n| n.parse().unwrap()).collect();
    // 20 columns of the 8x17 cells the terminal answered; a square image is 160 pixels
    // tall, which is 9 rows (153 pixels): exactly the cells reserved for it.
    assert_eq!((raster[2], raster[3]), (160, 153), "{raster:?}");
}

#[test]
fn ctrl_c_while_asked_stops_and_what_needs_no_answer_asks_nothing() {
    let home = home_with_a_job();
    let (code, out) =
        FakeTerminal::spawn(Terminal::CtrlC, home.path(), &["show", "1", "--graphics", "kitty"], &[], true).finish();
    assert_eq!(code, 130, "Ctrl-C in raw mode is a byte, and still stops: {}", String::from_utf8_lossy(&out));
    assert!(!has(&out, b"image 1 of 2"));
    // Half-blocks forced: no query is sent, so no typed-ahead key is read and no late answer
    // lands at the prompt.
    let (code, _, out) = show(Terminal::Plain, home.path(), &["--graphics", "blocks"], &[]);
    assert_eq!(code, 0);
    assert!(!has(&out, b"\x1b[c") && !has(&out, b"\x1b_G"), "nothing asked");
    // TERM=dumb: captions only, no escape sequence at all.
    let (code, text, out) = show(Terminal::Plain, home.path(), &[], &[("TERM", "dumb")]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("image 2 of 2") && !has(&out, b"\x1b"), "{}", text.escape_debug());
}

#[test]
fn a_terminal_that_reports_no_size_gets_80_columns_or_the_width_asked() {
    let home = home_with_a_job();
    let run = |args: &[&str]| {
        let mut all = vec!["show", "1", "--graphics", "blocks"];
        all.extend_from_slice(args);
        let (code, out) = FakeTerminal::spawn_sized(Terminal::Plain, home.path(), &all, &[], false, (0, 0)).finish();
        assert_eq!(code, 0);
        String::from_utf8_lossy(&out).into_owned()
    };
    let widest = |text: &str| text.lines().map(|l| l.matches('▄').count()).max().unwrap_or(0);
    // 80x24 then: a square picture 22 rows tall (the caption and the prompt keep 2) is 44
    // columns of 10x20-pixel cells. Before, it was one cell.
    assert_eq!(widest(&run(&[])), 44, "0x0 is no size: 80x24");
    assert_eq!(widest(&run(&["--width", "40"])), 40, "--width is honoured");
}

#[test]
fn odd_arguments_are_named() {
    let home = home_with_a_job();
    let junk = home.path().join("notes.png");
    std::fs::write(&junk, b"just text").unwrap();
    let out = imgtui_at(home.path()).args(["show", "", "+1", junk.to_str().unwrap()]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("an empty argument names no job or file"), "{stderr}");
    assert!(stderr.contains("cannot show +1: "), "+1 is a file name, not job 1: {stderr}");
    assert!(stderr.contains("notes.png: not a PNG, JPEG, WebP, GIF or SVG image"), "piped, still checked: {stderr}");
    assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn a_hung_tmux_or_a_damaged_history_only_costs_a_message() {
    let home = home_with_a_job();
    // A tmux that never answers: asked for a second, then passthrough counts as off.
    let bin = home.path().join("hung/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(bin.join("tmux"), "#!/bin/sh\nexec sleep 60\n").unwrap();
    std::fs::set_permissions(bin.join("tmux"), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let env = [("TMUX", "/tmp/tmux-1/default,1,0"), ("PATH", path.as_str())];
    let started = std::time::Instant::now();
    let (code, text, out) = show(Terminal::Kitty, home.path(), &[], &env);
    assert_eq!(code, 0, "{text}");
    assert!(started.elapsed() < std::time::Duration::from_secs(15), "not held by the hung tmux");
    assert!(has(&out, BLOCK.as_bytes()), "half-blocks when tmux does not say");
    // show only looks: a damaged history is named, not moved aside.
    let db = home.path().join("data/imgtui/history.sqlite3");
    let _ = std::fs::remove_file(home.path().join("data/imgtui/history.sqlite3-wal"));
    std::fs::write(&db, vec![0x55; 8192]).unwrap();
    let out = imgtui_at(home.path()).args(["show", "1"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&db).unwrap(), vec![0x55; 8192], "the file is where it was, as it was");
    let moved = std::fs::read_dir(home.path().join("data/imgtui"))
        .unwrap()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().contains("corrupt"));
    assert!(!moved, "nothing moved aside");
}

#[test]
fn a_terminal_that_answers_once_is_asked_once_and_the_picture_is_drawn() {
    let home = home_with_a_job();
    let (code, out) = FakeTerminal::spawn(Terminal::KittyOnce, home.path(), &["show", "1"], &[], true).finish();
    let text = String::from_utf8_lossy(&out);
    assert_eq!(code, 0, "{text}");
    assert_eq!(text.matches("\x1b[c").count(), 1, "one round of questions: {text:?}");
    assert!(has(&out, OWN_KITTY), "{text:?}");
}

#[test]
fn a_signal_while_the_terminal_is_asked_leaves_it_as_it_was() {
    let home = home_with_a_job();
    let commands: [&[&str]; 3] = [&["show", "1"], &["doctor", "--demo"], &["--demo"]];
    let cases = commands.into_iter().flat_map(|args| {
        [rustix::process::Signal::TERM, rustix::process::Signal::HUP].map(move |signal| (args, signal))
    });
    for (args, signal) in cases {
        let mut terminal = FakeTerminal::spawn(Terminal::Silent, home.path(), args, &[], true);
        // The first query means raw mode is on and the wait for an answer has begun.
        let asked = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !terminal.text().contains("\x1b[c") {
            assert!(std::time::Instant::now() < asked, "never asked: {}", terminal.text());
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert!(!terminal.cooked(), "raw while asking");
        let pid = rustix::process::Pid::from_raw(terminal.pid() as i32).unwrap();
        rustix::process::kill_process(pid, signal).unwrap();
        let gone = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let code = loop {
            if let Some(code) = terminal.exit_code() {
                break code;
            }
            assert!(std::time::Instant::now() < gone, "{args:?} {signal:?}: still running");
            std::thread::sleep(std::time::Duration::from_millis(5));
        };
        assert!(terminal.cooked(), "{args:?} {signal:?}: echo and line editing back on");
        let expected = if signal == rustix::process::Signal::TERM { 143 } else { 129 };
        assert_eq!(code, expected, "{args:?} {signal:?}: 128 + the signal's number");
    }
}

/// An animated GIF plays where it is printed: kitty is sent each frame once with its time and
/// told to loop them; iTerm2 gets the GIF itself; sixel draws each frame over the last, once,
/// ending on the first; a GIF of one frame is a still picture.
#[test]
fn a_gif_plays_in_each_protocol() {
    let home = tempfile::tempdir().unwrap();
    let picture = imgtui::demo::draw::picture("a fox", 3, 96, 64, false);
    let gif = home.path().join("fox.gif");
    std::fs::write(&gif, imgtui::demo::draw::animate(&picture, 3, 40).unwrap()).unwrap();
    let gif_arg = gif.to_str().unwrap();
    let run = |terminal, graphics: &str| {
        let args = ["show", gif_arg, "--graphics", graphics];
        let (code, out) = FakeTerminal::spawn(terminal, home.path(), &args, &[], true).finish();
        assert_eq!(code, 0, "{graphics}: {}", String::from_utf8_lossy(&out));
        out
    };
    let kitty = run(Terminal::Kitty, "kitty");
    let count = |out: &[u8], needle: &[u8]| out.windows(needle.len()).filter(|w| *w == needle).count();
    // A frame's last chunk repeats its keys and ends it (m=0): one per frame after the first.
    assert_eq!(count(&kitty, b"a=f,f=100,t=d,"), count(&kitty, b"\x1b_Ga=f,"));
    assert_eq!(count(&kitty, b"z=40,q=2,m=0;"), 2, "the two frames after the first, sent once each, with their time");
    assert!(has(&kitty, b"s=3,v=1"), "then looped by kitty itself");
    let iterm = run(Terminal::Plain, "iterm");
    let gif_base64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, std::fs::read(&gif).unwrap());
    assert!(has(&iterm, &gif_base64.as_bytes()[..64]), "iTerm2 is sent the GIF, which it plays");
    let sixel = run(Terminal::SixelXterm, "sixel");
    assert_eq!(count(&sixel, SIXEL), 4, "the first frame, the two others over it, and the first again");
    // A minute a frame: cut short at 10 s, before the wait rather than after it.
    let slow = home.path().join("slow.gif");
    std::fs::write(&slow, imgtui::demo::draw::animate(&picture, 2, 60_000).unwrap()).unwrap();
    let started = std::time::Instant::now();
    let args = ["show", slow.to_str().unwrap(), "--graphics", "sixel"];
    let (code, out) = FakeTerminal::spawn(Terminal::SixelXterm, home.path(), &args, &[], true).finish();
    assert_eq!((code, count(&out, SIXEL)), (0, 1), "the first frame only");
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "{:?}", started.elapsed());
    // One frame: a still picture, drawn once.
    let still = home.path().join("still.gif");
    std::fs::write(&still, imgtui::demo::draw::animate(&picture, 1, 40).unwrap()).unwrap();
    let args = ["show", still.to_str().unwrap(), "--graphics", "sixel"];
    let (code, out) = FakeTerminal::spawn(Terminal::SixelXterm, home.path(), &args, &[], true).finish();
    assert_eq!((code, count(&out, SIXEL)), (0, 1));
}
