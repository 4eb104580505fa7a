//! From a finished response to the preview on screen, beside `viu` showing the same 1536x1024
//! PNG at the same size in cells, in the same run, both through the kitty protocol in a pty.
//!
//! The app's clock starts when a local HTTP server has written the last byte of the answer
//! (the image as base64) and stops when the last byte of the kitty image reaches the pty. viu's
//! clock runs from its start to the last byte it writes. The bench answers viu's kitty queries
//! as a remote kitty would (inline images yes, shared files no), which is the case over SSH.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use portable_pty::CommandBuilder;

use crate::report;
use crate::session::{Output, Session, app, find, screen_contains, terminal_answers};

const RUNS: usize = 5;

pub fn run() {
    let temp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = temp.path().to_path_buf();
    if std::env::var_os("IMGTUI_BENCH_KEEP").is_some() {
        eprintln!("(keeping {})", temp.keep().display());
    }
    let png = photographic_png();
    let png_path = data.as_path().join("same.png");
    std::fs::write(&png_path, &png).unwrap_or_else(|e| panic!("{e}"));
    let answered = serve(&png);
    let (app_times, cells, app_links) = app_runs(data.as_path(), &answered);
    let app_median = median(&app_times);
    println!(
        "finished response to preview on screen, 1536x1024 PNG ({} KB), kitty, app: median {:.0} ms (runs: {})",
        png.len() / 1024,
        app_median,
        list(&app_times)
    );
    let Some(viu) = find_viu() else {
        println!("viu side by side: SKIPPED, viu is not installed (`cargo install viu` puts it in ~/.cargo/bin)");
        return;
    };
    let (viu_times, viu_links): (Vec<f64>, Vec<Writes>) = (0..RUNS).map(|_| viu_run(&viu, &png_path, cells)).unzip();
    let viu_median = median(&viu_times);
    println!(
        "viu {} -w {} -h {} on the same file, kitty: median {:.0} ms (runs: {})",
        png_path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
        cells.0,
        cells.1,
        viu_median,
        list(&viu_times)
    );
    report(
        "response to preview, app beside viu",
        format!("{app_median:.0} ms vs {viu_median:.0} ms ({:.2}x)", app_median / viu_median),
        "half of viu's",
        app_median <= viu_median / 2.0,
    );
    println!(
        "bytes to the terminal for the preview: app {} KB, viu {} KB",
        median_bytes(&app_links) / 1024,
        median_bytes(&viu_links) / 1024
    );
    for link in LINKS {
        let app_ms = median(&app_links.iter().map(|w| link.delivery_ms(w)).collect::<Vec<_>>());
        // viu asks the terminal whether it takes kitty images and waits for the answer before it
        // draws: one round trip more over a real link (the pty here answers at once).
        let viu_ms = median(&viu_links.iter().map(|w| link.delivery_ms(w) + link.round_trip_ms()).collect::<Vec<_>>());
        report(
            &format!("response to preview through a {} link, app beside viu", link.name),
            format!("{app_ms:.0} ms vs {viu_ms:.0} ms ({:.2}x)", app_ms / viu_ms),
            "0.3x viu's",
            app_ms <= viu_ms * 0.3,
        );
    }
}

/// A link between the remote machine and the terminal: its rate and its one-way latency.
struct Link {
    name: &'static str,
    bits_per_second: f64,
    latency: Duration,
}

/// The speeds a user on SSH has: a LAN, an office line, a phone's tether; 30 ms away.
const LINKS: [Link; 3] = [
    Link { name: "100 Mbit/s, 30 ms", bits_per_second: 100e6, latency: Duration::from_millis(30) },
    Link { name: "10 Mbit/s, 30 ms", bits_per_second: 10e6, latency: Duration::from_millis(30) },
    Link { name: "2 Mbit/s, 30 ms", bits_per_second: 2e6, latency: Duration::from_millis(30) },
];

/// What one side wrote for one preview: from the clock's start, each write's time and size.
struct Writes {
    start: Instant,
    writes: Vec<(Instant, usize)>,
}

impl Link {
    /// When the last byte reaches the terminal through this link, in ms from the start: the
    /// writes queue at the link's rate (a byte cannot leave before it was written), then cross
    /// its latency.
    fn delivery_ms(&self, w: &Writes) -> f64 {
        let mut free = w.start;
        for &(at, bytes) in &w.writes {
            free = free.max(at) + Duration::from_secs_f64(bytes as f64 * 8.0 / self.bits_per_second);
        }
        (free + self.latency - w.start).as_secs_f64() * 1000.0
    }

    fn round_trip_ms(&self) -> f64 {
        2.0 * self.latency.as_secs_f64() * 1000.0
    }
}

fn median_bytes(runs: &[Writes]) -> usize {
    let mut sizes: Vec<usize> = runs.iter().map(|w| w.writes.iter().map(|(_, n)| n).sum()).collect();
    sizes.sort_unstable();
    sizes.get(sizes.len() / 2).copied().unwrap_or(0)
}

/// Runs the app against the local server `RUNS` times; returns the times and the preview's
/// size in cells (from the kitty sequence), for viu.
fn app_runs(data: &Path, answered: &Arc<Mutex<Answered>>) -> (Vec<f64>, (u16, u16), Vec<Writes>) {
    let base_url = format!("http://{}/v1", answered.lock().unwrap_or_else(PoisonError::into_inner).address);
    let mut cmd = app(data, &["--graphics", "kitty", "--base-url", &base_url]);
    cmd.env("OPENAI_API_KEY", "sk-bench");
    if let Ok(filter) = std::env::var("IMGTUI_LOG") {
        cmd.env("IMGTUI_LOG", filter);
    }
    let app = Session::spawn(cmd, Some(terminal_answers()));
    let long = Duration::from_secs(60);
    app.wait("the app", long, |out| screen_contains(&out.bytes, "Prompt"));
    app.send(b"a fox");
    let (mut times, mut cells, mut links) = (Vec::new(), (0, 0), Vec::new());
    for run in 0..RUNS {
        // A person's pace: the last job's follow-up work (its row, its details, the token
        // history for estimates) is done before the next answer comes.
        std::thread::sleep(Duration::from_millis(500));
        let from = app.len();
        app.send(b"\x13"); // Ctrl-S
        app.wait("the preview", long, |out| kitty_image_end(out, from).is_some());
        let sent = answered.lock().unwrap_or_else(PoisonError::into_inner).at.get(run).copied();
        let out = app.output();
        let (start, end) = kitty_image_end(&out, from).unwrap_or_default();
        let on_screen = out.arrival(end.saturating_sub(1));
        if let (Some(sent), Some(on_screen)) = (sent, on_screen) {
            times.push(on_screen.saturating_duration_since(sent).as_secs_f64() * 1000.0);
            let writes = out.writes(from, end).into_iter().filter(|(at, _)| *at >= sent).collect();
            links.push(Writes { start: sent, writes });
        }
        cells = cells_of(&out.bytes[start..end]);
    }
    let mut child = app.child;
    let _ = child.kill();
    (times, cells, links)
}

/// Where the first complete kitty image after `from` starts (its data) and ends (its
/// placement).
fn kitty_image_end(out: &Output, from: usize) -> Option<(usize, usize)> {
    let start = find(&out.bytes, b"\x1b_Ga=t,f=100", from)?;
    let head_end = find(&out.bytes, b"\x1b\\", start)?;
    // A one-chunk image carries m=0 in its head; otherwise the last chunk starts ESC _G m=0.
    let last = if find(&out.bytes[..head_end], b"m=0;", start).is_some() {
        start
    } else {
        find(&out.bytes, b"\x1b_Gm=0;", start)?
    };
    let sent = find(&out.bytes, b"\x1b\\", last)? + 2;
    let placed = find(&out.bytes, b"\x1b_Ga=p,", sent)?;
    Some((start, find(&out.bytes, b"\x1b\\", placed)? + 2))
}

/// The cells a kitty placement in `seq` covers.
fn cells_of(seq: &[u8]) -> (u16, u16) {
    let placement = find(seq, b"\x1b_Ga=p,", 0).unwrap_or(0);
    let head = String::from_utf8_lossy(&seq[placement..seq.len().min(placement + 200)]).into_owned();
    let value = |key: &str| {
        head.split([',', ';']).find_map(|kv| kv.strip_prefix(key)).and_then(|v| v.parse().ok()).unwrap_or(0)
    };
    (value("c="), value("r="))
}

/// viu in a pty of the same size; the time from its start to the last byte it wrote.
fn viu_run(viu: &Path, png: &Path, (cols, rows): (u16, u16)) -> (f64, Writes) {
    let mut cmd = CommandBuilder::new(viu);
    cmd.args(["-w", &cols.to_string(), "-h", &rows.to_string()]);
    cmd.arg(png);
    cmd.env("TERM", "xterm-kitty");
    let mut answered = (false, false);
    let responder = Box::new(move |out: &[u8]| {
        let head = &out[..out.len().min(4096)];
        if !answered.0 && find(head, b"a=q,t=d", 0).is_some() && find(head, b"\x1b[c", 0).is_some() {
            answered.0 = true;
            return Some(b"\x1b_Gi=31;OK\x1b\\\x1b[?62;4c".to_vec());
        }
        if !answered.1 && find(head, b"a=q,t=t", 0).is_some() {
            answered.1 = true;
            return Some(b"\x1b_Gi=31;ENOENT:remote\x1b\\".to_vec());
        }
        None
    });
    let mut session = Session::spawn(cmd, Some(responder));
    let status = session.child.wait();
    // The reader drains what was written before the exit; wait until it has stopped growing.
    let mut last = (0, Instant::now());
    loop {
        let len = session.output().bytes.len();
        if len != last.0 {
            last = (len, Instant::now());
        } else if last.1.elapsed() > Duration::from_millis(100) {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let out = session.output();
    assert!(status.is_ok_and(|s| s.success()), "viu failed: {}", String::from_utf8_lossy(&out.bytes));
    assert!(find(&out.bytes, b"\x1b_Gf=32,a=T", 0).is_some(), "viu did not use the kitty protocol");
    let end = out.arrival(out.bytes.len().saturating_sub(1)).unwrap_or_else(Instant::now);
    let writes = Writes { start: session.started, writes: out.writes(0, out.bytes.len()) };
    ((end - session.started).as_secs_f64() * 1000.0, writes)
}

fn find_viu() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join("viu"));
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|home| home.join("bin/viu"));
    on_path.chain(cargo_home).find(|p| p.is_file())
}

/// The demo's picture with per-pixel noise, so it weighs and decodes like a photograph.
fn photographic_png() -> Vec<u8> {
    let mut picture = imgtui::demo::draw::picture("a red fox in the snow", 11, 1536, 1024, false);
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    for pixel in picture.pixels_mut() {
        for channel in pixel.0.iter_mut().take(3) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            *channel = channel.saturating_add((state % 24) as u8).saturating_sub(12);
        }
    }
    imgtui::demo::draw::encode(&picture, imgtui::api::ImageFormat::Png, 100).unwrap_or_default()
}

struct Answered {
    address: String,
    /// When the last byte of each answer was written.
    at: Vec<Instant>,
}

/// A minimal Images API: every request gets the PNG as `b64_json` (a model list that is not
/// one: the app falls back to its built-in list).
fn serve(png: &[u8]) -> Arc<Mutex<Answered>> {
    use base64::Engine as _;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let address = listener.local_addr().map(|a| a.to_string()).unwrap_or_default();
    let body = format!(
        "{{\"created\":1,\"data\":[{{\"b64_json\":\"{}\"}}],\"output_format\":\"png\"}}",
        base64::engine::general_purpose::STANDARD.encode(png)
    );
    let answered = Arc::new(Mutex::new(Answered { address, at: Vec::new() }));
    let log = answered.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut length = 0usize;
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            // Only the image requests start a clock: the app also asks for the model list at
            // start (counting that answer once put every run's clock one answer early).
            let images = line.starts_with("POST ");
            line.clear();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                line.clear();
            }
            let mut request = vec![0; length];
            let _ = reader.read_exact(&mut request);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let mut writer = &stream;
            let _ = writer.write_all(head.as_bytes());
            let _ = writer.write_all(body.as_bytes());
            let _ = writer.flush();
            if images {
                log.lock().unwrap_or_else(PoisonError::into_inner).at.push(Instant::now());
            }
        }
    });
    answered
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(f64::NAN)
}

fn list(values: &[f64]) -> String {
    values.iter().map(|v| format!("{v:.0}")).collect::<Vec<_>>().join(", ")
}
