//! The headless commands `generate` and `edit`: one request, images saved, a line (or one JSON
//! object) per outcome. Exit codes: 0 success, 2 invalid input (nothing sent), 1 API/network.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime};

use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::api::{
    ApiError, EditRequest, GenerateRequest, ImageFacts, ImageOptions, ImagesResult, Progress, RequestControl,
};
use crate::cli::{EditArgs, GenerateArgs, GlobalArgs, ImageArgs};
use crate::engine::{Engine, NoKey};
use crate::files;

pub const EXIT_INVALID: u8 = 2;
pub const EXIT_FAILED: u8 = 1;

pub async fn generate(global: &GlobalArgs, args: GenerateArgs) -> ExitCode {
    let engine = match start(global).await {
        Ok(engine) => engine,
        Err(code) => return code,
    };
    let prompt = match read_prompt(&args.prompt) {
        Ok(prompt) => prompt,
        Err(code) => return code,
    };
    let mut options = options_from(&args.image);
    options.moderation = args.moderation;
    options.style = args.style;
    let model = args.image.model.clone().unwrap_or_else(|| engine.default_model());
    let request = GenerateRequest { prompt: prompt.clone(), model, options };
    run(&engine, &args.image, &prompt, |ctl| {
        let (client, request) = (&engine.client, &request);
        async move { client.generate(request, &ctl).await }
    })
    .await
}

pub async fn edit(global: &GlobalArgs, args: EditArgs) -> ExitCode {
    let engine = match start(global).await {
        Ok(engine) => engine,
        Err(code) => return code,
    };
    let prompt = match read_prompt(&args.prompt) {
        Ok(prompt) => prompt,
        Err(code) => return code,
    };
    let mut options = options_from(&args.image);
    options.input_fidelity = args.input_fidelity;
    let model = args.image.model.clone().unwrap_or_else(|| engine.default_model());
    let request = EditRequest { prompt: prompt.clone(), model, images: args.images, mask: args.mask, options };
    run(&engine, &args.image, &prompt, |ctl| {
        let (client, request) = (&engine.client, &request);
        async move { client.edit(request, &ctl).await }
    })
    .await
}

async fn start(global: &GlobalArgs) -> Result<Engine, ExitCode> {
    Engine::start(global, NoKey::Fail).await.map_err(|e| {
        eprintln!("imgtui: {e}");
        ExitCode::from(EXIT_INVALID)
    })
}

fn read_prompt(arg: &str) -> Result<String, ExitCode> {
    if arg != "-" {
        return Ok(arg.to_string());
    }
    let mut prompt = String::new();
    match std::io::stdin().read_to_string(&mut prompt) {
        Ok(_) => Ok(prompt.trim_end_matches(['\n', '\r']).to_string()),
        Err(e) => {
            eprintln!("imgtui: prompt: cannot read standard input: {e}");
            Err(ExitCode::from(EXIT_INVALID))
        }
    }
}

fn options_from(args: &ImageArgs) -> ImageOptions {
    ImageOptions {
        n: args.n,
        size: args.size.clone(),
        quality: args.quality.clone(),
        response_format: args.response_format.clone(),
        output_format: args.output_format.clone(),
        output_compression: args.output_compression,
        background: args.background.clone(),
        user: args.user.clone(),
        ..ImageOptions::default()
    }
}

async fn run<F, Fut>(engine: &Engine, args: &ImageArgs, prompt: &str, send: F) -> ExitCode
where
    F: FnOnce(RequestControl) -> Fut,
    Fut: std::future::Future<Output = Result<ImagesResult, ApiError>>,
{
    let (tx, rx) = mpsc::unbounded_channel();
    let ctl = RequestControl { progress: Some(tx), ..RequestControl::default() };
    let cancel = ctl.cancel.clone();
    let reporter = tokio::spawn(report_progress(rx));
    let ctrl_c = async {
        // If the signal cannot be watched, Ctrl-C simply ends the process as usual.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let outcome = tokio::select! {
        outcome = send(ctl) => outcome,
        _ = ctrl_c => { cancel.cancel(); Err(ApiError::Cancelled) }
    };
    reporter.abort();
    let _ = reporter.await;
    clear_status_line();
    match outcome {
        Ok(result) => save_and_report(engine, args, prompt, result),
        Err(err) => report_failure(args.json, &err),
    }
}

fn save_and_report(engine: &Engine, args: &ImageArgs, prompt: &str, result: ImagesResult) -> ExitCode {
    let out_dir = args.out.clone().unwrap_or_else(|| engine.out_dir());
    let now = SystemTime::now();
    let mut saved = Vec::new();
    let mut lost = result.lost.clone();
    for image in &result.images {
        let extension = image.format.map_or("bin", |f| f.extension());
        let name = files::image_file_name(now, prompt, image.index + 1, extension);
        match files::write_new_file_atomically(&out_dir, &name, &image.bytes) {
            Ok(path) => saved.push(saved_entry(&path, &image.bytes, image.revised_prompt.as_deref())),
            Err(e) => lost.push(format!("image {}: cannot write it to {}: {e}", image.index + 1, out_dir.display())),
        }
    }
    let r = &result.response;
    if args.json {
        let body = json!({
            "ok": lost.is_empty(),
            "created": r.created,
            "images": saved,
            "lost": lost,
            "usage": r.usage,
            "size": r.size, "quality": r.quality, "background": r.background, "output_format": r.output_format,
            "retries": result.retries,
        });
        println!("{body}");
    } else {
        for entry in &saved {
            println!(
                "saved {} ({}x{} {}, {} bytes)",
                entry["path"].as_str().unwrap_or_default(),
                entry["width"],
                entry["height"],
                entry["format"].as_str().unwrap_or("unknown"),
                entry["bytes"]
            );
            if let Some(revised) = entry["revised_prompt"].as_str() {
                println!("  revised prompt: {revised}");
            }
        }
        if let Some(usage) = &r.usage {
            println!("tokens: {} in, {} out, {} total", usage.input_tokens, usage.output_tokens, usage.total_tokens);
        }
        if result.retries > 0 {
            println!("retries: {}", result.retries);
        }
        for reason in &lost {
            eprintln!("imgtui: lost {reason}");
        }
    }
    if lost.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(EXIT_FAILED) }
}

fn saved_entry(path: &Path, bytes: &[u8], revised_prompt: Option<&str>) -> Value {
    let facts = ImageFacts::from_header(bytes).ok();
    json!({
        "path": absolute(path).display().to_string(),
        "format": facts.map(|f| f.format.api_name()),
        "width": facts.map(|f| f.width),
        "height": facts.map(|f| f.height),
        "bytes": bytes.len(),
        "revised_prompt": revised_prompt,
    })
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

fn report_failure(as_json: bool, err: &ApiError) -> ExitCode {
    let code = match err {
        ApiError::Invalid(_) | ApiError::Input(_) => EXIT_INVALID,
        _ => EXIT_FAILED,
    };
    if as_json {
        let fields: Vec<Value> = match err {
            ApiError::Invalid(errors) => {
                errors.iter().map(|e| json!({ "field": e.field, "message": e.message })).collect()
            }
            _ => Vec::new(),
        };
        println!("{}", json!({ "ok": false, "error": err.to_string(), "status": err.status(), "fields": fields }));
    } else if let ApiError::Invalid(errors) = err {
        eprintln!("imgtui: invalid request, nothing was sent:");
        for e in errors {
            eprintln!("  {e}");
        }
    } else {
        eprintln!("imgtui: {err}");
    }
    ExitCode::from(code)
}

const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/// Retries are always reported on stderr; on a terminal a spinner with the elapsed time runs too.
async fn report_progress(mut rx: mpsc::UnboundedReceiver<Progress>) {
    let tty = std::io::stderr().is_terminal();
    let started = Instant::now();
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    let mut frame = 0;
    let mut state = String::from("sending");
    loop {
        tokio::select! {
            event = rx.recv() => match event {
                Some(Progress::Attempt { number }) if number > 1 => state = format!("attempt {number}"),
                Some(Progress::Attempt { .. }) => {}
                Some(Progress::RetryScheduled { retry, wait, reason }) => {
                    clear_status_line();
                    eprintln!("imgtui: retry {retry} in {:.1} s after: {reason}", wait.as_secs_f64());
                    state = format!("waiting to retry ({retry})");
                }
                Some(Progress::Downloading { index, total }) => state = format!("downloading {}/{total}", index + 1),
                None => std::future::pending::<()>().await,
            },
            _ = tick.tick(), if tty => {
                frame = (frame + 1) % SPINNER.len();
                eprint!("\r\x1b[2K{} {state}, {:.1} s", SPINNER[frame], started.elapsed().as_secs_f64());
                let _ = std::io::stderr().flush();
            }
        }
    }
}

fn clear_status_line() {
    if std::io::stderr().is_terminal() {
        eprint!("\r\x1b[2K");
    }
}
