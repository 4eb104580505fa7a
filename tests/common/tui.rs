//! The app's state for tests of `update` and `render`: a fresh one on the demo provider,
//! history rows and job records to feed it, and frames drawn as the app draws them.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use imgtui::api::image_request::JobKind;
use imgtui::api::{GenerateRequest, ModelTable};
use imgtui::store::{ImageRecord, ImageRequest, JobRecord, JobStatus, JobSummary};
use imgtui::tui::event::Msg;
use imgtui::tui::keymap::Keymap;
use imgtui::tui::state::State;

/// A fresh state: the built-in models on the demo provider, the built-in keys, gpt-image-1.
pub fn state() -> State {
    super::pin_clock();
    State::new(
        imgtui::catalog::ModelCatalog::builtin(ModelTable::builtin(), imgtui::api::Provider::Demo, "test"),
        Keymap::builtin(),
        "gpt-image-1".into(),
        "demo http://127.0.0.1:1/v1".into(),
    )
}

/// A history row of job `id` ("prompt ID", one image, 100 tokens).
pub fn summary(id: i64, status: JobStatus) -> JobSummary {
    JobSummary {
        id,
        created_at: id * 1000,
        finished_at: None,
        kind: JobKind::Generate,
        status,
        model: "gpt-image-1".into(),
        prompt: format!("prompt {id}"),
        image_count: 1,
        total_tokens: Some(100),
        error: None,
        running_elsewhere: None,
        cost: None,
        starred: false,
        group_id: None,
        parent_id: None,
        settings: Default::default(),
        origin: None,
    }
}

/// A finished job with `request` and `images`.
pub fn record(id: i64, request: GenerateRequest, images: Vec<ImageRecord>) -> JobRecord {
    JobRecord {
        id,
        created_at: id * 1000,
        started_at: None,
        finished_at: None,
        kind: JobKind::Generate,
        status: JobStatus::Done,
        request: ImageRequest::Generate(request),
        provider: "demo".into(),
        base_url: "u".into(),
        error: None,
        http_status: None,
        retries: 0,
        usage: None,
        revised_prompt: None,
        response_meta: None,
        parent_id: None,
        inputs: vec![],
        images,
        raw_images: vec![],
        cost: None,
        starred: false,
        group_id: None,
        origin: None,
    }
}

/// A frame as the app draws it: the pictures it wants are prepared (as the runner would, with
/// 10x20-pixel cells) and the frame drawn again with them. The screen's text and what the
/// frame reported.
pub fn drawn(s: &mut State, width: u16, height: u16) -> (String, imgtui::tui::ui::RenderInfo) {
    use imgtui::tui::event::{AppEvent, Msg};
    let render = |s: &State, t: &mut ratatui::Terminal<ratatui::backend::TestBackend>| {
        let mut info = imgtui::tui::ui::RenderInfo::default();
        t.draw(|f| info = imgtui::tui::ui::render(s, &imgtui::config::theme::Theme::dark(), f)).unwrap();
        info
    };
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).unwrap();
    let mut info = render(s, &mut terminal);
    let missing: Vec<_> = info.pictures.iter().filter(|w| s.previews.ready_for(&w.key).is_none()).cloned().collect();
    for wanted in &missing {
        let prepared = imgtui::preview::prepare::prepare(&wanted.key, imgtui::preview::CellSize::default()).unwrap();
        imgtui::tui::update::update(s, Msg::App(AppEvent::PreviewReady(std::sync::Arc::new(prepared))));
    }
    if !missing.is_empty() {
        info = render(s, &mut terminal);
    }
    let buffer = terminal.backend().buffer();
    let text = (0..height).map(|y| (0..width).map(|x| buffer[(x, y)].symbol()).collect::<String>() + "\n").collect();
    (text, info)
}

/// Lets the question on top be read: y and Enter answer it only once it has been up a moment.
pub fn read_the_question(s: &mut State) {
    let later = s.env.now + imgtui::tui::state::status::QUESTION_READ;
    imgtui::tui::update::update(s, imgtui::tui::event::Msg::Now(later));
}

/// Draws a frame of `width` x `height` and reports it to `update`, as the app does after each
/// frame (list heights, the help's last page, where clicks land); the screen's lines.
pub fn reported_frame(s: &mut State, width: u16, height: u16) -> Vec<String> {
    use imgtui::tui::event::Msg;
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).unwrap();
    let mut info = imgtui::tui::ui::RenderInfo::default();
    terminal.draw(|f| info = imgtui::tui::ui::render(s, &imgtui::config::theme::Theme::dark(), f)).unwrap();
    let msg = Msg::Drawn {
        history: info.history_rows,
        browser: info.browser_rows,
        help_last_page: info.help_last_page,
        hits: info.hits,
    };
    imgtui::tui::update::update(s, msg);
    let buffer = terminal.backend().buffer();
    (0..height).map(|y| (0..width).map(|x| buffer[(x, y)].symbol()).collect()).collect()
}

/// A key with no modifier.
pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn alt(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// `text` typed a key at a time; the commands it made.
pub fn type_text(state: &mut State, text: &str) -> Vec<imgtui::tui::event::Command> {
    text.chars().flat_map(|c| imgtui::tui::update::update(state, key(KeyCode::Char(c)))).collect()
}
