//! The full-screen viewer through `update()` and the renderer: opened with `v`, images and jobs
//! with the arrows, the info panel, zoom and pan, back with Esc; at 80x24 with half-blocks the
//! picture fills the screen.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use imgtui::api::GenerateRequest;
use imgtui::preview::Graphics;
use imgtui::store::{ImageRecord, JobStatus};
use imgtui::tui::event::{AppEvent, Command, FileAsk, Msg, StoreAsk};
use imgtui::tui::state::{Focus, State};
use imgtui::tui::ui::RenderInfo;
use imgtui::tui::update::update;

use common::tui::{record, state, summary};

fn key(s: &mut State, code: KeyCode) -> Vec<Command> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn image(dir: &Path, index: usize) -> ImageRecord {
    let path = common::write_gradient_png(dir, &format!("img-{index}.png"), (1536, 1024));
    ImageRecord {
        index,
        path,
        format: Some(imgtui::api::ImageFormat::Png),
        width: Some(1536),
        height: Some(1024),
        bytes: 1000,
        sha256: String::new(),
    }
}

/// Jobs 2 (two images) and 1 in the history, job 2 selected with its details, History focused.
fn with_jobs(dir: &Path) -> State {
    let mut s = state();
    s.env.graphics = Graphics::Blocks;
    let generation = s.jobs.history.first_page().1;
    let rows = vec![summary(2, JobStatus::Done), summary(1, JobStatus::Done)];
    update(&mut s, Msg::App(AppEvent::HistoryPage { rows, append: false, generation }));
    let job = record(2, GenerateRequest::new("gpt-image-1", "a fox in the snow"), vec![image(dir, 0), image(dir, 1)]);
    update(&mut s, Msg::App(AppEvent::Details { record: Box::new(job), missing_files: vec![] }));
    s.layers.focus = Focus::History;
    s
}

/// A frame as the app draws it: the wanted preview is prepared (as the runner would) and the
/// frame drawn again with it.
fn frame(s: &mut State, width: u16, height: u16) -> (String, RenderInfo) {
    common::tui::drawn(s, width, height)
}

/// Edit mode with the browser open on `dir`, listed.
fn browser_in(dir: &Path) -> State {
    let mut s = state();
    s.env.graphics = Graphics::Blocks;
    s.compose.start_dir = dir.to_path_buf();
    s.compose.form.switch_mode(imgtui::tui::state::JobMode::Edit, &s.env.catalog.clone());
    s.layers.focus = Focus::Settings;
    let fields = s.compose.form.fields(Some(s.env.catalog.spec(&s.compose.form.model)));
    s.compose.form.selected = fields.iter().position(|f| *f == imgtui::tui::state::Field::AddImage).unwrap();
    for command in key(&mut s, KeyCode::Enter) {
        if let Command::Files(FileAsk::ListDir { dir, generation }) = command {
            let listing = imgtui::browse::list_dir(&dir);
            update(&mut s, Msg::App(AppEvent::DirListed { generation, listing }));
        }
    }
    s
}

/// The one picture of a frame.
fn one(info: &RenderInfo) -> imgtui::preview::placer::Wanted {
    assert_eq!(info.pictures.len(), 1, "one picture: {:?}", info.pictures);
    info.pictures[0].clone()
}

/// Rows that are mostly half-block pixels.
fn picture_rows(screen: &str) -> usize {
    screen.lines().filter(|l| l.chars().filter(|c| matches!(c, '▀' | '▄' | '█')).count() > 20).count()
}

#[test]
fn v_opens_the_picture_on_the_whole_screen_at_80x24_and_esc_goes_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = with_jobs(dir.path());
    let (panes, _) = frame(&mut s, 80, 24);
    assert!(picture_rows(&panes) < 22, "the pane's preview is smaller:\n{panes}");
    key(&mut s, KeyCode::Char('v'));
    let (screen, info) = frame(&mut s, 80, 24);
    assert!(picture_rows(&screen) >= 22, "at least 22 rows of picture:\n{screen}");
    let wanted = one(&info);
    assert_eq!((wanted.area.width, wanted.area.height), (80, 23), "all but the status row");
    let status = screen.lines().last().unwrap();
    assert!(status.contains("#2") && status.contains("1536x1024 png") && status.contains("1/2"), "{status}");
    key(&mut s, KeyCode::Esc);
    assert!(s.layers.viewer().is_none());
    assert_eq!(s.layers.focus, Focus::History, "back where it was");
}

#[test]
fn arrows_go_through_images_and_jobs_and_zoomed_in_they_move_the_view() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = with_jobs(dir.path());
    key(&mut s, KeyCode::Char('v'));
    key(&mut s, KeyCode::Right);
    assert_eq!(s.jobs.job.image_index, 1, "→: the next image");
    let fitted = frame(&mut s, 80, 24).1.pictures[0].clone().key;
    key(&mut s, KeyCode::Char('+'));
    key(&mut s, KeyCode::Right);
    key(&mut s, KeyCode::Down);
    assert_eq!(s.jobs.job.image_index, 1, "zoomed: → moves the view, not the image");
    assert_eq!(s.selected_job_id(), Some(2), "zoomed: ↓ moves the view, not the job");
    let zoomed = frame(&mut s, 80, 24);
    assert!(zoomed.0.lines().last().unwrap().contains("zoom 2x"));
    let key_zoomed = zoomed.1.pictures[0].clone().key;
    assert_eq!(key_zoomed.path, fitted.path);
    assert!(key_zoomed.zoom.level == 1 && key_zoomed.zoom.center.0 > 500, "{:?}", key_zoomed.zoom);
    key(&mut s, KeyCode::Char('0'));
    assert_eq!(frame(&mut s, 80, 24).1.pictures[0].clone().key, fitted, "0 fits again");
    // ↓ goes to the next job, whose details are asked for.
    let commands = key(&mut s, KeyCode::Down);
    assert_eq!(s.selected_job_id(), Some(1));
    assert!(commands.contains(&Command::Store(StoreAsk::LoadDetails(1))), "{commands:?}");
    assert!(s.layers.viewer().is_some(), "still in the viewer");
}

#[test]
fn zoomed_against_an_edge_the_first_press_back_moves_the_view() {
    // 60x40 cells: the 3:2 image fills the width; at 2x nearly all its height still shows.
    let dir = tempfile::tempdir().unwrap();
    let mut s = with_jobs(dir.path());
    key(&mut s, KeyCode::Char('v'));
    frame(&mut s, 60, 40);
    key(&mut s, KeyCode::Char('+'));
    let view = |s: &mut State| {
        let wanted = frame(s, 60, 40).1.pictures[0].clone();
        let prepared = s.previews.ready_for(&wanted.key).unwrap().clone();
        (wanted.key.zoom.center, prepared.pixels.clone())
    };
    for _ in 0..12 {
        key(&mut s, KeyCode::Down);
    }
    let (at_bottom, pixels_at_bottom) = view(&mut s);
    assert!(at_bottom.1 < 550, "the centre is not stored past what the crop shows: {at_bottom:?}");
    key(&mut s, KeyCode::Up);
    let (after_up, pixels_after_up) = view(&mut s);
    assert!(after_up.1 < at_bottom.1, "{at_bottom:?} then {after_up:?}");
    assert!(pixels_after_up != pixels_at_bottom, "one press back shows another part at once");
}

#[test]
fn i_shows_the_prompt_and_parameters_under_the_picture() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = with_jobs(dir.path());
    key(&mut s, KeyCode::Char('v'));
    key(&mut s, KeyCode::Char('i'));
    let (screen, info) = frame(&mut s, 80, 24);
    assert!(screen.contains("a fox in the snow") && screen.contains("gpt-image-1"), "{screen}");
    assert!(one(&info).area.height < 23, "the picture gives the panel room");
    key(&mut s, KeyCode::Char('i'));
    assert!(!frame(&mut s, 80, 24).0.contains("a fox in the snow"));
}

#[test]
fn e_loads_the_job_into_the_form_and_leaves_the_viewer_and_quit_still_asks() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = with_jobs(dir.path());
    key(&mut s, KeyCode::Char('v'));
    key(&mut s, KeyCode::Char('e'));
    assert!(s.layers.viewer().is_none(), "the form is shown");
    assert_eq!(s.prompt_text(), "a fox in the snow");
    key(&mut s, KeyCode::Char('v'));
    update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)));
    assert!(s.quit, "Ctrl-C quits from the viewer too");
}

#[test]
fn v_in_the_browser_views_the_highlighted_file_and_arrows_go_through_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = (0..2).map(|i| image(dir.path(), i).path).collect();
    let mut s = browser_in(dir.path());
    key(&mut s, KeyCode::Char('v'));
    assert_eq!(s.preview_path().as_ref(), Some(&files[0]));
    let (screen, _) = frame(&mut s, 80, 24);
    assert!(picture_rows(&screen) >= 22, "{screen}");
    key(&mut s, KeyCode::Down);
    assert_eq!(s.preview_path().as_ref(), Some(&files[1]), "↓: the next file");
    key(&mut s, KeyCode::Esc);
    assert!(s.layers.viewer().is_none() && s.layers.browser().is_some(), "back in the browser");
}

#[test]
fn the_status_row_keeps_the_way_back_in_sight_at_80_columns() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = with_jobs(dir.path());
    key(&mut s, KeyCode::Char('v'));
    let (screen, _) = frame(&mut s, 80, 24);
    let status = screen.lines().last().unwrap().to_string();
    assert!(status.contains("back") && status.contains("help"), "{status}");
    let (wide, _) = frame(&mut s, 160, 40);
    let status = wide.lines().last().unwrap().to_string();
    assert!(status.contains("image") && status.contains("zoom") && status.contains("info"), "{status}");
}

#[test]
fn a_job_of_several_images_shows_them_side_by_side_and_g_toggles() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = with_jobs(dir.path());
    let (pane, info) = frame(&mut s, 120, 40);
    assert_eq!(info.pictures.len(), 2, "the Job pane shows both images");
    assert!(pane.contains("━ 1 ") || pane.contains(" 1 "), "each with its number:\n{pane}");
    key(&mut s, KeyCode::Right);
    assert_eq!(s.jobs.job.image_index, 1, "→ picks the second");
    key(&mut s, KeyCode::Char('v'));
    assert_eq!(frame(&mut s, 120, 40).1.pictures.len(), 1, "the viewer shows the chosen one");
    key(&mut s, KeyCode::Char('a'));
    let (_, info) = frame(&mut s, 120, 40);
    assert_eq!(info.pictures.len(), 2, "a: side by side in the viewer");
    let (a, b) = (info.pictures[0].area, info.pictures[1].area);
    assert_eq!((a.width, a.height, a.y), (b.width, b.height, b.y), "same size, aligned");
    key(&mut s, KeyCode::Enter);
    assert_eq!(frame(&mut s, 120, 40).1.pictures.len(), 1, "Enter: the chosen one alone");
    key(&mut s, KeyCode::Esc);
    s.layers.focus = Focus::Preview;
    key(&mut s, KeyCode::Char('a'));
    assert_eq!(frame(&mut s, 120, 40).1.pictures.len(), 1, "a in the Job pane: one image");
}

#[test]
fn without_a_picture_zoom_and_edit_are_refused_in_place_and_the_arrows_still_go_through_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = with_jobs(dir.path());
    // Job 2's second image is gone from disk.
    let gone = s.jobs.job.details.as_ref().unwrap().images[1].path.clone();
    s.jobs.job.missing_files.push(gone);
    key(&mut s, KeyCode::Char('v'));
    key(&mut s, KeyCode::Right);
    let (screen, _) = frame(&mut s, 80, 24);
    assert!(screen.contains("the image file is gone"), "{screen}");
    key(&mut s, KeyCode::Char('+'));
    assert!(s.layers.viewer().unwrap().zoom.is_fit(), "nothing to zoom into");
    key(&mut s, KeyCode::Char('E'));
    assert!(s.layers.viewer().is_some(), "the refusal is said in the viewer");
    assert!(s.status.notice.as_ref().unwrap().0.contains("image file is gone"), "{:?}", s.status.notice);
    assert_ne!(s.compose.form.mode, imgtui::tui::state::JobMode::Edit, "the form is left alone");
    key(&mut s, KeyCode::Down);
    assert_eq!(s.selected_job_id(), Some(1), "↓ still goes to the next job");
    assert_eq!(s.status.notice, None, "the message went with the next key");
}

#[test]
fn in_the_browser_the_viewer_goes_from_image_to_image_past_folders_and_other_files() {
    let dir = tempfile::tempdir().unwrap();
    image(dir.path(), 0);
    std::fs::create_dir(dir.path().join("img-0b-folder")).unwrap();
    std::fs::write(dir.path().join("img-0c-notes.txt"), "text").unwrap();
    let second = image(dir.path(), 1).path;
    let mut s = browser_in(dir.path());
    let names: Vec<String> = s.layers.browser().unwrap().visible().iter().map(|r| format!("{r:?}")).collect();
    let first_image = names.iter().position(|n| n.contains("img-0.png")).unwrap();
    s.layers.browser_mut().unwrap().selected = first_image;
    key(&mut s, KeyCode::Char('v'));
    key(&mut s, KeyCode::Down);
    assert_eq!(s.preview_path(), Some(second), "past the folder and the text file: {names:?}");
}

#[test]
fn c_puts_the_shown_image_beside_the_marked_one_or_an_edits_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = with_jobs(dir.path());
    key(&mut s, KeyCode::Char('v'));
    key(&mut s, KeyCode::Char('C'));
    assert!(!s.layers.viewer().unwrap().compare, "nothing marked, not an edit");
    assert!(s.status.notice.as_ref().unwrap().0.contains("mark an image with m"));
    key(&mut s, KeyCode::Char('m'));
    key(&mut s, KeyCode::Right);
    key(&mut s, KeyCode::Char('C'));
    let (_, info) = frame(&mut s, 120, 40);
    assert_eq!(info.pictures.len(), 2, "side by side");
    let (left, right) = (&info.pictures[0], &info.pictures[1]);
    assert!(left.key.path.ends_with("img-0.png") && right.key.path.ends_with("img-1.png"));
    assert_eq!((left.area.width, left.area.height, left.area.y), (right.area.width, right.area.height, right.area.y));
    key(&mut s, KeyCode::Char('C'));
    assert_eq!(frame(&mut s, 120, 40).1.pictures.len(), 1, "C again: the one image");
    // An edit is compared with its input without marking.
    let input = image(dir.path(), 7).path;
    s.jobs.job.details.as_mut().unwrap().inputs =
        vec![imgtui::store::InputRecord { role: "image".into(), path: input.clone(), sha256: None }];
    s.layers.viewer_mut().unwrap().marked = None;
    key(&mut s, KeyCode::Char('C'));
    let (screen, info) = frame(&mut s, 120, 40);
    assert_eq!(info.pictures[0].key.path, input);
    assert!(s.previews.ready_for(&info.pictures[0].key).is_some(), "the input's picture is kept, not dropped");
    assert!(screen.contains("input · img-7.png") && screen.contains("result · img-1.png"), "{screen}");
    // Zoomed, both halves show the same part of their image.
    key(&mut s, KeyCode::Char('+'));
    key(&mut s, KeyCode::Right);
    let (_, info) = frame(&mut s, 120, 40);
    assert!(info.pictures.iter().all(|p| p.key.zoom.level == 1 && p.key.zoom.center.0 > 500), "{:?}", info.pictures);
}

#[test]
fn the_help_names_the_viewer_keys_and_the_browsers_own() {
    let mut s = state();
    update(&mut s, Msg::Key(KeyEvent::new(KeyCode::F(1), KeyModifiers::NONE)));
    update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE)));
    for c in "view".chars() {
        update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
    }
    let text = format!("{:?}", imgtui::tui::ui::overlay::help_text(&s, s.layers.help().unwrap()));
    assert!(text.contains("view the job's image full screen"), "{text}");
    assert!(text.contains("view the file full screen"), "the browser's v: {text}");
}

#[test]
fn going_through_jobs_in_the_viewer_leaves_the_focus_where_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = with_jobs(dir.path());
    s.layers.focus = Focus::Preview;
    key(&mut s, KeyCode::Char('v'));
    key(&mut s, KeyCode::Down);
    assert_eq!(s.selected_job_id(), Some(1));
    key(&mut s, KeyCode::Esc);
    assert_eq!(s.layers.focus, Focus::Preview, "back in the Job pane, not moved to History");
}

#[test]
fn m_on_an_image_whose_file_is_gone_keeps_the_mark_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = with_jobs(dir.path());
    key(&mut s, KeyCode::Char('v'));
    key(&mut s, KeyCode::Char('m'));
    let marked = s.layers.viewer().unwrap().marked.clone();
    assert!(marked.is_some());
    // The second image's file is missing.
    let second = s.jobs.job.details.as_ref().unwrap().images[1].path.clone();
    s.jobs.job.missing_files = vec![second];
    key(&mut s, KeyCode::Right);
    key(&mut s, KeyCode::Char('m'));
    assert_eq!(s.layers.viewer().unwrap().marked, marked, "the mark stays");
    assert!(s.status.notice.as_ref().unwrap().0.contains("missing"), "{:?}", s.status.notice);
}

/// An animated GIF in the viewer where the terminal does not play it (half-blocks here): `.`
/// and `,` step its frames, Space plays them at their time, and another picture starts still
/// at its first frame.
#[test]
fn space_plays_a_gif_and_comma_and_period_step_its_frames_where_the_terminal_cannot() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = with_jobs(dir.path());
    let picture = imgtui::demo::draw::picture("a fox", 2, 64, 64, false);
    let gif = dir.path().join("fox.gif");
    std::fs::write(&gif, imgtui::demo::draw::animate(&picture, 4, 100).unwrap()).unwrap();
    let mut request = GenerateRequest::new("gpt-image-2.6-flare", "a fox running");
    request.options.output_format = Some("gif".into());
    request.options.frame_count = Some(4);
    request.options.frame_duration_ms = Some(100);
    let image = ImageRecord { path: gif, format: Some(imgtui::api::ImageFormat::Gif), ..image(dir.path(), 0) };
    let job = record(2, request, vec![image]);
    update(&mut s, Msg::App(AppEvent::Details { record: Box::new(job), missing_files: vec![] }));
    key(&mut s, KeyCode::Char('v'));
    let (screen, info) = frame(&mut s, 80, 24);
    assert_eq!(one(&info).key.frame, 0);
    assert!(screen.contains("frame 1/4"), "{screen}");
    key(&mut s, KeyCode::Char('.'));
    key(&mut s, KeyCode::Char('.'));
    let (screen, info) = frame(&mut s, 80, 24);
    assert_eq!(one(&info).key.frame, 2, "the third frame is asked for");
    assert!(screen.contains("frame 3/4"), "{screen}");
    key(&mut s, KeyCode::Char(','));
    assert_eq!(s.layers.viewer().unwrap().frame, 1);
    key(&mut s, KeyCode::Char(' '));
    assert!(s.layers.viewer().unwrap().playing);
    let start = s.env.now;
    update(&mut s, Msg::Tick(start + std::time::Duration::from_millis(50)));
    assert_eq!(s.layers.viewer().unwrap().frame, 1, "not yet: each frame shows 100 ms");
    update(&mut s, Msg::Tick(start + std::time::Duration::from_millis(110)));
    assert_eq!(s.layers.viewer().unwrap().frame, 2);
    update(&mut s, Msg::Tick(start + std::time::Duration::from_millis(220)));
    assert_eq!(s.layers.viewer().unwrap().frame, 3);
    update(&mut s, Msg::Tick(start + std::time::Duration::from_millis(330)));
    assert_eq!(s.layers.viewer().unwrap().frame, 0, "it loops");
    key(&mut s, KeyCode::Char(' '));
    assert!(!s.layers.viewer().unwrap().playing, "paused");
    // The file has its say once a preview read it: 3 frames of 50 ms, whatever was asked.
    let (_, info) = frame(&mut s, 80, 24);
    let wanted = one(&info).key;
    let first = image::open(&wanted.path).unwrap().into_rgba8();
    let mut prepared = imgtui::preview::prepare::prepare_image(&wanted, &first, Default::default()).unwrap();
    prepared.animation = Some((3, 50));
    update(&mut s, Msg::App(AppEvent::PreviewReady(std::sync::Arc::new(prepared))));
    assert_eq!(s.stepped_gif(), Some((3, 50)));
    key(&mut s, KeyCode::Char(' '));
    let start = s.env.now;
    update(&mut s, Msg::Now(start + std::time::Duration::from_millis(60)));
    assert_eq!(s.layers.viewer().unwrap().frame, 1, "the 20 ms look advances a 50 ms frame");
}
