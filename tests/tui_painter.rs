//! The mask painter through `update()` and the renderer: `m` on the Mask row opens it over the
//! first input image; keys paint; Enter saves (the runner's answer makes it the form's mask);
//! Esc asks before dropping; at 80x24 with half-blocks the picture fills the screen, tinted
//! where painted.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use imgtui::api::validate::InputFile;
use imgtui::config::theme::Theme;
use imgtui::preview::{CellSize, Graphics};
use imgtui::tui::event::{AppEvent, Command, FileAsk, Msg};
use imgtui::tui::state::{Field, Focus, JobMode, Layer, State};
use imgtui::tui::ui::{self, RenderInfo};
use imgtui::tui::update::update;
use ratatui::{Terminal, backend::TestBackend};

use common::tui::state;

fn key(s: &mut State, code: KeyCode) -> Vec<Command> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

/// Edit mode with `image` as the first input (its facts read), the Mask row selected, an
/// 80x24 screen of 10x20-pixel cells.
fn editing(image: &Path) -> State {
    let mut s = state();
    s.env.graphics = Graphics::Blocks;
    update(&mut s, Msg::Resize(80, 24));
    update(&mut s, Msg::CellSize(CellSize::default()));
    s.compose.form.switch_mode(JobMode::Edit, &s.env.catalog);
    s.compose.form.images = vec![image.to_path_buf()];
    let facts = vec![(image.to_path_buf(), InputFile::inspect(image, false))];
    update(&mut s, Msg::App(AppEvent::FilesInspected(facts)));
    s.layers.focus = Focus::Settings;
    s.compose.form.selected = s
        .compose
        .form
        .fields(Some(s.env.catalog.spec(&s.compose.form.model)))
        .iter()
        .position(|f| *f == Field::Mask)
        .unwrap();
    s
}

fn photo(dir: &Path) -> PathBuf {
    common::write_gradient_png(dir, "photo.png", (1536, 1024))
}

/// A frame as the app draws it, with the wanted pictures prepared as the runner would.
fn frame(s: &mut State) -> (String, RenderInfo) {
    common::tui::drawn(s, 80, 24)
}

#[test]
fn m_opens_the_painter_over_the_first_image_and_a_rectangle_is_saved_as_the_mask() {
    let dir = tempfile::tempdir().unwrap();
    let image = photo(dir.path());
    let mut s = editing(&image);
    key(&mut s, KeyCode::Char('m'));
    let view = s.layers.painter().expect("the painter is open");
    assert_eq!(view.image, image);
    let grid = view.painter.grid;
    assert!(grid.rows >= 22, "the picture gets the screen but the status row: {grid:?}");
    let (screen, info) = frame(&mut s);
    let picture_rows = screen.lines().filter(|l| l.matches('▀').count() > 20).count();
    assert!(picture_rows >= 22, "half-blocks fill the screen:\n{screen}");
    assert!(screen.lines().last().unwrap().contains("Mask"), "{screen}");
    assert_eq!(info.pictures[0].key.path, image);

    // A rectangle from the cursor, 10 right and 4 down, fixed with Enter.
    let start = s.layers.painter().unwrap().painter.cursor;
    key(&mut s, KeyCode::Char('r'));
    for _ in 0..10 {
        key(&mut s, KeyCode::Right);
    }
    for _ in 0..4 {
        key(&mut s, KeyCode::Down);
    }
    key(&mut s, KeyCode::Enter);
    let painter = &s.layers.painter().unwrap().painter;
    let expected = painter.grid.pixels_of(start, (start.0 + 10, start.1 + 4));
    let plan = painter.plan();
    assert_eq!(plan.ops.len(), 1);
    let tinted = frame(&mut s).1.pictures[0].key.overlay.clone().unwrap();
    assert!(*tinted.painted == plan.painted(), "the picture shows what is painted");

    // Enter again saves: the runner is asked to write the plan.
    let commands = key(&mut s, KeyCode::Enter);
    let Some(Command::SaveMask { plan: saved, image: for_image }) = commands.first() else { panic!("{commands:?}") };
    assert_eq!((saved, for_image), (&plan, &image));
    let mask = saved.to_image();
    assert_eq!(mask.dimensions(), (1536, 1024));
    assert_eq!(mask.get_pixel(expected.x0, expected.y0)[3], 0);
    assert_eq!(mask.get_pixel(expected.x1, expected.y1)[3], 255);
    assert!(s.layers.painter().is_some(), "open until the file is written");
    let path = dir.path().join("masks/m.png");
    let commands = update(&mut s, Msg::App(AppEvent::MaskSaved { path: path.clone(), share: saved.coverage() }));
    assert!(s.layers.painter().is_none());
    assert_eq!(s.compose.form.mask.as_ref(), Some(&path));
    assert!(
        commands.contains(&Command::Files(FileAsk::InspectFiles { paths: vec![path.clone()], masks: true })),
        "{commands:?}"
    );
    // The same file saved again: previews of it are keyed anew, so old pixels are not shown.
    let before = s.previews.version_of(&path);
    update(&mut s, Msg::App(AppEvent::MaskSaved { path: path.clone(), share: 0.5 }));
    assert_eq!(s.previews.version_of(&path), before + 1);
}

#[test]
fn esc_asks_before_dropping_paint_and_a_failed_save_keeps_the_painter() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = editing(&photo(dir.path()));
    key(&mut s, KeyCode::Char('m'));
    key(&mut s, KeyCode::Esc);
    assert!(s.layers.painter().is_none(), "nothing painted: Esc leaves at once");
    key(&mut s, KeyCode::Char('m'));
    key(&mut s, KeyCode::Char(' '));
    key(&mut s, KeyCode::Right);
    key(&mut s, KeyCode::Char(' '));
    key(&mut s, KeyCode::Esc);
    assert!(matches!(s.layers.popup(), Some(Layer::Confirm(_))), "painted: Esc asks");
    let (width, height) = s.env.screen;
    let (screen, _) = common::tui::drawn(&mut s, width, height);
    let last = screen.lines().last().unwrap_or_default().to_string();
    assert!(last.contains("y yes · n no") && !last.contains("back"), "the question's keys on the row: {last}");
    key(&mut s, KeyCode::Char('n'));
    assert!(s.layers.painter().is_some(), "no: still painting");
    update(&mut s, Msg::App(AppEvent::MaskNotSaved("disk full".into())));
    assert!(s.layers.painter().is_some() && s.status.notice.as_ref().unwrap().0.contains("disk full"));
    key(&mut s, KeyCode::Esc);
    common::tui::read_the_question(&mut s);
    key(&mut s, KeyCode::Char('y'));
    assert!(s.layers.painter().is_none(), "yes: dropped");
}

#[test]
fn undo_redo_shift_moves_mouse_drags_and_the_keys_that_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = editing(&photo(dir.path()));
    key(&mut s, KeyCode::Char('m'));
    let before = s.layers.painter().unwrap().painter.cursor;
    update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Right, KeyModifiers::SHIFT)));
    assert_eq!(s.layers.painter().unwrap().painter.cursor.0, before.0 + 8, "Shift-→ moves 8 cells");
    // A mouse drag paints the cells under it; releasing ends one stroke.
    let rect = s.layers.painter().unwrap().picture_rect(s.env.screen);
    let at = |kind, x: u16| MouseEvent { kind, column: rect.x + x, row: rect.y + 2, modifiers: KeyModifiers::NONE };
    update(&mut s, Msg::Mouse(at(MouseEventKind::Down(MouseButton::Left), 3), std::time::Instant::now()));
    update(&mut s, Msg::Mouse(at(MouseEventKind::Drag(MouseButton::Left), 9), std::time::Instant::now()));
    update(&mut s, Msg::Mouse(at(MouseEventKind::Up(MouseButton::Left), 9), std::time::Instant::now()));
    let painted = s.layers.painter().unwrap().painter.plan().coverage();
    assert!(painted > 0.0);
    key(&mut s, KeyCode::Char('u'));
    assert_eq!(s.layers.painter().unwrap().painter.plan().coverage(), 0.0, "u undoes the stroke");
    key(&mut s, KeyCode::Char('U'));
    assert_eq!(s.layers.painter().unwrap().painter.plan().coverage(), painted, "U redoes it");
    // The prompt's pair works here too: Ctrl-/ (Ctrl-7 on the wire) and Alt-/.
    update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Char('7'), KeyModifiers::CONTROL)));
    assert_eq!(s.layers.painter().unwrap().painter.plan().coverage(), 0.0, "Ctrl-/ undoes");
    update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Char('/'), KeyModifiers::ALT)));
    assert_eq!(s.layers.painter().unwrap().painter.plan().coverage(), painted, "Alt-/ redoes");
    key(&mut s, KeyCode::Char('I'));
    assert!((s.layers.painter().unwrap().painter.plan().coverage() - (1.0 - painted)).abs() < 1e-9);
    key(&mut s, KeyCode::Char('X'));
    assert!(key(&mut s, KeyCode::Enter).is_empty(), "nothing painted: nothing saved");
    assert!(s.status.notice.as_ref().unwrap().0.contains("nothing painted"));
    // A click outside the picture paints nothing.
    update(
        &mut s,
        Msg::Mouse(
            MouseEvent {
                kind: MouseEventKind::Down(MouseButton::Left),
                column: 0,
                row: 23,
                modifiers: KeyModifiers::NONE,
            },
            std::time::Instant::now(),
        ),
    );
    assert_eq!(s.layers.painter().unwrap().painter.plan().coverage(), 0.0);
}

#[test]
fn m_refuses_with_a_reason_without_an_image_or_outside_edit_mode() {
    let mut s = state();
    s.layers.focus = Focus::Settings;
    key(&mut s, KeyCode::Char('m'));
    assert!(s.layers.painter().is_none() && s.status.notice.as_ref().unwrap().0.contains("edit"));
    s.compose.form.switch_mode(JobMode::Edit, &s.env.catalog);
    key(&mut s, KeyCode::Char('m'));
    assert!(s.layers.painter().is_none() && s.status.notice.as_ref().unwrap().0.contains("add an input image"));
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.png");
    std::fs::write(&broken, b"\x89PNG\r\n\x1a\nnot really").unwrap();
    let mut s = editing(&broken);
    key(&mut s, KeyCode::Char('m'));
    assert!(
        s.layers.painter().is_none() && s.status.notice.as_ref().unwrap().0.contains("cannot paint over"),
        "{:?}",
        s.status.notice
    );
}

#[test]
fn with_a_mask_the_outside_row_chooses_to_keep_the_original_and_the_request_carries_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = editing(&photo(dir.path()));
    let fields = |s: &State| s.compose.form.fields(Some(s.env.catalog.spec(&s.compose.form.model)));
    assert!(!fields(&s).contains(&Field::KeepUnmasked), "no mask: no row");
    let mask = dir.path().join("mask.png");
    update(&mut s, Msg::App(AppEvent::MaskSaved { path: mask.clone(), share: 0.2 }));
    s.compose.form.selected = fields(&s).iter().position(|f| *f == Field::KeepUnmasked).expect("the Outside row");
    let request = |s: &State| match s.request() {
        imgtui::store::ImageRequest::Edit(e) => e,
        other => panic!("{other:?}"),
    };
    assert!(!request(&s).keep_unmasked, "as returned by default");
    key(&mut s, KeyCode::Right);
    assert!(request(&s).keep_unmasked, "→: keep the original");
    // Without the mask, nothing to keep: the request does not ask for it.
    s.compose.form.mask = None;
    assert!(!request(&s).keep_unmasked);
}

#[test]
fn a_fast_mouse_drag_paints_every_cell_between_the_reported_ones() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = editing(&photo(dir.path()));
    key(&mut s, KeyCode::Char('m'));
    let rect = s.layers.painter().unwrap().picture_rect(s.env.screen);
    let at = |kind, x: u16, y: u16| {
        Msg::Mouse(
            MouseEvent { kind, column: rect.x + x, row: rect.y + y, modifiers: KeyModifiers::NONE },
            std::time::Instant::now(),
        )
    };
    update(&mut s, at(MouseEventKind::Down(MouseButton::Left), 2, 2));
    update(&mut s, at(MouseEventKind::Drag(MouseButton::Left), 12, 2));
    update(&mut s, at(MouseEventKind::Drag(MouseButton::Left), 12, 9));
    update(&mut s, at(MouseEventKind::Up(MouseButton::Left), 12, 9));
    let painter = &s.layers.painter().unwrap().painter;
    let mask = painter.plan().to_image();
    for cell in (2..=12).map(|x| (x, 2)).chain((2..=9).map(|y| (12, y))) {
        let r = painter.grid.pixels_of(cell, cell);
        assert_eq!(mask.get_pixel(r.x0, r.y0)[3], 0, "cell {cell:?} painted");
    }
    key(&mut s, KeyCode::Char('u'));
    assert_eq!(s.layers.painter().unwrap().painter.canvas().coverage(), 0.0, "one stroke, one undo");
}

#[test]
fn a_long_stroke_with_a_big_brush_costs_each_move_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = editing(&photo(dir.path()));
    key(&mut s, KeyCode::Char('m'));
    for _ in 0..14 {
        key(&mut s, KeyCode::Char(']'));
    }
    key(&mut s, KeyCode::Char(' '));
    // The UI's side of a move: the key and the frame (the picture is prepared elsewhere).
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut timed = |s: &mut State| {
        let started = std::time::Instant::now();
        for i in 0..40 {
            key(s, if (i / 10) % 2 == 0 { KeyCode::Right } else { KeyCode::Left });
            terminal.draw(|f| drop(ui::render(s, &Theme::dark(), f))).unwrap();
        }
        started.elapsed()
    };
    let first = timed(&mut s);
    for _ in 0..4 {
        timed(&mut s);
    }
    let later = timed(&mut s);
    // Before, each move redrew the whole stroke: the sixth 40 moves took several times the first.
    assert!(later < first * 3, "first 40 moves {first:?}, 40 moves after 200 more {later:?}");
}

#[test]
fn keys_wait_while_the_screen_is_too_small_and_quit_asks_about_a_painted_mask() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = editing(&photo(dir.path()));
    key(&mut s, KeyCode::Char('m'));
    key(&mut s, KeyCode::Char(' '));
    update(&mut s, Msg::Resize(20, 8));
    key(&mut s, KeyCode::Char(' '));
    key(&mut s, KeyCode::Right);
    let commands = key(&mut s, KeyCode::Enter);
    assert!(commands.is_empty() && s.layers.painter().unwrap().painter.pen_down, "nothing acted on");
    update(&mut s, Msg::Resize(80, 24));
    key(&mut s, KeyCode::Char(' '));
    update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)));
    assert!(matches!(s.layers.popup(), Some(Layer::Confirm(_))) && !s.quit, "Ctrl-C asks: the mask is not saved");
    common::tui::read_the_question(&mut s);
    key(&mut s, KeyCode::Char('y'));
    assert!(s.quit);
}

#[test]
fn the_painter_closes_saying_why_when_its_picture_cannot_be_made_and_refuses_huge_images() {
    let dir = tempfile::tempdir().unwrap();
    let image = photo(dir.path());
    let mut s = editing(&image);
    key(&mut s, KeyCode::Char('m'));
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut info = RenderInfo::default();
    terminal.draw(|f| info = ui::render(&s, &Theme::dark(), f)).unwrap();
    let key_of_picture = info.pictures[0].key.clone();
    let message = format!("cannot show {}: No such file or directory", image.display());
    update(&mut s, Msg::App(AppEvent::PreviewFailed { key: key_of_picture, message }));
    assert!(s.layers.painter().is_none());
    assert!(s.status.notice.as_ref().unwrap().0.contains("the painter closed"), "{:?}", s.status.notice);
    // An image whose header claims 60000x60000 pixels.
    let mut facts = InputFile::inspect(&image, false);
    if let Ok(f) = facts.facts.as_mut() {
        f.width = 60_000;
        f.height = 60_000;
    }
    update(&mut s, Msg::App(AppEvent::FilesInspected(vec![(image.clone(), facts)])));
    key(&mut s, KeyCode::Char('m'));
    assert!(
        s.layers.painter().is_none() && s.status.notice.as_ref().unwrap().0.contains("too large"),
        "{:?}",
        s.status.notice
    );
}

#[test]
fn the_painter_starts_from_the_mask_already_picked() {
    let dir = tempfile::tempdir().unwrap();
    let image = common::write_gradient_png(dir.path(), "photo.png", (200, 100));
    // A mask with its left quarter open for editing.
    let mask = common::write_png(dir.path(), "mask.png", (200, 100), [255, 255, 255, 255], Some((0, 0, 50, 100)));
    let mut s = editing(&image);
    s.compose.form.mask = Some(mask.clone());
    let commands = key(&mut s, KeyCode::Char('m'));
    let read = commands.iter().find_map(|c| match c {
        Command::Files(FileAsk::ReadStartingMask { path, size }) => Some((path.clone(), *size)),
        _ => None,
    });
    assert_eq!(read, Some((mask.clone(), (200, 100))), "{commands:?}");
    // The runner's answer, as it reads the file: painted where the mask is transparent.
    let painted: Vec<bool> = image::open(&mask).unwrap().to_rgba8().pixels().map(|p| p[3] == 0).collect();
    update(&mut s, Msg::App(AppEvent::StartingMask { path: mask, painted: Ok(std::sync::Arc::new(painted)) }));
    let plan = s.layers.painter().unwrap().painter.plan();
    assert!((plan.coverage() - 0.25).abs() < 1e-9, "the picked mask's quarter: {}", plan.coverage());
    assert!((s.layers.painter().unwrap().painter.canvas().coverage() - 0.25).abs() < 1e-9, "shown as painted");
    // A mask of another size is named, and the painting starts empty.
    let other = common::write_png(dir.path(), "small.png", (20, 10), [255, 255, 255, 0], None);
    s.layers.close_painter();
    s.compose.form.mask = Some(other.clone());
    key(&mut s, KeyCode::Char('m'));
    update(
        &mut s,
        Msg::App(AppEvent::StartingMask { path: other, painted: Err("it is 20x10 and the image 200x100".into()) }),
    );
    assert!(s.status.notice.as_ref().unwrap().0.contains("starting empty"), "{:?}", s.status.notice);
    assert_eq!(s.layers.painter().unwrap().painter.plan().coverage(), 0.0);
}

/// gpt-image-2.6's markup: `m` on the Markup row opens the painter in markup mode; the pen, an
/// arrow and a ring are drawn in colour over the picture; Enter saves the markup, which becomes
/// the form's and is sent with the edit; a mask beside it is refused by name.
#[test]
fn m_on_the_markup_row_draws_marks_in_colour_that_become_the_edits_markup() {
    let dir = tempfile::tempdir().unwrap();
    let image = photo(dir.path());
    let mut s = editing(&image);
    let notices = s.compose.form.switch_model("gpt-image-2.6-flare".into(), &s.env.catalog);
    assert!(notices.is_empty(), "{notices:?}");
    let rows = s.compose.form.fields(Some(s.env.catalog.spec(&s.compose.form.model)));
    s.compose.form.selected = rows.iter().position(|f| *f == Field::Markup).expect("2.6 has a Markup row");
    key(&mut s, KeyCode::Char('m'));
    assert!(s.layers.painter().is_some_and(|v| v.marking.is_some()), "markup mode");
    let (screen, _) = frame(&mut s);
    assert!(screen.lines().last().unwrap().contains("markup: Space draws with the pen"), "{screen}");
    s.status.notice = None;
    let (screen, _) = frame(&mut s);
    assert!(screen.lines().last().unwrap().contains("Markup · pen · red"), "{screen}");

    // A pen line (Space, move, Space), an arrow (>, move, Enter), a ring in the next colour (#).
    key(&mut s, KeyCode::Char(' '));
    for _ in 0..6 {
        key(&mut s, KeyCode::Right);
    }
    key(&mut s, KeyCode::Char(' '));
    key(&mut s, KeyCode::Char('>'));
    for _ in 0..5 {
        key(&mut s, KeyCode::Down);
    }
    assert!(frame(&mut s).0.lines().last().unwrap().contains("arrow"));
    key(&mut s, KeyCode::Enter);
    key(&mut s, KeyCode::Char('#'));
    key(&mut s, KeyCode::Char('o'));
    key(&mut s, KeyCode::Left);
    key(&mut s, KeyCode::Left);
    key(&mut s, KeyCode::Enter);
    let info = frame(&mut s).1;
    let shown = info.pictures[0].key.overlay.clone().unwrap().marks.clone().expect("the marks are drawn");
    assert_eq!(shown.plan.marks.len(), 3);
    assert_eq!(shown.plan.marks[2].colour, imgtui::mask::markup::Colour::Yellow);
    // u undoes the ring; U brings it back.
    key(&mut s, KeyCode::Char('u'));
    key(&mut s, KeyCode::Char('U'));

    let commands = key(&mut s, KeyCode::Enter);
    let Some(Command::SaveMarkup { plan, image: for_image }) = commands.first() else { panic!("{commands:?}") };
    assert_eq!((plan.marks.len(), for_image), (3, &image));
    let png = plan.to_image().unwrap();
    assert_eq!(png.dimensions(), (1536, 1024));
    assert!(png.pixels().any(|p| p[3] == 255) && png.pixels().any(|p| p[3] == 0), "marks on transparency");

    let path = dir.path().join("marks.png");
    std::fs::write(&path, plan.to_png().unwrap()).unwrap();
    let commands = update(&mut s, Msg::App(AppEvent::MarkupSaved { path: path.clone(), marks: 3 }));
    assert!(s.layers.painter().is_none());
    assert_eq!(s.compose.form.markup.as_ref(), Some(&path));
    assert!(commands.contains(&Command::Files(FileAsk::InspectFiles { paths: vec![path.clone()], masks: true })));
    let facts = vec![(path.clone(), InputFile::inspect(&path, true))];
    update(&mut s, Msg::App(AppEvent::FilesInspected(facts)));
    let imgtui::store::ImageRequest::Edit(edit) = s.request() else { panic!("an edit") };
    assert_eq!(edit.markup.as_ref(), Some(&path));
    assert!(s.compose.errors.iter().all(|e| e.param != imgtui::api::Param::Markup), "{:?}", s.compose.errors);
    // With a mask too: refused under the Markup row, naming why, even before any file is read.
    s.compose.input_facts.remove(&path);
    s.compose.form.mask = Some(path.clone());
    s.compose.form.options.output_format = Some("gif".into());
    s.revalidate();
    assert!(
        s.compose.errors.iter().any(|e| e.to_string().contains("a GIF answer takes no mask")),
        "{:?}",
        s.compose.errors
    );
    assert!(
        s.compose.errors.iter().any(|e| e.to_string().contains("markup and a mask cannot go together")),
        "{:?}",
        s.compose.errors
    );
}

/// Markup picked before is where the painter's markup mode starts: its marks are kept under the
/// new ones, and saved with them.
#[test]
fn the_markup_painter_draws_over_the_markup_already_picked() {
    let dir = tempfile::tempdir().unwrap();
    let image = photo(dir.path());
    let mut s = editing(&image);
    s.compose.form.switch_model("gpt-image-2.6-flare".into(), &s.env.catalog);
    let mut earlier = imgtui::mask::markup::MarkupPlan::new(1536, 1024);
    let ring = imgtui::mask::PixelRect { x0: 100, y0: 100, x1: 300, y1: 300 };
    let colour = imgtui::mask::markup::Colour::Green;
    earlier.marks.push(imgtui::mask::markup::Mark {
        kind: imgtui::mask::markup::MarkKind::Ellipse(ring),
        colour,
        width: 8.0,
    });
    let path = dir.path().join("earlier.png");
    std::fs::write(&path, earlier.to_png().unwrap()).unwrap();
    s.compose.form.markup = Some(path.clone());
    let rows = s.compose.form.fields(Some(s.env.catalog.spec(&s.compose.form.model)));
    s.compose.form.selected = rows.iter().position(|f| *f == Field::Markup).unwrap();
    let commands = key(&mut s, KeyCode::Char('m'));
    let Some(Command::Files(FileAsk::ReadStartingMarkup { path: asked, size })) = commands.first() else {
        panic!("{commands:?}")
    };
    assert_eq!((asked, *size), (&path, (1536, 1024)));
    let pixels = image::open(&path).unwrap().into_rgba8();
    update(&mut s, Msg::App(AppEvent::StartingMarkup { path: path.clone(), pixels: Ok(std::sync::Arc::new(pixels)) }));
    // Enter at once: the markup started from is saved again, with nothing added.
    let commands = key(&mut s, KeyCode::Enter);
    let Some(Command::SaveMarkup { plan, .. }) = commands.first() else { panic!("{commands:?}") };
    let drawn = plan.to_image().unwrap();
    assert_eq!(drawn.get_pixel(100, 200)[3], 255, "the earlier ring is in the saved markup");
    // One of another size is said, and the drawing starts empty.
    update(&mut s, Msg::App(AppEvent::StartingMarkup { path: path.clone(), pixels: Err("it is 8x8".into()) }));
}
