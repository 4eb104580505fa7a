//! Helpers shared by the integration tests: a demo server, clients for it, test images.
#![allow(dead_code)]

pub mod fake_terminal;
pub mod liar;
pub mod pty;
pub mod serve_demo;
pub mod tmux;
pub mod tui;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use image::{Rgba, RgbaImage};
use imgtui::api::retry::RetryPolicy;
use imgtui::api::{ApiKey, Client, ClientConfig, ModelTable, Provider};
use imgtui::demo::{DemoConfig, DemoServer};

/// The day every test lives on. No test reads the real calendar: each spawned binary gets this
/// through `IMGTUI_TODAY`, and in-process catalogs are built on it (`catalog_on`). CI runs the
/// suite again with the clock moved years ahead to prove it (`.ci/run`).
pub const TODAY: &str = "2026-12-07";

/// `TODAY` as a date.
pub fn today() -> imgtui::clock::Date {
    TODAY.parse().expect("TODAY is a date")
}

/// Pins this test process's clock to `TODAY` (every test of a binary pins the same day), for
/// tests that call the library's dated code directly: timestamps, budgets, catalogs.
pub fn pin_clock() {
    imgtui::clock::pin_today(today());
}

/// Unix milliseconds now on `TODAY`'s clock.
pub fn now_ms() -> i64 {
    pin_clock();
    imgtui::clock::now_ms()
}

/// The binary, with the pinned day (std's `Command`).
pub fn imgtui_std() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_imgtui"));
    cmd.env(imgtui::clock::TODAY_VAR, TODAY);
    cmd
}

/// The binary, with the pinned day (tokio's `Command`).
pub fn imgtui_tokio() -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_imgtui"));
    cmd.env(imgtui::clock::TODAY_VAR, TODAY);
    cmd
}

/// The binary for a pty, with the pinned day.
pub fn imgtui_pty() -> portable_pty::CommandBuilder {
    let mut cmd = portable_pty::CommandBuilder::new(env!("CARGO_BIN_EXE_imgtui"));
    cmd.env(imgtui::clock::TODAY_VAR, TODAY);
    cmd
}

/// The binary as a shell (tmux) starts it: `env IMGTUI_TODAY=… 'path'`.
pub fn imgtui_shell() -> String {
    format!("env {}={TODAY} '{}'", imgtui::clock::TODAY_VAR, env!("CARGO_BIN_EXE_imgtui"))
}

/// The built-in catalog of `provider` on `TODAY`.
pub fn catalog_on(provider: Provider) -> imgtui::catalog::ModelCatalog {
    pin_clock();
    let mut catalog = imgtui::catalog::ModelCatalog::builtin(ModelTable::builtin(), provider, "test");
    catalog.today = today();
    catalog
}

/// A model OpenAI serves on `TODAY`, taken from the table (the default imgtui would pick), so
/// no test names a model that retires under it.
pub fn active_model() -> String {
    catalog_on(Provider::Openai).default_model(None).0
}

/// A model OpenAI serves on `TODAY` whose price is known before sending (OpenAI's published
/// formula), taken from the table: for tests that check estimates and budgets.
pub fn priced_model() -> String {
    let prices = imgtui::cost::PriceTable::builtin();
    let models = ModelTable::builtin();
    let asked = imgtui::cost::estimate::Asked {
        n: 1,
        size: (1024, 1024),
        quality: "low",
        prompt_chars: 1,
        inputs: 0,
        high_fidelity: false,
    };
    catalog_on(Provider::Openai)
        .offered(false)
        .into_iter()
        .map(|m| m.name)
        .find(|name| {
            prices.lookup(Provider::Openai, name, &models).is_some_and(|(price, source)| {
                imgtui::cost::estimate::estimate(&asked, price, source, None)
                    .is_some_and(|e| e.basis == imgtui::cost::estimate::Basis::Formula)
            })
        })
        .expect("a model with a formula price is served on TODAY")
}

/// What imgtui estimates for `n` images of `model` at `quality` and `size` (`WxH`) with a
/// prompt of `prompt_chars`, at OpenAI's built-in prices: tests compare what the binary prints
/// with this instead of a price written down for one model.
pub fn estimate_usd(model: &str, quality: &str, size: &str, n: u32, prompt_chars: usize) -> f64 {
    let models = ModelTable::builtin();
    let prices = imgtui::cost::PriceTable::builtin();
    let (price, source) = prices.lookup(Provider::Openai, model, &models).expect("a price for the model");
    let size = imgtui::api::models::parse_size(size).expect("WxH");
    let asked = imgtui::cost::estimate::Asked { n, size, quality, prompt_chars, inputs: 0, high_fidelity: false };
    imgtui::cost::estimate::estimate(&asked, price, source, None).expect("an estimate").usd
}

pub async fn demo() -> DemoServer {
    pin_clock();
    DemoServer::start(DemoConfig::instant()).await.expect("demo server starts")
}

pub async fn demo_with(config: DemoConfig) -> DemoServer {
    pin_clock();
    DemoServer::start(config).await.expect("demo server starts")
}

/// Retries fast, so retry tests take milliseconds, not seconds.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(40),
        ..RetryPolicy::default()
    }
}

pub fn config_for(server: &DemoServer, provider: Provider, key: Option<&str>) -> ClientConfig {
    let mut cfg = ClientConfig::new(provider, server.base_url(), key.and_then(ApiKey::new));
    cfg.retry = fast_retries();
    cfg
}

pub fn client(server: &DemoServer) -> Client {
    Client::new(config_for(server, Provider::Openai, Some("sk-test")), ModelTable::builtin()).expect("client")
}

pub fn client_with(cfg: ClientConfig) -> Client {
    Client::new(cfg, ModelTable::builtin()).expect("client")
}

/// A PNG filled with `color`, with an optional fully transparent rectangle (x, y, w, h).
pub fn write_png(
    dir: &Path,
    name: &str,
    size: (u32, u32),
    color: [u8; 4],
    hole: Option<(u32, u32, u32, u32)>,
) -> PathBuf {
    let mut img = RgbaImage::from_pixel(size.0, size.1, Rgba(color));
    if let Some((x0, y0, w, h)) = hole {
        for y in y0..y0 + h {
            for x in x0..x0 + w {
                img.put_pixel(x, y, Rgba([0, 0, 0, 0]));
            }
        }
    }
    let path = dir.join(name);
    img.save_with_format(&path, image::ImageFormat::Png).expect("write png");
    path
}

/// A gradient PNG, so pixel comparisons catch shifted or resized content.
pub fn write_gradient_png(dir: &Path, name: &str, size: (u32, u32)) -> PathBuf {
    let img =
        RgbaImage::from_fn(size.0, size.1, |x, y| Rgba([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8, 255]));
    let path = dir.join(name);
    img.save_with_format(&path, image::ImageFormat::Png).expect("write png");
    path
}

pub fn write_jpeg(dir: &Path, name: &str, size: (u32, u32)) -> PathBuf {
    let img = image::RgbImage::from_pixel(size.0, size.1, image::Rgb([10, 20, 30]));
    let path = dir.join(name);
    img.save_with_format(&path, image::ImageFormat::Jpeg).expect("write jpeg");
    path
}

/// Polls `check` until it holds or `deadline` passes; returns whether it held.
pub async fn wait_until(deadline: Duration, mut check: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + deadline;
    while Instant::now() < end {
        if check() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    check()
}

/// `wait_until` for a test without a runtime: polls `check` until it holds or `deadline` passes.
pub fn wait_until_sync(deadline: Duration, mut check: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + deadline;
    while Instant::now() < end {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    check()
}

/// Tools a few tests need beyond Rust. On a newcomer's machine their tests say they are skipped
/// and pass; CI sets the tool's switch (`.ci/run`), and there a missing tool fails the test.
#[derive(Clone, Copy, Debug)]
pub enum Tool {
    /// tmux, for what only tmux itself can show (passthrough, a shell's job control).
    Tmux,
    /// The official OpenAI Python SDK, a client nobody here wrote.
    PySdk,
    /// The official MCP Python SDK (`mcp` on PyPI), for `imgtui mcp`.
    McpSdk,
}

impl Tool {
    fn switch(self) -> &'static str {
        match self {
            Self::Tmux => "IMGTUI_REQUIRE_TMUX",
            Self::PySdk => "IMGTUI_REQUIRE_PY_SDK",
            Self::McpSdk => "IMGTUI_REQUIRE_MCP_SDK",
        }
    }

    fn present(self) -> bool {
        let (program, args): (&str, &[&str]) = match self {
            Self::Tmux => ("tmux", &["-V"]),
            Self::PySdk => ("python3", &["-c", "import openai"]),
            Self::McpSdk => ("python3", &["-c", "import mcp.client.stdio"]),
        };
        std::process::Command::new(program)
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    fn install(self) -> &'static str {
        match self {
            Self::Tmux => "apt-get install tmux",
            Self::PySdk => "pip install openai",
            Self::McpSdk => "pip install mcp",
        }
    }
}

/// Whether `tool` is there; when it is not, says so ("skipped: …") or, with its switch set,
/// fails the test.
pub fn have(tool: Tool) -> bool {
    if tool.present() {
        return true;
    }
    let required = std::env::var(tool.switch()).is_ok_and(|v| v == "1");
    assert!(!required, "{} is set but {tool:?} is missing: {}", tool.switch(), tool.install());
    // Written past the test harness's capture, so a plain `cargo test` shows it.
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("skipped: {tool:?} not installed ({}); set {}=1 to require it\n", tool.install(), tool.switch())
            .as_bytes(),
    );
    false
}

/// The binary as an OpenAI user with `key` would run it against `base_url`, its data in `data`.
pub fn imgtui_at(data: &Path, key: &str, base_url: &str) -> tokio::process::Command {
    let mut cmd = imgtui_tokio();
    cmd.env_remove("TTAPI_API_KEY")
        .env("OPENAI_API_KEY", key)
        .env("XDG_CONFIG_HOME", data.join("config"))
        .arg("--data-dir")
        .arg(data)
        .args(["--provider", "openai", "--base-url", base_url]);
    cmd
}

/// `imgtui history show ID --json` for the history in `data`.
pub async fn job_json(data: &Path, id: i64) -> serde_json::Value {
    let out = imgtui_tokio()
        .env("XDG_CONFIG_HOME", data.join("config"))
        .arg("--data-dir")
        .arg(data)
        .args(["history", "show", &id.to_string(), "--json"])
        .output()
        .await
        .expect("the binary runs");
    serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null)
}

/// A job about to be recorded, sent by OpenAI at `now` with `estimate` (dollars), from
/// `origin` (`None`: the person).
pub fn new_job<'a>(
    request: &'a imgtui::store::ImageRequest,
    now: i64,
    estimate: f64,
    origin: Option<&str>,
) -> imgtui::store::NewJob<'a> {
    imgtui::store::NewJob {
        request,
        provider: "openai",
        base_url: "u",
        parent_id: None,
        inputs: &[],
        now,
        estimate_usd: Some(estimate),
        group_id: None,
        batch_key: None,
        origin: origin.map(String::from),
    }
}
