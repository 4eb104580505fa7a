//! Start to first frame with 10,000, 100,000 and 1,000,000 jobs in the history (it must not grow
//! with the history); then, at a million jobs: CPU and bytes while idle with an image on screen,
//! bytes per typed character, memory, Ctrl-R's search per keystroke, and the viewer.

use std::path::Path;
use std::time::{Duration, Instant};

use imgtui::api::GenerateRequest;
use imgtui::store::{DoneOutcome, ImageRecord, ImageRequest, Store};

use crate::report;
use crate::session::{Session, app, find, screen_contains, terminal_answers};

const SIZES: [i64; 3] = [10_000, 100_000, 1_000_000];

pub fn run() {
    for jobs in SIZES {
        let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        history(data.path(), jobs);
        // The best of three starts: the first pays for reading the file into the page cache.
        let mut best = Duration::MAX;
        for _ in 0..3 {
            let app = Session::spawn(app(data.path(), &["--graphics", "kitty"]), Some(terminal_answers()));
            best = best.min(first_frame(&app));
            let mut child = app.child;
            let _ = child.kill();
            let _ = child.wait();
        }
        report(
            &format!("start to first frame, {jobs} jobs (best of 3)"),
            format!("{:.1} ms", ms(best)),
            "< 30 ms",
            best < Duration::from_millis(30),
        );
        if jobs == 1_000_000 {
            at_a_million_jobs(data.path());
        }
    }
}

/// From the spawn to the first frame's first pane title.
fn first_frame(app: &Session) -> Duration {
    app.wait("the first frame", Duration::from_secs(30), |out| find(&out.bytes, b"Prompt", 0).is_some());
    let out = app.output();
    find(&out.bytes, b"Prompt", 0).and_then(|at| out.arrival(at)).map(|t| t - app.started).unwrap_or_default()
}

fn at_a_million_jobs(data: &Path) {
    let app = Session::spawn(app(data, &["--graphics", "kitty"]), Some(terminal_answers()));
    first_frame(&app);
    app.wait("the preview", Duration::from_secs(30), |out| find(&out.bytes, b"\x1b_Ga=p,", 0).is_some());
    println!("start to preview on screen (1536x1024 PNG, kitty): {:.0} ms", ms(app.started.elapsed()));
    // Let the last frame after the preview finish (and the earlier prompts load, off the UI
    // task), then measure 10 s of idling.
    std::thread::sleep(Duration::from_millis(2000));
    let (bytes_before, cpu_before) = (app.len(), cpu_time(app.pid));
    std::thread::sleep(Duration::from_secs(10));
    let idle_bytes = app.len() - bytes_before;
    let idle_cpu = cpu_time(app.pid).saturating_sub(cpu_before);
    report("idle 10 s with an image: bytes to the terminal", idle_bytes.to_string(), "0", idle_bytes == 0);
    report(
        "idle 10 s with an image: CPU",
        format!("{} ms (10 ms resolution)", idle_cpu.as_millis()),
        "< 5 ms",
        idle_cpu < Duration::from_millis(5),
    );
    let before = app.len();
    app.send(b"x");
    app.wait("the keystroke's echo", Duration::from_secs(10), |out| screen_contains(&out.bytes, "1/32000"));
    // Anything written after the echo counts too.
    std::thread::sleep(Duration::from_millis(200));
    let per_key = app.len() - before;
    report("one prompt character with an image on screen", format!("{per_key} bytes"), "< 200 bytes", per_key < 200);
    let rss = rss_mb(app.pid);
    report("RSS with 1,000,000 jobs in the history", format!("{rss:.1} MB"), "< 80 MB", rss < 80.0);
    recall_search(&app);
    viewer(&app);
    history_search(&app, data);
    let mut child = app.child;
    let _ = child.kill();
}

/// Ctrl-R, then a query typed a key at a time: from each key to its frame, the fuzzy search
/// over every earlier prompt included.
fn recall_search(app: &Session) {
    app.send(b"\x12");
    app.wait("the search popup", Duration::from_secs(10), |out| screen_contains(&out.bytes, "Earlier prompts"));
    std::thread::sleep(Duration::from_millis(300));
    let mut worst = Duration::ZERO;
    let mut typed = String::new();
    for c in "fox 4242".chars() {
        typed.push(c);
        let mark = app.len();
        let sent = Instant::now();
        app.send(c.to_string().as_bytes());
        let echo = format!("› {typed}▏");
        app.wait("the query's echo", Duration::from_secs(10), |out| screen_contains(&out.bytes, &echo));
        // The frame's last byte (the end of its synchronized update), by when it arrived.
        let out = app.output();
        let shown = find(&out.bytes, b"\x1b[?2026l", mark).and_then(|at| out.arrival(at)).unwrap_or(sent);
        eprintln!("  Ctrl-R key {c:?}: {:.1} ms", ms(shown - sent));
        worst = worst.max(shown - sent);
    }
    report(
        "Ctrl-R over 1,000,000 jobs' prompts: key to frame, the slowest of 8 keys",
        format!("{:.1} ms", ms(worst)),
        "< 10 ms",
        worst < Duration::from_millis(10),
    );
    app.send(b"\x1b");
    std::thread::sleep(Duration::from_millis(300));
}

/// The History's `/`, a query typed a key at a time over a million jobs: from each key to the
/// frame that shows its results (the top row the history itself gives for the query, and no
/// "searching…"). Long words go through the trigram index, short ones (`4`, `42`, and the rare
/// `qz` that matches nothing) through the word index.
fn history_search(app: &Session, data: &Path) {
    // Out of the viewer the `viewer` measure left open, back to the History.
    app.send(b"\x1b");
    std::thread::sleep(Duration::from_millis(300));
    let store = Store::open_read_only(data).unwrap_or_else(|e| panic!("{e}"));
    let mut worst = Duration::ZERO;
    for query in ["fox 4242", "qz"] {
        app.send(b"/");
        app.wait("the search line", Duration::from_secs(10), |out| screen_contains(&out.bytes, "/▏"));
        std::thread::sleep(Duration::from_millis(300));
        let mut typed = String::new();
        for c in query.chars() {
            typed.push(c);
            let page = imgtui::store::JobQuery { search: Some(typed.clone()), limit: 1, ..Default::default() };
            let top = store.page(&page).ok().and_then(|rows| rows.first().map(|r| format!("#{} ", r.id)));
            let echo = format!("/{typed}▏");
            let answered = |screen: &str| {
                screen.contains(&echo)
                    && !screen.contains("searching…")
                    && top.as_ref().map_or(screen.contains("no job matches"), |top| screen.contains(top))
            };
            let mark = app.len();
            let sent = Instant::now();
            app.send(c.to_string().as_bytes());
            app.wait("the query's results", Duration::from_secs(10), |out| answered(&screen_of(&out.bytes)));
            let out = app.output();
            // Without a frame's end (a frame cut by the pty), its last byte's arrival.
            let shown = first_frame_where(&out, mark, &answered)
                .or_else(|| out.bytes.len().checked_sub(1).and_then(|last| out.arrival(last)))
                .unwrap_or(sent);
            drop(out);
            eprintln!("  / key {c:?}: {:.1} ms", ms(shown.saturating_duration_since(sent)));
            worst = worst.max(shown.saturating_duration_since(sent));
        }
        app.send(b"\x1b");
        std::thread::sleep(Duration::from_millis(300));
    }
    report(
        "/ search over 1,000,000 jobs: key to results on screen, the slowest of 10 keys",
        format!("{:.1} ms", ms(worst)),
        "< 10 ms",
        worst < Duration::from_millis(10),
    );
}

/// The screen as `bytes` leave it.
fn screen_of(bytes: &[u8]) -> String {
    let mut parser = vt100::Parser::new(crate::session::ROWS, crate::session::COLS, 0);
    parser.process(bytes);
    parser.screen().contents()
}

/// When the first frame after `mark` that leaves the screen as `wanted` arrived.
fn first_frame_where(out: &crate::session::Output, mark: usize, wanted: &dyn Fn(&str) -> bool) -> Option<Instant> {
    let mut parser = vt100::Parser::new(crate::session::ROWS, crate::session::COLS, 0);
    parser.process(&out.bytes[..mark]);
    let mut at = mark;
    while let Some(end) = find(&out.bytes, b"\x1b[?2026l", at) {
        let next = end + b"\x1b[?2026l".len();
        parser.process(&out.bytes[at..next]);
        if wanted(&parser.screen().contents()) {
            return out.arrival(end);
        }
        at = next;
    }
    None
}

/// `v` on the newest job (1536x1024 PNG), whose pixels the Job pane's preview decoded: key sent
/// to the last byte of the full-screen picture (fit + encode). Then ↓ to the job before, whose
/// image was never shown (cold: decode + fit + encode).
fn viewer(app: &Session) {
    app.send(b"\t\t");
    app.wait("the history focused", Duration::from_secs(10), |out| screen_contains(&out.bytes, "load into form"));
    std::thread::sleep(Duration::from_millis(300));
    let warm = picture_after(app, b"v");
    report(
        "viewer open to picture on screen (1536x1024 PNG, kitty, pixels already decoded)",
        format!("{:.0} ms", ms(warm)),
        "< 30 ms",
        warm < Duration::from_millis(30),
    );
    std::thread::sleep(Duration::from_millis(300));
    let cold = picture_after(app, b"\x1b[B");
    report(
        "viewer, next job's picture on screen (1536x1024 PNG, kitty, cold: decode + fit + encode)",
        format!("{:.0} ms", ms(cold)),
        "< 80 ms",
        cold < Duration::from_millis(80),
    );
}

/// From sending `keys` to the last byte of the next new kitty picture.
fn picture_after(app: &Session, keys: &[u8]) -> Duration {
    let mark = app.len();
    let sent = Instant::now();
    app.send(keys);
    let shown = |out: &crate::session::Output| {
        find(&out.bytes, b"\x1b_Ga=t,f=100", mark)
            .and_then(|at| find(&out.bytes, b"\x1b\\\x1b8", at))
            .and_then(|end| out.arrival(end))
    };
    app.wait("the viewer's picture", Duration::from_secs(10), |out| shown(out).is_some());
    shown(&app.output()).map(|t| t - sent).unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `jobs` done jobs, the two newest with a 1536x1024 PNG each. The bulk is written by SQLite
/// itself (a copy of one real job per row, each prompt its own), so a million take seconds.
fn history(dir: &Path, jobs: i64) {
    let started = Instant::now();
    let mut store = Store::open(dir).unwrap_or_else(|e| panic!("{e}"));
    let template = ImageRequest::Generate(GenerateRequest::new("gpt-image-1", "job 0: a fox at dusk"));
    let id = store.insert_job(&template, "demo", "http://127.0.0.1/v1", None, &[], 0).unwrap_or_default();
    let _ = store.finish_done(id, &DoneOutcome::default(), 1);
    drop(store);
    let db = rusqlite::Connection::open(dir.join(imgtui::store::DB_FILE)).unwrap_or_else(|e| panic!("{e}"));
    let columns: Vec<String> = db
        .prepare("SELECT name FROM pragma_table_info('jobs') WHERE name NOT IN ('id', 'created_at', 'prompt')")
        .and_then(|mut stmt| stmt.query_map([], |row| row.get(0))?.collect())
        .unwrap_or_else(|e| panic!("{e}"));
    let columns = columns.join(", ");
    let bulk = format!(
        "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO jobs (id, created_at, prompt, {columns})
         SELECT i, i, 'job ' || i || ': a fox at dusk', {columns} FROM n, (SELECT * FROM jobs WHERE id = 1)"
    );
    db.execute(&bulk, [jobs - 2]).unwrap_or_else(|e| panic!("{e}"));
    drop(db);
    let mut store = Store::open(dir).unwrap_or_else(|e| panic!("{e}"));
    for (i, (prompt, seed)) in [("a grey wolf", 8), ("a red fox", 7)].into_iter().enumerate() {
        let picture = imgtui::demo::draw::picture(prompt, seed, 1536, 1024, false);
        let png = imgtui::demo::draw::encode(&picture, imgtui::api::ImageFormat::Png, 100).unwrap_or_default();
        let path = dir.join(format!("newest-{i}.png"));
        let _ = std::fs::write(&path, &png);
        let request = ImageRequest::Generate(GenerateRequest::new(
            "gpt-image-1",
            format!("job {}: {prompt}", jobs - 1 + i as i64),
        ));
        let at = jobs + i as i64;
        let id = store.insert_job(&request, "demo", "http://127.0.0.1/v1", None, &[], at).unwrap_or_default();
        let image = ImageRecord {
            index: 0,
            path,
            format: Some(imgtui::api::ImageFormat::Png),
            width: Some(1536),
            height: Some(1024),
            bytes: png.len() as u64,
            sha256: String::new(),
        };
        let _ = store.finish_done(id, &DoneOutcome { images: vec![image], ..DoneOutcome::default() }, at + 1);
    }
    eprintln!("({jobs} jobs written in {:.1} s)", started.elapsed().as_secs_f64());
}

/// CPU time (user + system) of `pid`, from /proc.
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks: u64 = fields.get(11).and_then(|v| v.parse().ok()).unwrap_or(0)
        + fields.get(12).and_then(|v| v.parse().ok()).unwrap_or(0);
    Duration::from_millis(ticks * 10) // USER_HZ is 100 on Linux
}

fn rss_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}
