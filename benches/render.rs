//! Render time of each pane and of whole frames, with a full state: a long prompt, 200 jobs in
//! the history (three running), a job with four images and its half-block preview, a
//! 500-entry directory in the browser, and the help overlay. Each frame is drawn through
//! ratatui's `Terminal` on a `TestBackend`, so the diff against the previous frame is counted.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use imgtui::api::image_request::JobKind;
use imgtui::api::response::Usage;
use imgtui::api::{GenerateRequest, ModelTable};
use imgtui::browse::{Entry, EntryKind};
use imgtui::config::theme::Theme;
use imgtui::preview::prepare::prepare_image;
use imgtui::preview::{CellSize, Graphics};
use imgtui::store::{ImageRecord, ImageRequest, JobRecord, JobStatus, JobSummary};
use imgtui::tui::event::{AppEvent, Command, Msg, StoreAsk};
use imgtui::tui::keymap::Keymap;
use imgtui::tui::state::browser::{Browser, Target};
use imgtui::tui::state::{LiveJob, State};
use imgtui::tui::ui::{self, Pane};
use imgtui::tui::update;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const PROMPT: &str = "A red fox standing in deep snow at the edge of a birch forest, early morning light, \
    soft mist between the trees, breath visible in the cold air, detailed fur, shallow depth of field, \
    shot on a 85mm lens, muted blue and orange palette, quiet and still, a few snowflakes falling";

fn state() -> State {
    let mut s = State::new(
        imgtui::catalog::ModelCatalog::builtin(ModelTable::builtin(), imgtui::api::Provider::Demo, "test"),
        Keymap::builtin(),
        "gpt-image-1".into(),
        "demo".into(),
    );
    s.env.graphics = Graphics::Blocks;
    s.compose.prompt.insert_str(PROMPT);
    let commands = update::reload_history(&mut s);
    let Some(Command::Store(StoreAsk::LoadHistory { generation, .. })) = commands.into_iter().next() else {
        panic!("the history loads first")
    };
    let rows = (1..=200)
        .rev()
        .map(|id| JobSummary {
            id,
            created_at: id * 1000,
            finished_at: Some(id * 1000 + 9000),
            kind: JobKind::Generate,
            status: if id > 197 { JobStatus::Running } else { JobStatus::Done },
            model: "gpt-image-1".into(),
            prompt: format!("job {id}: {PROMPT}"),
            image_count: 4,
            total_tokens: Some(4200),
            error: None,
            running_elsewhere: None,
            cost: None,
            starred: false,
            group_id: None,
            parent_id: None,
            settings: Default::default(),
            origin: None,
        })
        .collect();
    update::update(&mut s, Msg::App(AppEvent::HistoryPage { rows, append: false, generation }));
    for id in 198..=200 {
        s.jobs.live.insert(id, LiveJob::new(s.env.now - Duration::from_secs(3), imgtui::tui::state::Phase::Running));
    }
    s.jobs.history.selected = 3;
    let mut request = GenerateRequest::new("gpt-image-1", PROMPT);
    request.options.n = Some(4);
    let image = |index: usize| ImageRecord {
        index,
        path: format!("/data/images/fox-{}.png", index + 1).into(),
        format: Some(imgtui::api::ImageFormat::Png),
        width: Some(1536),
        height: Some(1024),
        bytes: 2_412_310,
        sha256: "ab".into(),
    };
    let record = JobRecord {
        id: 197,
        created_at: 197_000,
        started_at: Some(197_100),
        finished_at: Some(206_000),
        kind: JobKind::Generate,
        status: JobStatus::Done,
        request: ImageRequest::Generate(request),
        provider: "demo".into(),
        base_url: "http://127.0.0.1:8080/v1".into(),
        error: None,
        http_status: None,
        retries: 0,
        usage: Some(Usage { input_tokens: 60, output_tokens: 4160, total_tokens: 4220, ..Usage::default() }),
        revised_prompt: None,
        response_meta: None,
        parent_id: None,
        inputs: vec![],
        images: (0..4).map(image).collect(),
        raw_images: Vec::new(),
        cost: None,
        starred: false,
        group_id: None,
        origin: None,
    };
    update::update(&mut s, Msg::App(AppEvent::Details { record: Box::new(record), missing_files: vec![] }));
    s
}

/// The preview pane asks for its images; this hands them the prepared half-blocks.
fn with_preview(s: &mut State, width: u16, height: u16) {
    let mut terminal = test_terminal(width, height);
    let mut info = ui::RenderInfo::default();
    let _ = terminal.draw(|f| info = ui::render(s, &Theme::dark(), f));
    let picture = imgtui::demo::draw::picture("a red fox", 7, 1536, 1024, false);
    for wanted in info.pictures {
        if let Ok(prepared) = prepare_image(&wanted.key, &picture, CellSize::default()) {
            update::update(s, Msg::App(AppEvent::PreviewReady(std::sync::Arc::new(prepared))));
        }
    }
}

fn draw(terminal: &mut Terminal<TestBackend>, render: impl FnOnce(&mut ratatui::Frame)) {
    black_box(terminal.draw(render).is_ok());
}

fn test_terminal(width: u16, height: u16) -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(width, height)).unwrap_or_else(|e| panic!("{e}"))
}

fn browser() -> Browser {
    let mut browser = Browser::new(Target::Image(0), "/data/photos".into());
    browser.entries = Some(
        (0..500)
            .map(|i| Entry {
                name: if i < 20 { format!("album {i}") } else { format!("IMG_{i:04}.png") },
                path: format!("/data/photos/IMG_{i:04}.png").into(),
                kind: if i < 20 { EntryKind::Dir } else { EntryKind::File },
                is_link: false,
                bytes: 1_800_000 + i,
            })
            .collect(),
    );
    browser
}

fn panes(c: &mut Criterion) {
    let theme = Theme::dark();
    let mut s = state();
    with_preview(&mut s, 120, 40);
    let sizes = [
        (Pane::Prompt, 58, 12),
        (Pane::Settings, 58, 26),
        (Pane::History, 62, 13),
        (Pane::Preview, 62, 24),
        (Pane::StatusLine, 120, 1),
    ];
    for (pane, width, height) in sizes {
        let mut terminal = test_terminal(width, height);
        c.bench_function(&format!("render {pane:?} ({width}x{height})"), |b| {
            b.iter(|| draw(&mut terminal, |f| drop(ui::render_pane(pane, &s, &theme, f))))
        });
    }
    for (width, height) in [(120, 40), (200, 60)] {
        let mut s = state();
        with_preview(&mut s, width, height);
        let mut terminal = test_terminal(width, height);
        c.bench_function(&format!("render whole frame ({width}x{height})"), |b| {
            b.iter(|| draw(&mut terminal, |f| drop(ui::render(&s, &theme, f))))
        });
        // A keystroke: the prompt changes, everything else is diffed away.
        let mut typed = state();
        with_preview(&mut typed, width, height);
        c.bench_function(&format!("one keystroke: update + render ({width}x{height})"), |b| {
            b.iter(|| {
                update::update(&mut typed, Msg::Key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE)));
                update::update(&mut typed, Msg::Key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)));
                draw(&mut terminal, |f| drop(ui::render(&typed, &theme, f)));
            })
        });
    }
    let mut with_browser = state();
    with_browser.layers.push(imgtui::tui::state::Layer::Browser(browser()));
    let mut terminal = test_terminal(58, 38);
    c.bench_function("render Browser (58x38, 500 entries)", |b| {
        b.iter(|| draw(&mut terminal, |f| drop(ui::render_pane(Pane::Browser, &with_browser, &theme, f))))
    });
    let mut help = state();
    update::update(&mut help, Msg::Key(KeyEvent::new(KeyCode::F(1), KeyModifiers::NONE)));
    let mut terminal = test_terminal(120, 40);
    c.bench_function("render Overlay: help (120x40)", |b| {
        b.iter(|| draw(&mut terminal, |f| drop(ui::render_pane(Pane::Overlay, &help, &theme, f))))
    });
}

criterion_group!(benches, panes);
criterion_main!(benches);
