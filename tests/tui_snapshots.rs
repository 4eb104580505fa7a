//! Each pane rendered on ratatui's TestBackend at 120x40 and 80x24, as insta snapshots, plus
//! asserts on the cell styles that carry meaning (selection, errors, status colours).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use imgtui::api::image_request::JobKind;
use imgtui::api::response::Usage;
use imgtui::api::{GenerateRequest, ModelTable};
use imgtui::config::theme::Theme;
use imgtui::store::{ImageRecord, ImageRequest, JobRecord, JobStatus, JobSummary};
use imgtui::tui::event::{AppEvent, Command, Msg, StoreAsk};
use imgtui::tui::keymap::Keymap;
use imgtui::tui::state::{Focus, LiveJob, State};
use imgtui::tui::{ui, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

fn state() -> State {
    let mut s = State::new(
        imgtui::catalog::ModelCatalog::builtin(ModelTable::builtin(), imgtui::api::Provider::Demo, "test"),
        Keymap::builtin(),
        "gpt-image-1".into(),
        "demo".into(),
    );
    s.status.banner.push("Demo mode: no API key found, so imgtui runs on its built-in demo server.".into());
    s
}

fn render(state: &State, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| {
            ui::render(state, &Theme::dark(), frame);
        })
        .unwrap();
    terminal.backend().buffer().clone()
}

fn text(buffer: &Buffer) -> String {
    let area = buffer.area;
    (0..area.height)
        .map(|y| (0..area.width).map(|x| buffer[(x, y)].symbol()).collect::<String>().trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn summary(id: i64, status: JobStatus, prompt: &str) -> JobSummary {
    JobSummary {
        prompt: prompt.into(),
        image_count: if status == JobStatus::Done { 2 } else { 0 },
        total_tokens: (status == JobStatus::Done).then_some(2118),
        error: (status == JobStatus::Failed).then(|| "HTTP 429 Too Many Requests: slow down".into()),
        ..common::tui::summary(id, status)
    }
}

fn with_jobs(s: &mut State) {
    let Command::Store(StoreAsk::LoadHistory { generation, .. }) = update::reload_history(s).remove(0) else {
        panic!()
    };
    let rows = vec![
        summary(4, JobStatus::Running, "a harbour at night, long exposure"),
        summary(3, JobStatus::Done, "a red fox in the snow"),
        summary(2, JobStatus::Failed, "a robot gardener"),
        summary(1, JobStatus::Interrupted, "a lighthouse at dusk"),
    ];
    update::update(s, Msg::App(AppEvent::HistoryPage { rows, append: false, generation }));
    s.jobs.live.insert(
        4,
        LiveJob {
            retries: 1,
            ..LiveJob::new(s.env.now - Duration::from_millis(4200), imgtui::tui::state::Phase::Running)
        },
    );
    s.jobs.history.selected = 1;
    let mut request = GenerateRequest::new("gpt-image-1", "a red fox in the snow");
    request.options.n = Some(2);
    request.options.quality = Some("low".into());
    let image = |index: usize| ImageRecord {
        index,
        path: format!("/data/images/20261124-091502-a-red-fox-in-the-snow-{}.png", index + 1).into(),
        format: Some(imgtui::api::ImageFormat::Png),
        width: Some(1024),
        height: Some(1024),
        bytes: 412_310,
        sha256: "ab".into(),
    };
    s.jobs.job.details = Some(JobRecord {
        id: 3,
        created_at: 3000,
        started_at: Some(3100),
        finished_at: Some(9000),
        kind: JobKind::Generate,
        status: JobStatus::Done,
        request: ImageRequest::Generate(request),
        provider: "demo".into(),
        base_url: "http://127.0.0.1:8080/v1".into(),
        error: None,
        http_status: None,
        retries: 0,
        usage: Some(Usage { input_tokens: 6, output_tokens: 2112, total_tokens: 2118, ..Usage::default() }),
        revised_prompt: None,
        response_meta: None,
        parent_id: None,
        inputs: vec![],
        images: vec![image(0), image(1)],
        raw_images: vec![],
        cost: None,
        starred: false,
        group_id: None,
        origin: None,
    });
}

#[test]
fn compose_wide_and_narrow() {
    let mut s = state();
    s.compose.prompt.insert_str("a red fox in the snow");
    insta::assert_snapshot!("compose_120x40", text(&render(&s, 120, 40)));
    insta::assert_snapshot!("compose_80x24", text(&render(&s, 80, 24)));
}

#[test]
fn jobs_wide_and_narrow() {
    let mut s = state();
    with_jobs(&mut s);
    s.layers.focus = Focus::History;
    let wide = render(&s, 120, 40);
    insta::assert_snapshot!("jobs_120x40", text(&wide));
    insta::assert_snapshot!("jobs_80x24", text(&render(&s, 80, 24)));

    // The selected row (job 3, the second row) wears the selection colours across the pane.
    let row_y = (0..40).find(|y| text(&wide).lines().nth(*y as usize).is_some_and(|l| l.contains("#3 "))).unwrap();
    let cell = &wide[(70, row_y)];
    let selection = Theme::dark().selection();
    assert_eq!((Some(cell.fg), Some(cell.bg)), (selection.fg, selection.bg));
    // The failed job's detail is in the error colour.
    let fail_y = (0..40).find(|y| text(&wide).lines().nth(*y as usize).is_some_and(|l| l.contains("#2 "))).unwrap();
    let line = text(&wide).lines().nth(fail_y as usize).unwrap().to_string();
    let x = line.chars().position(|c| c == '✗').unwrap() as u16;
    assert_eq!(Some(wide[(x, fail_y)].fg), Theme::dark().error().fg);
}

/// A path too long for its row keeps its end (the file's name) beside its label, in the Job
/// pane's rows and the picture's caption.
#[test]
fn a_long_path_is_cut_from_the_left_and_keeps_its_file_name() {
    let mut s = state();
    with_jobs(&mut s);
    let deep = format!("/home/someone/{}/images/20261208-a-red-fox-in-the-snow-1.png", "very-long-folder/".repeat(8));
    if let Some(job) = s.jobs.job.details.as_mut() {
        job.images[0].path = deep.into();
    }
    s.layers.focus = Focus::History;
    let screen = text(&render(&s, 80, 100));
    let file_row = screen.lines().find(|l| l.contains("file 1")).unwrap_or_default().to_string();
    assert!(file_row.contains("…") && file_row.contains("fox-in-the-snow-1.png"), "{screen}");
    assert!(screen.lines().any(|l| l.contains("403 KB · …") && l.contains("snow-1.png")), "{screen}");
}

#[test]
fn inline_errors_are_red_and_beside_their_field() {
    let mut s = state();
    s.compose.prompt.insert_str("a fox");
    s.layers.focus = Focus::Settings;
    let fields = s.compose.form.fields(Some(s.env.catalog.spec("gpt-image-1")));
    s.compose.form.selected = fields
        .iter()
        .position(|f| *f == imgtui::tui::state::Field::Param(imgtui::api::Param::OutputCompression))
        .unwrap();
    update::update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Right, KeyModifiers::NONE)));
    let buffer = render(&s, 120, 40);
    let screen = text(&buffer);
    insta::assert_snapshot!("settings_error_120x40", screen);
    let y = screen.lines().position(|l| l.contains("✗ 100 needs output_format jpeg or webp")).unwrap() as u16;
    let x = screen.lines().nth(y as usize).unwrap().chars().position(|c| c == '✗').unwrap() as u16;
    assert_eq!(Some(buffer[(x, y)].fg), Theme::dark().error().fg);
}

#[test]
fn an_input_image_problem_is_shown_under_its_own_row_only() {
    // One path is the start of the other: the message about the second names the first too.
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("a.png");
    image::RgbaImage::new(64, 64).save(&good).unwrap();
    let broken = dir.path().join("a.png.png");
    std::fs::write(&broken, b"not a picture").unwrap();
    let mut s = state();
    s.compose.prompt.insert_str("a fox");
    s.compose.form.mode = imgtui::tui::state::JobMode::Edit;
    s.compose.form.images = vec![good.clone(), broken.clone()];
    let files = [&good, &broken].map(|p| (p.to_path_buf(), imgtui::api::validate::InputFile::inspect(p, false)));
    update::update(&mut s, Msg::App(AppEvent::FilesInspected(files.to_vec())));
    assert_eq!(s.compose.errors.iter().map(|e| e.input).collect::<Vec<_>>(), [Some(1)], "{:?}", s.compose.errors);
    s.layers.focus = Focus::Settings;
    let screen = text(&render(&s, 120, 40));
    let lines: Vec<&str> = screen.lines().collect();
    let row = |label: &str| lines.iter().position(|l| l.contains(label)).unwrap();
    let error = lines.iter().position(|l| l.contains("✗")).unwrap();
    assert!(row("Image 1") < row("Image 2") && row("Image 2") < error, "{screen}");
    assert_eq!(lines.iter().filter(|l| l.contains("✗")).count(), 1, "once, under Image 2:\n{screen}");
}

#[test]
fn help_and_confirm_overlays() {
    let mut s = state();
    update::update(&mut s, Msg::Key(KeyEvent::new(KeyCode::F(1), KeyModifiers::NONE)));
    insta::assert_snapshot!("help_80x24", text(&render(&s, 80, 24)));
    update::update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    update::update(&mut s, Msg::App(AppEvent::JobQueued { id: 1 }));
    update::update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)));
    common::tui::read_the_question(&mut s);
    insta::assert_snapshot!("confirm_quit_80x24", text(&render(&s, 80, 24)));
}

#[test]
fn tiny_terminals_get_a_notice_not_a_panic() {
    let s = state();
    for (w, h) in [(20, 5), (39, 40), (120, 11)] {
        let screen = text(&render(&s, w, h));
        assert!(screen.replace('\n', "").contains("terminal"), "{w}x{h}: {screen}");
    }
    // One cell holds the notice's first letter: drawn, not blank, no panic.
    assert_eq!(text(&render(&s, 1, 1)), "t");
    assert_eq!(text(&render(&s, 3, 1)), "ter");
    insta::assert_snapshot!("too_small_20x5", text(&render(&s, 20, 5)));
}

#[test]
fn a_banner_too_long_for_its_rows_says_how_many_more_there_are() {
    let mut s = state();
    for line in 1..=6 {
        s.status.banner.push(format!(
            "keymap ~/.config/imgtui/keymap.toml, line {line}: \"nokey{line}\" is no key (names: enter esc tab …); the line is dropped"
        ));
    }
    let screen = text(&render(&s, 80, 24));
    assert!(screen.contains("line 1:"), "{screen}");
    assert!(screen.contains("more (imgtui doctor lists every one)"), "{screen}");
    assert!(screen.contains("Prompt"), "the panes keep their room: {screen}");
}
