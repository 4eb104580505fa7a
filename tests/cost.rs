//! What jobs cost: the demo's usage gives a known cost, stored with the job and shown by
//! `history show`; the form's estimate follows n and quality; the config's prices win.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use imgtui::tui::event::Msg;
use imgtui::tui::state::{Layer, State};
use imgtui::tui::update::update;

#[tokio::test]
async fn a_demo_job_costs_its_usage_at_openai_list_price_and_the_history_keeps_it() {
    let server = common::demo().await;
    let data = tempfile::tempdir().unwrap();
    let out = common::imgtui_at(data.path(), "sk-test", server.base_url())
        .args(["generate", "abcd", "-m", "gpt-image-2.5-flare", "-q", "low", "-s", "1024x1024"])
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    // By hand: the formula's 196 output tokens × $30/M + 1 prompt token × $5/M.
    let expected = 196.0 * 30.0 / 1e6 + 5.0 / 1e6;
    assert!(stdout.contains("· $0.0059 at OpenAI list price"), "{stdout}");
    let job = common::job_json(data.path(), 1).await;
    assert!((job["cost"]["usd"].as_f64().unwrap() - expected).abs() < 1e-12, "{job}");
    assert_eq!(job["cost"]["basis"], "OpenAI list prices 2026-11");
}

#[tokio::test]
async fn a_price_in_the_config_prices_new_jobs_and_leaves_old_ones_alone() {
    let server = common::demo().await;
    let data = tempfile::tempdir().unwrap();
    let run = |data: std::path::PathBuf| {
        let base = server.base_url().to_string();
        async move {
            let out = common::imgtui_at(&data, "sk-test", &base)
                .args(["generate", "abcd", "-m", "gpt-image-2", "-q", "low", "-s", "1024x1024"])
                .output()
                .await
                .unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        }
    };
    run(data.path().to_path_buf()).await;
    let config = data.path().join("config/imgtui");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "[prices.openai.\"gpt-image-2\"]\nimage_out = 60.0\ntext_in = 0.0\n")
        .unwrap();
    run(data.path().to_path_buf()).await;
    let (first, second) = (common::job_json(data.path(), 1).await, common::job_json(data.path(), 2).await);
    let tokens = imgtui::cost::formula_tokens(16, (1024, 1024)) as f64;
    assert!((first["cost"]["usd"].as_f64().unwrap() - (tokens * 30.0 + 5.0) / 1e6).abs() < 1e-12, "{first}");
    assert!((second["cost"]["usd"].as_f64().unwrap() - tokens * 60.0 / 1e6).abs() < 1e-12, "{second}");
    assert_eq!(second["cost"]["basis"], "configured");
}

fn with_model(model: &str) -> State {
    let mut s = common::tui::state();
    s.compose.form.switch_model(model.into(), &s.env.catalog);
    update(&mut s, Msg::Resize(120, 40));
    s
}

#[test]
fn the_forms_estimate_follows_n_and_quality() {
    let mut s = with_model("gpt-image-1");
    let auto = s.price_note().describe();
    assert!(auto.starts_with("≤ $0.167 for 1 image") && auto.contains("at most"), "auto: the dearest quality: {auto}");
    s.compose.form.options.quality = Some("high".into());
    assert_eq!(s.price_note().describe(), "≈ $0.167 for 1 image (OpenAI list price)");
    s.compose.form.options.n = Some(4);
    assert_eq!(s.price_note().describe(), "≈ $0.668 for 4 images (OpenAI list price)");
    s.compose.form.options.quality = Some("low".into());
    assert_eq!(s.price_note().describe(), "≈ $0.044 for 4 images (OpenAI list price)");
    let mut s = with_model("gpt-image-2.5-flare");
    s.compose.form.options.quality = Some("low".into());
    assert!(s.price_note().describe().contains("OpenAI's formula"), "{}", s.price_note().describe());
}

#[tokio::test]
async fn dry_run_prints_the_request_and_its_estimate_and_sends_nothing() {
    let server = common::demo().await;
    let data = tempfile::tempdir().unwrap();
    let model = common::priced_model();
    let out = common::imgtui_at(data.path(), "sk-test", server.base_url())
        .args(["generate", "a fox", "-m", &model, "-q", "high", "-s", "1024x1024", "-n", "4", "--dry-run", "--json"])
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let body: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(body["request"]["n"], 4);
    let expected = common::estimate_usd(&model, "high", "1024x1024", 4, "a fox".len());
    assert!(expected > 0.0 && (body["estimate_usd"].as_f64().unwrap() - expected).abs() < 1e-9, "{expected}: {body}");
    let sent = server.requests().iter().filter(|r| r.path.contains("images")).count();
    assert_eq!(sent, 0, "nothing was sent");
    let job = common::job_json(data.path(), 1).await;
    assert!(job["id"].is_null(), "nothing in the history: {job}");
}

#[tokio::test]
async fn a_request_past_the_daily_budget_is_refused_headless_unless_over_budget() {
    let server = common::demo().await;
    let data = tempfile::tempdir().unwrap();
    let config = data.path().join("config/imgtui");
    std::fs::create_dir_all(&config).unwrap();
    // A budget that one request fits and two do not.
    let model = common::priced_model();
    let each = common::estimate_usd(&model, "high", "1024x1024", 2, "a fox".len());
    let budget = format!("{:.2}", each * 1.5);
    std::fs::write(config.join("config.toml"), format!("budget_daily_usd = {budget}\n")).unwrap();
    let run = |extra: &'static [&'static str]| {
        let (data, base, model) = (data.path().to_path_buf(), server.base_url().to_string(), model.clone());
        async move {
            common::imgtui_at(&data, "sk-test", &base)
                .args(["generate", "a fox", "-m", &model, "-q", "high", "-s", "1024x1024", "-n", "2"])
                .args(extra)
                .output()
                .await
                .unwrap()
        }
    };
    let first = run(&[]).await;
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let second = run(&[]).await;
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(2), "{stderr}");
    let past = format!("would pass the daily budget of ${budget}");
    assert!(stderr.contains(&past) && stderr.contains("--over-budget"), "{past}: {stderr}");
    let forced = run(&["--over-budget"]).await;
    assert!(forced.status.success(), "{}", String::from_utf8_lossy(&forced.stderr));
    std::fs::write(config.join("config.toml"), "budget_daily_usd = -2\n").unwrap();
    let bad = run(&[]).await;
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("budget_daily_usd = -2"));
}

#[test]
fn in_the_app_a_submit_carries_its_budget_check_and_a_held_request_is_asked_about() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use imgtui::tui::event::{AppEvent, Command};
    use imgtui::tui::state::{Confirm, Layer};
    let mut s = with_model("gpt-image-1.5");
    s.env.budgets = imgtui::cost::Budgets { daily: Some(0.1), monthly: None };
    s.compose.form.options.quality = Some("high".into());
    s.replace_prompt(vec!["a fox".into()]);
    let ctrl_s = || Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let commands = update(&mut s, ctrl_s());
    let Some(Command::Submit { requests, budget: Some(check), .. }) = commands.first() else { panic!("{commands:?}") };
    assert_eq!(check.estimate, Some(0.133), "the runner checks the estimate against the spend of the moment");
    // The runner held it back: the app asks, and yes sends it without checking again.
    let message = "today $0.05 spent + ≈ $0.133 would pass the daily budget of $0.10".to_string();
    update(
        &mut s,
        Msg::App(AppEvent::OverBudget { requests: requests.clone(), parent: None, message: message.clone() }),
    );
    let Some(Layer::Confirm(Confirm::OverBudget { message: asked, .. })) = s.layers.popup() else {
        panic!("{:?}", s.layers.popup())
    };
    assert_eq!(asked, &message);
    common::tui::read_the_question(&mut s);
    let commands = update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE)));
    assert!(matches!(commands.first(), Some(Command::Submit { budget: None, .. })), "yes: sent {commands:?}");
    // No budgets: no check.
    s.env.budgets = imgtui::cost::Budgets::default();
    assert!(matches!(update(&mut s, ctrl_s()).first(), Some(Command::Submit { budget: None, .. })));
}

#[tokio::test]
async fn history_cost_adds_up_the_jobs_costs_and_counts_the_unpriced_apart() {
    use imgtui::api::GenerateRequest;
    use imgtui::store::{DoneOutcome, ImageRequest, Store};
    let data = tempfile::tempdir().unwrap();
    let now = common::now_ms();
    let mut store = Store::open(data.path()).unwrap();
    let costs = [Some(0.0423), Some(0.17), None, Some(0.005), Some(9.0)];
    for (i, cost) in costs.iter().enumerate() {
        let model = if i % 2 == 0 { "gpt-image-2" } else { "gpt-image-1.5" };
        let request = ImageRequest::Generate(GenerateRequest::new(model, format!("job {i}")));
        // The last one three days ago: outside a window of today alone.
        let created = if i == 4 { now - 3 * 86_400_000 } else { now - i as i64 * 1000 };
        let id = store.insert_job(&request, "openai", "u", None, &[], created).unwrap();
        let cost = cost.map(|usd| imgtui::cost::JobCost { usd, basis: "OpenAI list prices 2026-11".into() });
        let image = imgtui::store::ImageRecord {
            index: 0,
            path: data.path().join(format!("{i}.png")),
            format: Some(imgtui::api::ImageFormat::Png),
            width: Some(1),
            height: Some(1),
            bytes: 1,
            sha256: String::new(),
        };
        store.finish_done(id, &DoneOutcome { cost, images: vec![image], ..DoneOutcome::default() }, now).unwrap();
    }
    drop(store);
    let report = |by: &str| {
        let out = common::imgtui_std()
            .env("XDG_CONFIG_HOME", data.path().join("config"))
            .arg("--data-dir")
            .arg(data.path())
            .args(["history", "cost", "--json", "--days", "1", "--by", by])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let by_day = report("day");
    let sum: f64 = costs[..4].iter().flatten().sum();
    assert!((by_day["total"]["cost_usd"].as_f64().unwrap() - sum).abs() < 1e-12, "{by_day}");
    assert_eq!((by_day["total"]["jobs"].as_u64(), by_day["total"]["priced"].as_u64()), (Some(4), Some(3)));
    let by_model = report("model");
    let rows = by_model["rows"].as_array().unwrap();
    assert_eq!(rows[0]["key"], "gpt-image-1.5", "the dearest first: {by_model}");
    assert!((rows[0]["cost_usd"].as_f64().unwrap() - 0.175).abs() < 1e-12, "jobs 1 and 3");
}

#[test]
fn dollar_opens_the_spend_view_with_a_bar_per_day_and_the_models_totals() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use imgtui::store::spend::SpendRow;
    use imgtui::tui::event::{AppEvent, Command};
    use imgtui::tui::state::Focus;
    let mut s = with_model("gpt-image-2");
    s.layers.focus = Focus::History;
    let commands = update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Char('$'), KeyModifiers::NONE)));
    assert!(commands.contains(&Command::Store(imgtui::tui::event::StoreAsk::LoadSpend)), "{commands:?}");
    let row = |key: &str, jobs, priced, cost_usd| SpendRow { key: key.into(), jobs, priced, cost_usd, tokens: 0 };
    let days = vec![row("2026-11-26", 3, 3, 0.8), row("2026-11-25", 2, 1, 0.2)];
    let models = vec![row("gpt-image-2", 4, 4, 0.9), row("gpt-image-1.5", 1, 0, 0.0)];
    update(&mut s, Msg::App(AppEvent::SpendLoaded { days, models }));
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| drop(imgtui::tui::ui::render(&s, &imgtui::config::theme::Theme::dark(), f))).unwrap();
    let buffer = terminal.backend().buffer();
    let screen: String = (0..24).map(|y| (0..80).map(|x| buffer[(x, y)].symbol()).collect::<String>() + "\n").collect();
    assert!(screen.contains("2026-11-26") && screen.contains("$0.80") && screen.contains("+1 no price"), "{screen}");
    let bar = |day: &str| screen.lines().find(|l| l.contains(day)).unwrap().matches('█').count();
    assert_eq!(bar("2026-11-26"), 4 * bar("2026-11-25"), "bars in proportion:\n{screen}");
    assert!(screen.contains("$0.90") && screen.contains("1 job(s) without a price"), "the total:\n{screen}");
    update(&mut s, Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    assert!(s.layers.spend().is_none());
}

#[test]
fn at_80x24_a_busy_spend_view_keeps_the_totals_in_sight() {
    use imgtui::store::spend::SpendRow;
    use imgtui::tui::event::AppEvent;
    let mut s = with_model("gpt-image-2");
    s.layers.push(Layer::Spend(Default::default()));
    let row = |key: String| SpendRow { key, jobs: 2, priced: 2, cost_usd: 0.5, tokens: 0 };
    let days = (1..=14).map(|d| row(format!("2026-11-{d:02}"))).collect();
    let models = (1..=7).map(|m| row(format!("model-{m}"))).collect();
    update(&mut s, Msg::App(AppEvent::SpendLoaded { days, models }));
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| drop(imgtui::tui::ui::render(&s, &imgtui::config::theme::Theme::dark(), f))).unwrap();
    let buffer = terminal.backend().buffer();
    let screen: String = (0..24).map(|y| (0..80).map(|x| buffer[(x, y)].symbol()).collect::<String>() + "\n").collect();
    assert!(screen.contains(" total ") && screen.contains("$3.50"), "the total in sight:\n{screen}");
    assert!(screen.contains("3 more"), "the models that do not fit are counted:\n{screen}");
}

#[test]
fn two_processes_submitting_at_the_same_instant_are_checked_one_after_the_other() {
    use imgtui::api::GenerateRequest;
    use imgtui::store::{Admitted, ImageRequest, Store};
    let data = tempfile::tempdir().unwrap();
    Store::open(data.path()).unwrap();
    let budgets = imgtui::cost::Budgets { daily: Some(1.0), monthly: None };
    // Each alone would fit (0.6 of 1.0); both would not. Eight rounds, each with a fresh pair.
    for round in 0..8 {
        let start = std::sync::Arc::new(std::sync::Barrier::new(2));
        let racers: Vec<_> = (0..2)
            .map(|_| {
                let (dir, start) = (data.path().to_path_buf(), start.clone());
                std::thread::spawn(move || {
                    let mut store = Store::open(&dir).unwrap();
                    let request = ImageRequest::Generate(GenerateRequest::new("gpt-image-2", "a fox"));
                    let now = common::now_ms();
                    let new = common::new_job(&request, now, 0.6, None);
                    start.wait();
                    store.admit_jobs(&[new], Some(&budgets), None).unwrap()
                })
            })
            .collect();
        let results: Vec<Admitted> = racers.into_iter().map(|r| r.join().unwrap()).collect();
        let queued = results.iter().filter(|r| matches!(r, Admitted::Queued(_))).count();
        assert_eq!(queued, 1, "round {round}: {results:?}");
        let held = results.iter().find_map(|r| match r {
            Admitted::OverBudget(why) => Some(why),
            _ => None,
        });
        assert!(held.unwrap().contains("$0.60 spent"), "the second saw the first's estimate: {held:?}");
        // Clear the day for the next round: the queued job is cancelled (no cost, no estimate).
        let mut store = Store::open(data.path()).unwrap();
        for r in &results {
            if let Admitted::Queued(ids) = r {
                store.finish_failed(ids[0], imgtui::store::JobStatus::Cancelled, "test", None, 0, 0).unwrap();
            }
        }
    }
}

#[tokio::test]
async fn requests_that_cannot_be_estimated_are_held_back_by_a_budget() {
    // The server knows the model the config declares.
    let mut models = imgtui::api::ModelTable::builtin();
    models.apply_override("acme-draw", &toml::from_str("like = \"gpt-image-2\"").unwrap()).unwrap();
    let config = imgtui::demo::DemoConfig {
        models,
        latency_per_image: (std::time::Duration::from_millis(1500), std::time::Duration::from_millis(1500)),
        ..imgtui::demo::DemoConfig::instant()
    };
    let server = common::demo_with(config).await;
    let data = tempfile::tempdir().unwrap();
    let config = data.path().join("config/imgtui");
    std::fs::create_dir_all(&config).unwrap();
    // A model the config prices by the token, with no formula: no estimate; ten at once.
    let declared = "budget_daily_usd = 0.03\n[models.\"acme-draw\"]\nlike = \"gpt-image-2\"\n\
                    [prices.openai.\"acme-draw\"]\nimage_out = 3000.0\ntext_in = 5.0\n";
    std::fs::write(config.join("config.toml"), declared).unwrap();
    let runs = (0..10).map(|i| {
        let (data, base) = (data.path().to_path_buf(), server.base_url().to_string());
        async move {
            common::imgtui_at(&data, "sk-test", &base)
                .args(["generate", &format!("fox {i}"), "-m", "acme-draw", "-q", "auto", "-s", "1024x1024"])
                .output()
                .await
                .unwrap()
        }
    });
    let outputs = futures::future::join_all(runs).await;
    let sent = server.requests().iter().filter(|r| r.path.contains("/images/")).count();
    let refused: Vec<String> = outputs
        .iter()
        .filter(|o| o.status.code() == Some(2))
        .map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
        .collect();
    // Its bill could pass the budget by any amount, and would stay unknown after: none is sent
    // without --over-budget.
    assert_eq!((sent, refused.len()), (0, 10), "{refused:?}");
    assert!(
        refused.iter().all(|e| e.contains("cost cannot be estimated") && e.contains("--over-budget")),
        "{refused:?}"
    );
}
