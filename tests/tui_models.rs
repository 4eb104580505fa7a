//! The model selector in the app, through `update()` and the renderer: states and dates from
//! the catalog, the provider's list arriving after the first frame, a typed model name, and a
//! re-run of a model the provider has shut down.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use imgtui::api::image_request::JobKind;
use imgtui::api::{GenerateRequest, ModelTable, Provider};
use imgtui::catalog::{ListedModel, Listing, ListingSource, ModelCatalog};
use imgtui::clock::Date;
use imgtui::config::theme::Theme;
use imgtui::store::JobStatus;
use imgtui::tui::event::{AppEvent, Command, Msg, StoreAsk};
use imgtui::tui::keymap::Keymap;
use imgtui::tui::state::{Field, Focus, Layer, Severity, State};
use imgtui::tui::{ui, update::update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const TODAY: Date = Date::new(2026, 11, 26);

fn catalog(provider: Provider, listing: Listing) -> ModelCatalog {
    ModelCatalog { table: ModelTable::builtin(), provider, listing, today: TODAY }
}

fn app(catalog: ModelCatalog) -> State {
    let (model, _) = catalog.default_model(None);
    // The provider alone, as the app shows its usual address.
    State::new(catalog, Keymap::builtin(), model, "OpenAI".into())
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn screen(state: &State, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| {
            ui::render(state, &Theme::dark(), frame);
        })
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    (0..height).map(|y| (0..width).map(|x| buffer[(x, y)].symbol()).collect::<String>()).collect::<Vec<_>>().join("\n")
}

fn to_model_row(state: &mut State) {
    state.layers.focus = Focus::Settings;
    state.compose.form.selected =
        state.compose.form.fields(Some(state.spec())).iter().position(|f| *f == Field::Model).unwrap();
}

fn provider_list(provider: Provider, ids: &[&str]) -> Listing {
    Listing {
        source: ListingSource::Provider { provider, fetched: TODAY, cached: false },
        models: ids.iter().map(|id| ListedModel { id: id.to_string(), shutdown_date: None }).collect(),
    }
}

#[test]
fn a_deprecated_model_shows_its_date_and_a_shut_down_one_is_not_offered() {
    let mut s = app(catalog(Provider::Openai, Listing::builtin("test")));
    assert_eq!(s.compose.form.model, "gpt-image-2.6-flare", "a fresh install defaults to the newest fast model");
    to_model_row(&mut s);
    let mut seen = Vec::new();
    for _ in 0..12 {
        update(&mut s, key(KeyCode::Right));
        if s.layers.popup().is_some() {
            break;
        }
        seen.push(s.compose.form.model.clone());
    }
    assert!(seen.contains(&"gpt-image-1.5".to_string()), "{seen:?}");
    assert!(!seen.iter().any(|m| m == "gpt-image-1" || m.starts_with("dall-e")), "shut down: {seen:?}");
    s.layers.pop();
    s.compose.form.switch_model("gpt-image-1.5".into(), &s.env.catalog);
    s.revalidate();
    let text = screen(&s, 120, 40);
    assert!(text.contains("shuts down 2026-12-01"), "{text}");
    assert!(text.contains("models: built-in list"), "the status line says where the list came from");
}

#[test]
fn the_providers_list_arriving_late_updates_the_selector_and_the_default() {
    let mut s = app(catalog(Provider::Ttapi, Listing::builtin("not asked yet")));
    assert_eq!(s.compose.form.model, "gpt-image-2", "TTAPI's documentation lists no 2.5 model");
    let commands = update(
        &mut s,
        Msg::App(AppEvent::ModelsListed(provider_list(Provider::Ttapi, &["gpt-image-2.5-flare", "gpt-image-2"]))),
    );
    assert!(commands.is_empty());
    assert_eq!(s.compose.form.model, "gpt-image-2.5-flare", "the form was on the default: it follows");
    let text = screen(&s, 120, 40);
    assert!(text.contains("models: from TTAPI, 2026-11-26"), "{text}");
    to_model_row(&mut s);
    update(&mut s, key(KeyCode::Right));
    update(&mut s, key(KeyCode::Right));
    assert!(screen(&s, 120, 40).contains("not listed by TTAPI"), "an unlisted model says so");
}

#[test]
fn other_takes_a_typed_name_with_its_familys_rules_as_warnings() {
    let mut s = app(catalog(Provider::Openai, Listing::builtin("test")));
    to_model_row(&mut s);
    update(&mut s, key(KeyCode::Left));
    assert_eq!(s.layers.popup(), Some(&Layer::ModelName(String::new())), "← from the first model reaches other…");
    for c in "gpt-image-9".chars() {
        update(&mut s, key(KeyCode::Char(c)));
    }
    update(&mut s, key(KeyCode::Enter));
    assert_eq!((s.layers.popup(), s.compose.form.model.as_str()), (None, "gpt-image-9"));
    let (notice, _) = s.status.notice.clone().unwrap();
    assert!(notice.contains("rules guessed from gpt-image-2"), "{notice}");
    s.compose.form.options.quality = Some("max".into());
    s.revalidate();
    assert!(s.compose.errors.is_empty(), "{:?}", s.compose.errors);
    assert!(s.compose.warnings[0].message().contains("max"), "{:?}", s.compose.warnings);
    s.compose.prompt.insert_str("a fox");
    let commands = update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)));
    assert!(matches!(commands.as_slice(), [Command::Submit { .. }]), "a warning does not block: {commands:?}");
    let text = screen(&s, 120, 40);
    assert!(text.contains("rules guessed from gpt-image-2"), "{text}");
    // Typed once, it stays a choice of the row: → leaves it, ← comes back to it.
    s.layers.pop();
    to_model_row(&mut s);
    update(&mut s, key(KeyCode::Left));
    assert_ne!(s.compose.form.model, "gpt-image-9");
    update(&mut s, key(KeyCode::Right));
    assert_eq!(s.compose.form.model, "gpt-image-9");
}

#[test]
fn a_rerun_of_a_shut_down_model_offers_the_replacement() {
    let mut s = app(catalog(Provider::Openai, Listing::builtin("test")));
    let record = common::tui::record(7, GenerateRequest::new("gpt-image-1", "a fox"), vec![]);
    let commands = update(&mut s, Msg::App(AppEvent::Rerun(Box::new(record))));
    assert!(commands.is_empty(), "not sent: {commands:?}");
    let (notice, severity) = s.status.notice.clone().unwrap();
    assert_eq!(severity, Severity::Error);
    assert!(
        notice.contains("use gpt-image-2.6-sunburst; gpt-image-1 was shut down at OpenAI on 2026-10-23"),
        "{notice}"
    );
    // Loaded into the form, the refusal stays beside the Model row and blocks the submit.
    s.compose.form.switch_model("gpt-image-1".into(), &s.env.catalog);
    s.compose.prompt.insert_str("a fox");
    s.revalidate();
    assert!(s.errors_for(imgtui::api::Param::Model).next().unwrap().message().contains("use gpt-image-2.6-sunburst"));
    let commands = update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)));
    assert!(commands.is_empty());
}

#[test]
fn a_guessed_models_prompt_limit_is_a_warning_shown_in_the_form() {
    let mut s = app(catalog(Provider::Openai, Listing::builtin("test")));
    s.compose.form.switch_model("gpt-image-9".into(), &s.env.catalog);
    s.compose.prompt.insert_str("x".repeat(33_000));
    s.revalidate();
    assert!(s.compose.errors.is_empty(), "{:?}", s.compose.errors);
    assert!(s.warnings_for(imgtui::api::Param::Prompt).next().is_some(), "{:?}", s.compose.warnings);
    let text = screen(&s, 200, 60);
    assert!(text.contains("! prompt 33000 characters is over the 32000-character limit"), "{text}");
}

#[test]
fn a_job_another_imgtui_runs_is_refreshed_and_cannot_be_cancelled_or_deleted_here() {
    use imgtui::store::JobSummary;
    let mut s = app(catalog(Provider::Openai, Listing::builtin("test")));
    let row = JobSummary {
        id: 4,
        created_at: 4000,
        finished_at: None,
        kind: JobKind::Generate,
        status: JobStatus::Running,
        model: "gpt-image-2".into(),
        prompt: "someone else's fox".into(),
        image_count: 0,
        total_tokens: None,
        error: None,
        running_elsewhere: Some(4242),
        cost: None,
        starred: false,
        group_id: None,
        parent_id: None,
        settings: Default::default(),
        origin: None,
    };
    update(&mut s, Msg::App(AppEvent::HistoryPage { rows: vec![row], append: false, generation: 0 }));
    s.layers.focus = Focus::History;
    let commands = update(&mut s, key(KeyCode::Char('d')));
    assert!(s.layers.popup().is_none(), "d: no confirmation");
    assert!(commands.iter().all(|c| !matches!(c, Command::Store(StoreAsk::DeleteJob(_)) | Command::CancelJob(_))));
    let (notice, _) = s.status.notice.clone().unwrap();
    assert!(notice.contains("running in another imgtui (pid 4242)"), "{notice}");
    // c asks that imgtui, through the history, after a question (tests/tui_lists.rs).
    let commands = update(&mut s, key(KeyCode::Char('c')));
    assert!(commands.iter().all(|c| !matches!(c, Command::CancelJob(_))), "never cancelled here as if it were ours");
    assert!(matches!(s.layers.popup(), Some(imgtui::tui::state::Layer::Confirm(_))));
    update(&mut s, key(KeyCode::Esc));
    assert!(screen(&s, 120, 40).contains("running, pid 4242"));
    let reloads = (0..20)
        .flat_map(|_| update(&mut s, Msg::Tick(std::time::Instant::now())))
        .filter(|c| matches!(c, Command::Store(StoreAsk::LoadHistory { .. })))
        .count();
    assert_eq!(reloads, 1, "looked at again every 2 s");
}

#[test]
fn a_message_too_long_for_the_status_line_is_shown_whole_until_the_next_key() {
    let mut s = app(catalog(Provider::Openai, Listing::builtin("test")));
    let long =
        "job 7 not re-run: use gpt-image-2.6-sunburst; gpt-image-1 was shut down at OpenAI on 2026-10-23 (e loads it)";
    s.set_notice(long, Severity::Error);
    let text = screen(&s, 80, 24).replace('\n', "");
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("shut down at OpenAI on 2026-10-23 (e loads it)"), "{text}");
    update(&mut s, key(KeyCode::Down));
    assert!(s.status.notice.is_none(), "gone with the next key");
}

#[test]
fn free_sizes_offer_common_ones_and_a_custom_wxh_checked_as_typed() {
    let mut s = app(catalog(Provider::Openai, Listing::builtin("test")));
    assert_eq!(s.compose.form.model, "gpt-image-2.6-flare");
    s.layers.focus = Focus::Settings;
    s.compose.form.selected = s
        .compose
        .form
        .fields(Some(s.spec()))
        .iter()
        .position(|f| *f == Field::Param(imgtui::api::Param::Size))
        .unwrap();
    let mut seen = Vec::new();
    for _ in 0..20 {
        update(&mut s, key(KeyCode::Right));
        if s.layers.popup().is_some() {
            break;
        }
        seen.push(s.compose.form.options.size.clone());
    }
    assert!(seen.contains(&Some("3840x2160".into())) && seen.contains(&Some("1536x864".into())), "{seen:?}");
    assert_eq!(s.layers.popup(), Some(&Layer::CustomSize(String::new())), "the last entry is custom…");
    for c in "1000x1000".chars() {
        update(&mut s, key(KeyCode::Char(c)));
    }
    let before = s.compose.form.options.size.clone();
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.compose.form.options.size, before, "refused as typed");
    assert!(
        s.status.notice.as_ref().unwrap().0.contains("not allowed for gpt-image-2.6-flare"),
        "{:?}",
        s.status.notice
    );
    assert_eq!(s.layers.popup(), Some(&Layer::CustomSize("1000x1000".into())), "the box stays, with the text");
    for _ in 0..9 {
        update(&mut s, key(KeyCode::Backspace));
    }
    for c in "1792x1008".chars() {
        update(&mut s, key(KeyCode::Char(c)));
    }
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.compose.form.options.size.as_deref(), Some("1792x1008"));
    assert!(s.compose.errors.is_empty(), "{:?}", s.compose.errors);
    update(&mut s, key(KeyCode::Right));
    update(&mut s, key(KeyCode::Left));
    assert_eq!(s.compose.form.options.size.as_deref(), Some("1792x1008"), "a typed size stays a choice");
}

#[test]
fn wide_characters_are_fitted_by_the_columns_they_take() {
    use imgtui::store::JobSummary;
    let mut s = app(catalog(Provider::Openai, Listing::builtin("test")));
    let row = JobSummary {
        id: 1,
        created_at: 1,
        finished_at: None,
        kind: JobKind::Generate,
        status: JobStatus::Done,
        model: "gpt-image-2".into(),
        prompt: "富士山と桜".repeat(20),
        image_count: 1,
        total_tokens: Some(9),
        error: None,
        running_elsewhere: None,
        cost: None,
        starred: false,
        group_id: None,
        parent_id: None,
        settings: Default::default(),
        origin: None,
    };
    update(&mut s, Msg::App(AppEvent::HistoryPage { rows: vec![row], append: false, generation: 0 }));
    s.layers.focus = Focus::History;
    let text = screen(&s, 80, 24);
    let line = text.lines().find(|l| l.contains('富')).expect("the row");
    assert!(line.contains('…'), "the prompt is cut with an ellipsis, not by the border: {line}");
}

#[test]
fn key_hints_name_the_keys_the_keymap_binds_now() {
    let mut keymap = Keymap::builtin();
    let text =
        "[global]\n\"ctrl-s\" = \"none\"\n\"alt-enter\" = \"none\"\n\"f5\" = \"none\"\n\"ctrl-g\" = \"submit\"\n";
    assert!(keymap.merge(text, std::path::Path::new("k.toml")).is_empty());
    let catalog = catalog(Provider::Openai, Listing::builtin("test"));
    let mut s = State::new(catalog, keymap, "gpt-image-2".into(), "OpenAI".into());
    assert_eq!(s.compose.prompt.placeholder_text(), "Describe the image… (Ctrl-G submits)");
    s.layers.focus = Focus::Settings;
    let text = screen(&s, 120, 40);
    assert!(text.contains("default · Ctrl-G submit"), "{text}");
    assert!(!text.contains("Ctrl-S"), "no hint names an unbound key: {text}");
}

#[test]
fn a_model_declared_in_the_config_is_offered_and_said_to_have_rules_from_config() {
    let mut table = ModelTable::builtin();
    let rules: toml::Table =
        toml::from_str("like = \"gpt-image-2.6-flare\"\nqualities = [\"low\", \"high\"]\n").unwrap();
    table.apply_override("acme-image-1", &rules).unwrap();
    let catalog = ModelCatalog { table, provider: Provider::Demo, listing: Listing::builtin("test"), today: TODAY };
    let mut s = app(catalog);
    to_model_row(&mut s);
    let mut seen = Vec::new();
    for _ in 0..20 {
        update(&mut s, key(KeyCode::Right));
        seen.push(s.compose.form.model.clone());
        if s.compose.form.model == "acme-image-1" {
            break;
        }
    }
    assert_eq!(s.compose.form.model, "acme-image-1", "offered: {seen:?}");
    let text = screen(&s, 120, 40);
    assert!(text.contains("rules from config"), "{text}");
    let field = Field::Param(imgtui::api::Param::Quality);
    let choices = s.compose.form.choices(field, s.spec(), &s.env.catalog);
    assert_eq!(choices, [None, Some("low".into()), Some("high".into())], "its own rules");
}
