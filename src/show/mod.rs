//! `imgtui show ID|PATH…` and `--show`: images printed into the terminal's normal screen, one
//! after another with a caption, so they stay in the scrollback. Piped, only the paths.

mod animate;
mod print;

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use image::DynamicImage;

pub use print::{Canvas, print_image};

use crate::cli::{GlobalArgs, ShowArgs};
use crate::config::{Config, Paths};
use crate::preview::Graphics;
use crate::store::{ImageRecord, JobId};
use crate::text::escape_controls;

/// One image to print, with what its caption says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShowItem {
    pub path: PathBuf,
    /// Its job and place in it, when it came from the history.
    pub job: Option<(JobId, usize, usize)>,
}

impl ShowItem {
    pub fn of_job(id: JobId, images: &[ImageRecord]) -> Vec<Self> {
        images
            .iter()
            .enumerate()
            .map(|(i, image)| Self { path: image.path.clone(), job: Some((id, i + 1, images.len())) })
            .collect()
    }

    fn caption(&self, size: Option<(u32, u32)>) -> String {
        let mut parts = Vec::new();
        if let Some((id, index, count)) = self.job {
            parts.push(format!("job {id}"));
            parts.push(format!("image {index} of {count}"));
        }
        if let Some((w, h)) = size {
            parts.push(format!("{w}x{h}"));
        }
        parts.push(escape_controls(&self.path.display().to_string()));
        parts.join(" · ")
    }
}

pub async fn run(global: &GlobalArgs, args: ShowArgs) -> ExitCode {
    let paths = global.paths();
    let config = Config::load(&paths.config_file, global.config.is_some()).unwrap_or_else(|e| {
        eprintln!("imgtui: {}; using the default settings", escape_controls(&e.to_string()));
        Config::default()
    });
    crate::config::key_file::warn_if_exposed(&paths.config_file, &config);
    let (items, mut failed) = resolve(&args.targets, &paths).await;
    let choice = global.graphics.or(config.graphics).unwrap_or(Graphics::Auto);
    // The terminal is asked in raw mode: a signal meanwhile puts its settings back first (the
    // probe's `TtyGuard`); any other time it ends the command at once.
    let mut stops = crate::signals::Stops::new();
    let showing = tokio::task::spawn_blocking(move || show(&items, choice, args.width));
    let printed = tokio::select! {
        printed = showing => printed.unwrap_or(false),
        number = stops.next() => {
            eprintln!();
            // At once: the drawing thread may be mid-picture, and must not go on after this.
            let _ = std::io::Write::flush(&mut std::io::stdout());
            crate::signals::exit_at_once(number);
        }
    };
    failed |= !printed;
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

/// Job IDs and paths to images: a number is a job unless a file has that name. Each target
/// that cannot be shown is named on stderr; the others are still shown.
async fn resolve(targets: &[String], paths: &Paths) -> (Vec<ShowItem>, bool) {
    let mut items = Vec::new();
    let mut failed = false;
    let mut store = None;
    for target in targets {
        if target.is_empty() {
            eprintln!("imgtui: an empty argument names no job or file");
            failed = true;
            continue;
        }
        // Digits only: `+1` or `1e3` are file names, not jobs.
        let digits = target.bytes().all(|b| b.is_ascii_digit());
        let id = target.parse::<JobId>().ok().filter(|_| digits && !Path::new(target).exists());
        let Some(id) = id else {
            items.push(ShowItem { path: PathBuf::from(target), job: None });
            continue;
        };
        if store.is_none() {
            // Read-only: show only looks (a damaged history is not moved aside, another
            // process's lock is not waited out, nothing is marked or swept).
            match crate::store::Store::open_read_only(&paths.data_dir) {
                Ok(opened) => store = Some(crate::store::SharedStore::new(opened)),
                Err(e) => {
                    eprintln!("imgtui: {}", escape_controls(&e.to_string()));
                    return (items, true);
                }
            }
        }
        let Some(store) = &store else { continue };
        match store.run(move |s| s.job(id)).await {
            Ok(Some(record)) if record.images.is_empty() => {
                let why = record.error.as_deref().map(|e| format!(": {}", escape_controls(e))).unwrap_or_default();
                eprintln!("imgtui: job {id} has no images ({}{why})", record.status);
                failed = true;
            }
            Ok(Some(record)) => items.extend(ShowItem::of_job(id, &record.images)),
            Ok(None) => {
                eprintln!("imgtui: job {id} is not in the history (imgtui history lists them)");
                failed = true;
            }
            Err(e) => {
                eprintln!("imgtui: {}", escape_controls(&e.to_string()));
                failed = true;
            }
        }
    }
    (items, failed)
}

/// Prints the items: into the terminal when standard output is one, else their paths, one a
/// line. False when any could not be shown (each is named on stderr).
pub fn show(items: &[ShowItem], choice: Graphics, width: Option<u16>) -> bool {
    if !std::io::stdout().is_terminal() {
        let mut all = true;
        for item in items {
            let shown = escape_controls(&item.path.display().to_string());
            match sniff(&item.path) {
                Ok(()) => crate::outln!("{shown}"),
                Err(why) => (all, _) = (false, eprintln!("imgtui: cannot show {shown}: {why}")),
            }
        }
        return all;
    }
    let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
    let choice = if dumb && choice == Graphics::Auto { Graphics::None } else { choice };
    // Half-blocks and captions need no answers: nothing is asked (nor typed-ahead keys read).
    let probe = match choice {
        Graphics::Blocks | Graphics::None => crate::preview::detect::without_asking(choice),
        _ => crate::preview::probe(choice, crate::preview::detect::COMMAND_WAIT),
    };
    let closed_tmux = probe.tmux.as_ref().is_some_and(|t| !t.passes_through());
    match &probe.detection.note {
        Some(note) => eprintln!("imgtui: {note}"),
        None if closed_tmux && choice != Graphics::None => eprintln!(
            "imgtui: tmux allow-passthrough is off, so these are half-blocks; `tmux set -g allow-passthrough on` \
             lets kitty, iTerm2 and sixel pictures through"
        ),
        None => {}
    }
    let canvas = Canvas::of(&probe);
    let mut all = true;
    for item in items {
        let image = match load(&item.path) {
            Ok(image) => image,
            Err(why) => {
                crate::outln!("{}", item.caption(None));
                eprintln!("imgtui: cannot show {}: {why}", escape_controls(&item.path.display().to_string()));
                all = false;
                continue;
            }
        };
        crate::outln!("{}", item.caption(Some((image.width(), image.height()))));
        if choice == Graphics::None {
            continue;
        }
        let cells = canvas.fit((image.width(), image.height()), width);
        let gif = crate::api::ImageFormat::sniff(&head_of(&item.path)) == Some(crate::api::ImageFormat::Gif);
        let printed = match gif {
            true => animate::print_gif(&canvas, &item.path, cells).and_then(|played| match played {
                true => Ok(()),
                false => print_image(&canvas, &image, cells),
            }),
            false => print_image(&canvas, &image, cells),
        };
        if let Err(e) = printed {
            eprintln!("imgtui: cannot print {}: {e}", escape_controls(&item.path.display().to_string()));
            all = false;
        }
    }
    all
}

/// A regular file whose first bytes are those of a PNG, JPEG or WebP: what a pipe is given
/// without decoding it.
fn sniff(path: &Path) -> Result<(), String> {
    let (file, _) = crate::files::open_regular(path).map_err(|e| e.to_string())?;
    let mut head = Vec::with_capacity(4096);
    file.take(4096).read_to_end(&mut head).map_err(|e| e.to_string())?;
    match crate::api::ImageFormat::sniff(&head) {
        Some(_) => Ok(()),
        None => Err("not a PNG, JPEG, WebP, GIF or SVG image".into()),
    }
}

/// The first bytes of the file at `path` (none when it cannot be read).
fn head_of(path: &Path) -> Vec<u8> {
    let mut head = Vec::with_capacity(16);
    if let Ok((file, _)) = crate::files::open_regular(path) {
        let _ = file.take(16).read_to_end(&mut head);
    }
    head
}

/// Decodes an image file, refusing what is not a regular file (a FIFO would block the open)
/// and what is past the size limits, before reading it.
fn load(path: &Path) -> Result<DynamicImage, String> {
    crate::files::load_image(path)
}
