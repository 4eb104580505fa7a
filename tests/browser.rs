//! The file browser on a real temp tree: order, hidden files, broken links, link loops,
//! non-UTF-8 names, a 50,000-entry directory, files that vanish, and the browser's state as
//! `update()` drives it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use imgtui::api::ModelTable;
use imgtui::api::validate::InputFile;
use imgtui::browse::{self, EntryKind};
use imgtui::tui::event::{AppEvent, Command, FileAsk, Msg};
use imgtui::tui::keymap::Keymap;
use imgtui::tui::state::browser::Row;
use imgtui::tui::state::{Field, Focus, JobMode, State};
use imgtui::tui::update::update;

/// A tree with every case: dirs, natural-order names, hidden files, images, a broken link, a
/// link loop, a link to a dir, a non-UTF-8 name.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for sub in ["photos", "Archive", "2024"] {
        std::fs::create_dir(d.join(sub)).unwrap();
    }
    common::write_png(d, "img10.png", (64, 64), [1, 2, 3, 255], None);
    common::write_png(d, "img2.png", (64, 64), [1, 2, 3, 255], None);
    common::write_png(d, "wide.png", (300, 200), [1, 2, 3, 255], None);
    common::write_jpeg(d, "photo.jpg", (64, 64));
    common::write_png(d, ".hidden.png", (8, 8), [0, 0, 0, 0], None);
    std::fs::write(d.join("notes.txt"), "not an image").unwrap();
    std::os::unix::fs::symlink(d.join("missing-target.png"), d.join("broken.png")).unwrap();
    std::os::unix::fs::symlink(d.join("loop-b"), d.join("loop-a")).unwrap();
    std::os::unix::fs::symlink(d.join("loop-a"), d.join("loop-b")).unwrap();
    std::os::unix::fs::symlink(d.join("photos"), d.join("to-photos")).unwrap();
    let raw = std::ffi::OsStr::from_bytes(b"caf\xe9-latin1.png");
    common::write_png(d, raw.to_str().unwrap_or("x"), (4, 4), [0, 0, 0, 255], None);
    std::fs::write(d.join(raw), b"\x89PNG\r\n\x1a\n").unwrap();
    dir
}

#[test]
fn listing_sorts_dirs_first_in_natural_order_and_classifies_every_entry() {
    let dir = tree();
    let entries = browse::list_dir(dir.path()).unwrap();
    let names: Vec<_> = entries.iter().map(|e| e.name.as_str()).collect();
    let dirs: Vec<_> = entries.iter().filter(|e| e.kind == EntryKind::Dir).map(|e| e.name.as_str()).collect();
    assert_eq!(dirs, ["2024", "Archive", "photos", "to-photos"], "dirs first, natural, case-insensitive");
    let at = |n: &str| names.iter().position(|x| *x == n).unwrap();
    assert!(at("img2.png") < at("img10.png"), "natural order: {names:?}");
    let kind = |n: &str| entries.iter().find(|e| e.name == n).unwrap().kind;
    assert_eq!(kind("broken.png"), EntryKind::BrokenLink);
    assert_eq!(kind("loop-a"), EntryKind::BrokenLink, "a link loop is listed, not followed forever");
    assert!(entries.iter().find(|e| e.name == "to-photos").unwrap().is_link);
    let latin1 = entries.iter().find(|e| e.name.starts_with("caf")).unwrap();
    assert_eq!(latin1.name, "caf\u{fffd}-latin1.png", "shown lossily");
    assert_eq!(latin1.path.file_name().unwrap().as_bytes(), b"caf\xe9-latin1.png", "but the real name is kept");
}

#[test]
fn a_path_that_is_not_a_directory_is_an_error_not_a_panic() {
    let dir = tree();
    let err = browse::list_dir(&dir.path().join("notes.txt")).unwrap_err();
    assert!(err.starts_with("cannot read") && err.contains("notes.txt"), "{err}");
    assert!(browse::list_dir(&dir.path().join("nope")).is_err());
}

#[test]
fn fifty_thousand_entries_list_and_filter() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..50_000 {
        std::fs::File::create(dir.path().join(format!("frame{i}.png"))).unwrap();
    }
    let entries = browse::list_dir(dir.path()).unwrap();
    assert_eq!(entries.len(), 50_000);
    assert_eq!(entries[0].name, "frame0.png");
    assert_eq!(entries[49_999].name, "frame49999.png");
    let mut s = state_in(dir.path());
    let commands = open_browser(&mut s);
    deliver_listing(&mut s, &commands);
    for c in "frame4999".chars() {
        update(&mut s, key(KeyCode::Char(c)));
    }
    let visible = s.layers.browser().unwrap().visible().len();
    assert_eq!(visible, 11, "frame4999 and frame49990..49999");
}

#[test]
fn completion_extends_to_the_longest_common_prefix() {
    let dir = tree();
    let base = dir.path().display().to_string();
    assert_eq!(browse::complete(&format!("{base}/pho"), None), format!("{base}/photo"));
    assert_eq!(browse::complete(&format!("{base}/Arch"), None), format!("{base}/Archive/"));
    assert_eq!(browse::complete(&format!("{base}/zzz"), None), format!("{base}/zzz"));
    assert_eq!(browse::complete("~/x", Some(Path::new("/nonexistent-home"))), "~/x");
}

// ---- the browser in the app's state ----

fn state_in(dir: &Path) -> State {
    let mut s = State::new(
        imgtui::catalog::ModelCatalog::builtin(ModelTable::builtin(), imgtui::api::Provider::Demo, "test"),
        Keymap::builtin(),
        "gpt-image-1".into(),
        "demo".into(),
    );
    s.compose.start_dir = dir.to_path_buf();
    s
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Edit mode, focus on the settings' first image row, Enter: the browser opens.
fn open_browser(s: &mut State) -> Vec<Command> {
    s.compose.form.switch_mode(JobMode::Edit, &s.env.catalog);
    s.layers.focus = Focus::Settings;
    s.compose.form.selected = s
        .compose
        .form
        .fields(Some(s.env.catalog.spec(&s.compose.form.model)))
        .iter()
        .position(|f| *f == Field::AddImage)
        .unwrap();
    update(s, key(KeyCode::Enter))
}

/// Carries out the ListDir/InspectFiles commands the way the runner would, synchronously.
fn deliver_listing(s: &mut State, commands: &[Command]) {
    for command in commands {
        match command {
            Command::Files(FileAsk::ListDir { dir, generation }) => {
                let listing = browse::list_dir(dir);
                let more = update(s, Msg::App(AppEvent::DirListed { generation: *generation, listing }));
                deliver_listing(s, &more);
            }
            Command::Files(FileAsk::InspectFiles { paths, masks }) => {
                let files = paths.iter().map(|p| (p.clone(), InputFile::inspect(p, *masks))).collect();
                update(s, Msg::App(AppEvent::FilesInspected(files)));
            }
            _ => {}
        }
    }
}

fn names(s: &State) -> Vec<String> {
    s.layers
        .browser()
        .unwrap()
        .visible()
        .iter()
        .map(|r| match r {
            Row::Parent => "..".to_string(),
            Row::Entry(e) => e.name.clone(),
        })
        .collect()
}

#[test]
fn open_filter_toggle_hidden_and_pick() {
    let dir = tree();
    let mut s = state_in(dir.path());
    let commands = open_browser(&mut s);
    assert!(matches!(commands.as_slice(), [Command::Files(FileAsk::ListDir { dir: d, .. })] if d == dir.path()));
    deliver_listing(&mut s, &commands);
    let shown = names(&s);
    assert_eq!(shown[0], "..");
    assert!(!shown.contains(&".hidden.png".to_string()));
    let b = s.layers.browser().unwrap();
    let facts = b.facts.get(&dir.path().join("wide.png")).expect("facts read for rows on screen");
    assert_eq!(facts.facts.as_ref().map(|f| (f.width, f.height)), Ok((300, 200)));

    update(&mut s, key(KeyCode::Char('.')));
    assert!(names(&s).contains(&".hidden.png".to_string()), "`.` shows hidden files");
    update(&mut s, key(KeyCode::Char('.')));

    for c in "img".chars() {
        update(&mut s, key(KeyCode::Char(c)));
    }
    assert_eq!(names(&s), ["img2.png", "img10.png"]);
    update(&mut s, key(KeyCode::Down));
    let commands = update(&mut s, key(KeyCode::Enter));
    assert!(s.layers.browser().is_none(), "picking closes the browser");
    assert_eq!(s.compose.form.images, [dir.path().join("img10.png")]);
    deliver_listing(&mut s, &commands);
    assert!(s.compose.input_facts.contains_key(&dir.path().join("img10.png")));
    assert_eq!(
        s.compose.browser_dirs.get(&imgtui::tui::state::browser::InputKind::Image),
        Some(&dir.path().to_path_buf()),
        "the directory is remembered"
    );
}

#[test]
fn directories_backspace_and_stale_listings() {
    let dir = tree();
    let mut s = state_in(dir.path());
    let commands = open_browser(&mut s);
    let Command::Files(FileAsk::ListDir { generation: first, .. }) = commands[0].clone() else { panic!() };
    // Enter a directory before the first listing arrives: that listing is now stale.
    deliver_listing(&mut s, &commands);
    let at = names(&s).iter().position(|n| n == "photos").unwrap();
    s.layers.browser_mut().unwrap().selected = at;
    let into = update(&mut s, key(KeyCode::Enter));
    let Command::Files(FileAsk::ListDir { dir: photos, generation }) = into[0].clone() else { panic!("{into:?}") };
    assert_eq!(photos, dir.path().join("photos"));
    update(&mut s, Msg::App(AppEvent::DirListed { generation: first, listing: browse::list_dir(dir.path()) }));
    assert!(s.layers.browser().unwrap().entries.is_none(), "a stale listing is dropped");
    update(&mut s, Msg::App(AppEvent::DirListed { generation, listing: Ok(vec![]) }));
    assert_eq!(names(&s), [".."]);
    let up = update(&mut s, key(KeyCode::Backspace));
    assert!(
        matches!(up.as_slice(), [Command::Files(FileAsk::ListDir { dir: d, .. })] if d == dir.path()),
        "Backspace goes up"
    );
    assert_eq!(update(&mut s, key(KeyCode::Esc)), []);
    assert!(s.layers.browser().is_none());
}

#[test]
fn broken_links_are_refused_and_vanished_files_are_reported() {
    let dir = tree();
    let mut s = state_in(dir.path());
    let commands = open_browser(&mut s);
    deliver_listing(&mut s, &commands);
    let at = names(&s).iter().position(|n| n == "broken.png").unwrap();
    s.layers.browser_mut().unwrap().selected = at;
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty());
    assert!(s.layers.browser().is_some() && s.status.notice.as_ref().unwrap().0.contains("broken link"));

    // A file that vanishes between the listing and the pick.
    let doomed = common::write_png(dir.path(), "doomed.png", (64, 64), [1, 1, 1, 255], None);
    s.layers.close_browser();
    let commands = open_browser(&mut s);
    deliver_listing(&mut s, &commands);
    let at = names(&s).iter().position(|n| n == "doomed.png").unwrap();
    s.layers.browser_mut().unwrap().selected = at;
    std::fs::remove_file(&doomed).unwrap();
    let commands = update(&mut s, key(KeyCode::Enter));
    deliver_listing(&mut s, &commands);
    let errors: Vec<_> = s.errors_for(imgtui::api::Param::Image).map(|e| e.message()).collect();
    assert!(errors.iter().any(|e| e.contains("doomed.png: cannot read it")), "{errors:?}");
}

#[test]
fn dall_e_2_refusals_show_in_the_list_and_the_mask_is_checked_against_the_image() {
    let dir = tree();
    let mut s = state_in(dir.path());
    s.compose.form.switch_mode(JobMode::Edit, &s.env.catalog);
    s.compose.form.switch_model("dall-e-2".into(), &s.env.catalog);
    let commands = open_browser(&mut s);
    deliver_listing(&mut s, &commands);
    let b = s.layers.browser().unwrap();
    let spec = s.env.catalog.spec("dall-e-2");
    let wide = b.facts.get(&dir.path().join("wide.png")).unwrap().clone();
    let verdict = imgtui::api::validate::check_edit_inputs(spec, &[wide], None, None);
    assert!(verdict[0].message().ends_with("is 300x200; dall-e-2 needs a square image"));
    // Pick img2.png, then a mask of the wrong size: both sizes are named before submit.
    s.layers.close_browser();
    s.compose.form.images = vec![dir.path().join("img2.png")];
    let mask = common::write_png(dir.path(), "mask.png", (32, 32), [0, 0, 0, 255], Some((0, 0, 8, 8)));
    s.compose.form.mask = Some(mask.clone());
    let files = vec![
        (s.compose.form.images[0].clone(), InputFile::inspect(&s.compose.form.images[0], false)),
        (mask.clone(), InputFile::inspect(&mask, true)),
    ];
    update(&mut s, Msg::App(AppEvent::FilesInspected(files)));
    let errors: Vec<_> = s.errors_for(imgtui::api::Param::Mask).map(|e| e.message()).collect();
    assert_eq!(
        errors,
        [format!("{} is 32x32 but the first image is 64x64; they must be the same size", mask.display())]
    );
    assert!(update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL))).is_empty());
}

#[test]
fn a_checked_mask_stays_valid_when_the_browser_lists_its_folder_again() {
    let dir = tempfile::tempdir().unwrap();
    let image = common::write_png(dir.path(), "red1024.png", (64, 64), [200, 0, 0, 255], None);
    let mask = common::write_png(dir.path(), "mask1024.png", (64, 64), [0, 0, 0, 255], Some((0, 0, 8, 8)));
    let mut s = state_in(dir.path());
    s.compose.prompt.insert_str("a hat");
    s.compose.form.switch_mode(JobMode::Edit, &s.env.catalog);
    s.compose.form.images = vec![image.clone()];
    s.compose.form.mask = Some(mask.clone());
    // The picks' own checks: the image's header, the mask's pixels.
    deliver_listing(
        &mut s,
        &[
            Command::Files(FileAsk::InspectFiles { paths: vec![image], masks: false }),
            Command::Files(FileAsk::InspectFiles { paths: vec![mask.clone()], masks: true }),
        ],
    );
    assert!(s.compose.errors.is_empty(), "{:?}", s.compose.errors);
    // `+ add an image` opens the browser on the same folder: its listing reads headers only.
    let commands = open_browser(&mut s);
    deliver_listing(&mut s, &commands);
    update(&mut s, key(KeyCode::Esc));
    assert!(s.compose.errors.is_empty(), "the mask is still valid: {:?}", s.compose.errors);
    assert_eq!(s.compose.input_facts[&mask].has_transparent_pixel(), Some(true));
}

#[test]
fn the_folder_line_keeps_its_end_and_one_match_is_not_nothing() {
    let root = tempfile::tempdir().unwrap();
    let deep =
        root.path().join("a-rather-long-folder-name-to-push-things").join("another-long-one").join("current-folder");
    std::fs::create_dir_all(&deep).unwrap();
    common::write_png(&deep, "only-one.png", (8, 8), [1, 2, 3, 255], None);
    common::write_png(&deep, "other.png", (8, 8), [1, 2, 3, 255], None);
    let mut s = state_in(&deep);
    let commands = open_browser(&mut s);
    deliver_listing(&mut s, &commands);
    for c in "only".chars() {
        update(&mut s, key(KeyCode::Char(c)));
    }
    assert_eq!(names(&s), ["only-one.png"]);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|frame| {
            imgtui::tui::ui::render(&s, &imgtui::config::theme::Theme::dark(), frame);
        })
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    let text: String = (0..24).map(|y| (0..80).map(|x| buffer[(x, y)].symbol()).collect::<String>() + "\n").collect();
    assert!(text.contains("current-folder"), "the folder one is in: {text}");
    assert!(!text.contains("nothing matches"), "{text}");
}

#[test]
fn the_path_line_starts_over_at_a_typed_slash_or_tilde_and_a_stale_message_goes() {
    let dir = tree();
    let mut s = state_in(dir.path());
    let commands = open_browser(&mut s);
    deliver_listing(&mut s, &commands);
    let typed = |s: &State| s.layers.browser().unwrap().path_input.clone();
    let type_in = |s: &mut State, text: &str| {
        for c in text.chars() {
            update(s, key(KeyCode::Char(c)));
        }
    };
    update(&mut s, key(KeyCode::Char('/')));
    assert_eq!(typed(&s), Some(format!("{}/", dir.path().display())), "opens on the folder shown");
    // An absolute path typed over the prefill starts over, as in shells and editors.
    type_in(&mut s, "/nowhere/");
    assert_eq!(typed(&s).as_deref(), Some("/nowhere/"));
    let commands = update(&mut s, key(KeyCode::Enter));
    assert_eq!(commands, [Command::Files(FileAsk::ResolvePath("/nowhere/".into()))]);
    update(&mut s, Msg::App(AppEvent::PathResolved { path: "/nowhere".into(), kind: None }));
    assert!(s.status.notice.as_ref().unwrap().0.contains("/nowhere does not exist"));
    // `~` after a `/` starts from home; Ctrl-U clears the line.
    update(&mut s, key(KeyCode::Char('/')));
    type_in(&mut s, "~");
    assert_eq!(typed(&s).as_deref(), Some("~"));
    update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)));
    assert_eq!(typed(&s).as_deref(), Some(""));
    // The next folder the browser goes to takes the old message away.
    update(&mut s, key(KeyCode::Esc));
    let sub = names(&s).iter().position(|n| n == "photos").expect("tree() has a photos folder");
    s.layers.browser_mut().unwrap().selected = sub;
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.status.notice, None, "a message about another path does not stay");
}

#[test]
fn odd_names_are_shown_escaped_and_a_fifo_says_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    common::write_png(dir.path(), "new\nline.png", (8, 8), [1, 2, 3, 255], None);
    let fifo = dir.path().join("pipe.png");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let mut s = state_in(dir.path());
    let commands = open_browser(&mut s);
    deliver_listing(&mut s, &commands);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| drop(imgtui::tui::ui::render(&s, &imgtui::config::theme::Theme::dark(), f))).unwrap();
    let buffer = terminal.backend().buffer();
    let screen: String =
        (0..40).map(|y| (0..120).map(|x| buffer[(x, y)].symbol()).collect::<String>() + "\n").collect();
    assert!(screen.contains("new\\nline.png"), "the newline is shown as \\n:\n{screen}");
    let pipe = screen.lines().find(|l| l.contains("pipe.png")).unwrap();
    assert!(pipe.contains("not a regular file"), "{pipe}");
}
