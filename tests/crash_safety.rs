//! SIGKILL at random points of a running job, several seeds, for the headless CLI and the TUI:
//! the history always opens, the job is interrupted (or done), every image file on disk is
//! whole and matches its row's hash, and no temp file remains after the next start.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use imgtui::store::{JobQuery, JobStatus, Store, images_sha256};

/// A small deterministic generator, so a failing seed can be replayed.
fn kill_delay(seed: u64, max_ms: u64) -> Duration {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
    x ^= x >> 29;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    Duration::from_millis(x % max_ms)
}

fn imgtui(data: &Path) -> Command {
    let mut cmd = common::imgtui_std();
    cmd.env_remove("OPENAI_API_KEY")
        .env_remove("TTAPI_API_KEY")
        .env("XDG_CONFIG_HOME", data.join("config"))
        .arg("--data-dir")
        .arg(data);
    cmd
}

/// The next start (a `history` listing) and the checks every crash must pass. Returns the
/// jobs' statuses.
fn check_after_crash(data: &Path, label: &str) -> Vec<JobStatus> {
    let listed = imgtui(data).args(["history", "--json"]).output().unwrap();
    assert!(listed.status.success(), "{label}: the history opens: {}", String::from_utf8_lossy(&listed.stderr));
    let store = Store::open(data).unwrap();
    let jobs = store.page(&JobQuery { limit: 100, ..JobQuery::default() }).unwrap();
    for job in &jobs {
        assert!(
            matches!(job.status, JobStatus::Interrupted | JobStatus::Done),
            "{label}: job {} is {} after a crash",
            job.id,
            job.status
        );
        for image in store.images_of(job.id).unwrap() {
            let bytes = std::fs::read(&image.path).unwrap_or_else(|e| panic!("{label}: {:?}: {e}", image.path));
            assert_eq!(images_sha256(&bytes), image.sha256, "{label}: {:?} matches its row", image.path);
            image::load_from_memory(&bytes).unwrap_or_else(|e| panic!("{label}: {:?} is not whole: {e}", image.path));
        }
    }
    let images = data.join("images");
    for entry in std::fs::read_dir(&images).map(|rd| rd.flatten().collect::<Vec<_>>()).unwrap_or_default() {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(!name.ends_with(".tmp"), "{label}: temp file {name} remains after the next start");
        image::open(entry.path()).unwrap_or_else(|e| panic!("{label}: {name} on disk is not whole: {e}"));
    }
    jobs.iter().map(|j| j.status).collect()
}

#[test]
fn the_cli_killed_at_random_points() {
    let mut statuses = Vec::new();
    for seed in 1..=6u64 {
        let data = tempfile::tempdir().unwrap();
        let mut child = imgtui(data.path())
            .args(["--demo-latency-ms", "100-300", "generate", "a fox", "--demo", "-n", "3", "-q", "low"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // The kill point is what the seed picks; it is not a wait for anything.
        std::thread::sleep(kill_delay(seed, 1200));
        let _ = child.kill();
        let _ = child.wait();
        statuses.extend(check_after_crash(data.path(), &format!("cli seed {seed}")));
    }
    assert!(statuses.contains(&JobStatus::Interrupted), "some kill hit a running job: {statuses:?}");
}

#[test]
fn the_tui_killed_at_random_points() {
    use portable_pty::{PtySize, native_pty_system};
    let mut statuses = Vec::new();
    for seed in 11..=14u64 {
        let data = tempfile::tempdir().unwrap();
        let pair =
            native_pty_system().openpty(PtySize { rows: 30, cols: 100, pixel_width: 0, pixel_height: 0 }).unwrap();
        let mut cmd = common::imgtui_pty();
        cmd.args(["--graphics", "blocks", "--demo-latency-ms", "100-300", "--data-dir"]);
        cmd.arg(data.path());
        cmd.env("XDG_CONFIG_HOME", data.path().join("config"));
        cmd.env_remove("OPENAI_API_KEY");
        cmd.env_remove("TTAPI_API_KEY");
        let mut child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = seen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = std::io::Read::read(&mut reader, &mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let mut writer = pair.master.take_writer().unwrap();
        // Wait for the app, then submit a job of three images.
        let deadline = Instant::now() + Duration::from_secs(20);
        while !String::from_utf8_lossy(&seen.lock().unwrap()).contains("Prompt") {
            assert!(Instant::now() < deadline, "the app did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        std::io::Write::write_all(&mut writer, b"a fox\x13").unwrap(); // Ctrl-S
        std::thread::sleep(kill_delay(seed, 1500));
        child.kill().unwrap();
        let _ = child.wait();
        statuses.extend(check_after_crash(data.path(), &format!("tui seed {seed}")));
    }
    assert!(statuses.contains(&JobStatus::Interrupted), "some kill hit a running job: {statuses:?}");
}
