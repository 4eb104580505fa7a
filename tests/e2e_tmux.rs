//! The real binary in tmux, as a user over SSH would drive it: type a prompt, pick n=2,
//! submit, watch the job go running → done, find the files, quit, and check the terminal.
//! Without tmux these tests say they are skipped and pass; CI installs it and sets
//! IMGTUI_REQUIRE_TMUX=1 (.ci/run). The same flows without tmux: tests/e2e_pty.rs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tmux::{Tmux, app_command};

#[test]
fn generate_two_images_from_the_keyboard_and_quit_cleanly() {
    if !common::have(common::Tool::Tmux) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let tmux = Tmux::start(120, 40, &app_command(data.path(), "--demo-latency-ms 1500"));
    tmux.wait_for("the demo banner", 20, |s| s.contains("Demo mode: no API key found"));

    tmux.type_text("a red fox in the snow");
    tmux.keys(&["Tab", "Down", "Down", "Down", "Down", "Down", "Right"]); // settings → Images (n) → 2
    tmux.wait_for("n = 2", 5, |s| s.contains("Images (n)  ‹ 2 ›"));
    tmux.keys(&["C-s"]);
    let running = tmux.wait_for("the job running", 10, |s| s.contains("#1") && s.contains("running"));
    assert!(running.contains("a red fox in the snow"));
    let done = tmux.wait_for("the job done", 30, |s| s.contains("✓ #1") && s.contains("2 img"));
    assert!(done.contains("job 1 done: 2 image(s) saved"), "{done}");

    let images: Vec<_> = std::fs::read_dir(data.path().join("images")).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(images.len(), 2, "{images:?}");
    for image in &images {
        assert_eq!(image::open(image).unwrap().to_rgba8().dimensions(), (1024, 1024));
    }

    tmux.keys(&["C-c"]);
    let after = tmux.wait_for("the app to exit", 10, |s| s.contains("END-OF-RUN"));
    assert!(after.contains("EXIT=0"), "{after}");
    assert!(after.contains("icanon echo"), "raw mode was undone: {after}");
    assert!(!after.contains("Prompt") && !after.contains("History ("), "the alternate screen was left: {after}");
}

#[test]
fn a_tiny_terminal_shows_a_notice_and_80x24_stays_usable() {
    if !common::have(common::Tool::Tmux) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let tmux = Tmux::start(30, 8, &app_command(data.path(), ""));
    tmux.wait_for("the too-small notice", 20, |s| s.contains("terminal too small"));
    assert!(tmux.cmd(&["resize-window", "-t", "e2e", "-x", "80", "-y", "24"]).status().unwrap().success());
    let screen = tmux.wait_for("the compose page", 10, |s| s.contains("Compose") && s.contains("Prompt"));
    assert!(screen.contains("Jobs") && screen.contains("Settings"), "{screen}");
    tmux.keys(&["Tab", "Tab"]);
    tmux.wait_for("the jobs page", 10, |s| s.contains("no jobs yet"));
    tmux.keys(&["q"]);
    let after = tmux.wait_for("the app to exit", 10, |s| s.contains("END-OF-RUN"));
    assert!(after.contains("EXIT=0"), "{after}");
}

#[test]
fn edit_with_an_image_and_a_mask_picked_in_the_browser() {
    if !common::have(common::Tool::Tmux) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let input = common::write_gradient_png(work.path(), "input.png", (128, 128));
    common::write_png(work.path(), "mask.png", (128, 128), [0, 0, 0, 255], Some((32, 32, 64, 64)));
    common::write_png(work.path(), "other.png", (128, 128), [9, 9, 9, 255], None);
    let tmux = Tmux::start_in(120, 40, &app_command(data.path(), "--demo-latency-ms 300"), work.path());
    tmux.wait_for("the app", 20, |s| s.contains("Demo mode"));

    tmux.type_text("add a hat");
    tmux.keys(&["Tab", "Right"]); // settings, Mode → edit
    tmux.wait_for("edit mode", 5, |s| s.contains("‹ edit ›") && s.contains("+ add an image"));
    tmux.keys(&["Down", "Down", "Enter"]); // the add-image row opens the browser
    tmux.wait_for("the browser", 10, |s| s.contains("Pick the input image 1") && s.contains("other.png"));
    tmux.type_text("inp");
    let filtered = tmux.wait_for("the filter", 5, |s| s.contains("filter: inp") && !s.contains("other.png"));
    assert!(filtered.contains("png 128x128"), "facts from the header: {filtered}");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the image picked", 5, |s| s.contains("Image 1     ‹ input.png ›"));
    tmux.keys(&["Down", "Down", "Enter"]); // the mask row
    tmux.wait_for("the mask browser", 10, |s| s.contains("Pick the mask"));
    tmux.type_text("mask");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the mask picked", 5, |s| s.contains("Mask        ‹ mask.png ›"));
    tmux.keys(&["C-s"]);
    tmux.wait_for("the edit done", 30, |s| s.contains("✓ #1") && s.contains("1 img"));

    let outputs: Vec<_> = std::fs::read_dir(data.path().join("images")).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(outputs.len(), 1, "{outputs:?}");
    let (before, after) = (image::open(&input).unwrap().to_rgba8(), image::open(&outputs[0]).unwrap().to_rgba8());
    assert_eq!(after.dimensions(), (128, 128));
    let mut changed = 0;
    for (x, y, pixel) in after.enumerate_pixels() {
        if (32..96).contains(&x) && (32..96).contains(&y) {
            changed += usize::from(pixel != before.get_pixel(x, y));
        } else {
            assert_eq!(pixel, before.get_pixel(x, y), "({x},{y}) outside the mask changed");
        }
    }
    assert!(changed > 64 * 64 / 2, "the masked region was edited ({changed} pixels)");
    tmux.keys(&["C-c"]);
    let after = tmux.wait_for("the app to exit", 10, |s| s.contains("END-OF-RUN"));
    assert!(after.contains("EXIT=0"), "{after}");
}

#[test]
fn at_80x24_a_mask_painted_over_the_image_is_saved_used_and_recorded() {
    if !common::have(common::Tool::Tmux) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let input = common::write_gradient_png(work.path(), "input.png", (300, 200));
    let tmux = Tmux::start_in(80, 24, &app_command(data.path(), "--demo-latency-ms 300"), work.path());
    tmux.wait_for("the app", 20, |s| s.contains("Demo mode"));
    tmux.type_text("a hat");
    tmux.keys(&["Tab", "Right"]); // settings, Mode → edit
    tmux.wait_for("edit mode", 5, |s| s.contains("‹ edit ›") && s.contains("+ add an image"));
    tmux.keys(&["Down", "Down", "Enter"]);
    tmux.wait_for("the browser", 10, |s| s.contains("input.png"));
    tmux.type_text("input");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the image picked", 5, |s| s.contains("‹ input.png ›") && s.contains("300x200"));
    tmux.keys(&["Down", "Down", "m"]); // the Mask row: paint
    let picture_rows = |s: &str| s.lines().filter(|l| l.matches('▀').count() > 20).count();
    // The picture fills the screen but the status row (a 3:2 image at 80x24: 69x23 cells).
    tmux.wait_for("the painter's picture", 10, |s| s.contains("Mask · brush") && picture_rows(s) >= 22);
    tmux.keys(&["r", "Right", "Right", "Right", "Right", "Right", "Down", "Down", "Down", "Enter"]);
    tmux.wait_for("the rectangle painted", 5, |s| s.lines().last().is_some_and(|l| !l.contains("· 0%")));
    tmux.keys(&["Enter"]);
    let saved = tmux.wait_for("the mask on the Mask row", 10, |s| s.contains("of the image") && s.contains("-mask-"));
    assert!(!saved.contains("Mask · brush"), "the painter closed:\n{saved}");
    tmux.keys(&["C-s"]);
    tmux.wait_for("the edit done", 30, |s| s.contains("job 1 done"));
    tmux.keys(&["C-c"]);
    tmux.wait_for("the app to exit", 10, |s| s.contains("END-OF-RUN"));

    let masks: Vec<_> = std::fs::read_dir(data.path().join("masks")).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(masks.len(), 1, "{masks:?}");
    let mask = image::open(&masks[0]).unwrap().to_rgba8();
    assert_eq!(mask.dimensions(), (300, 200), "the first image's size");
    let painted = mask.pixels().filter(|p| p[3] == 0).count();
    assert!(painted > 0 && painted < 300 * 200 / 2, "a rectangle: {painted} pixels");
    let store = imgtui::store::Store::open(data.path()).unwrap();
    let job = store.job(1).unwrap().unwrap();
    assert_eq!(job.status, imgtui::store::JobStatus::Done);
    let recorded: Vec<_> = job.inputs.iter().map(|i| (i.role.as_str(), i.path.clone())).collect();
    assert!(recorded.contains(&("mask", masks[0].clone())), "{recorded:?}");
    assert!(recorded.contains(&("image", input)), "{recorded:?}");
}

#[test]
fn the_estimate_follows_n_and_quality_and_a_tiny_budget_asks_before_sending() {
    if !common::have(common::Tool::Tmux) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let config = data.path().join("config/imgtui");
    std::fs::create_dir_all(&config).unwrap();
    // An unrelated bad key is dropped with a notice; the budget beside it still holds. A model
    // with a published formula, so the estimate is a figure ("≈"), not a floor.
    let model = common::priced_model();
    let text = format!("budget_daily_usd = 0.001\ndefault_model = \"{model}\"\ncolour = \"red\"\n");
    std::fs::write(config.join("config.toml"), text).unwrap();
    let tmux = Tmux::start(120, 40, &app_command(data.path(), "--demo-latency-ms 0"));
    tmux.wait_for("the app", 20, |s| s.contains("Demo mode"));
    tmux.wait_for("the dropped key named", 5, |s| s.contains("ignored: `colour`"));
    tmux.wait_for("auto priced as its dearest quality", 5, |s| s.contains("≤ $") && s.contains("for 1 image"));
    assert!(tmux.screen().contains("today $0.00 of $0.001"), "the day's spend on the status line");
    tmux.type_text("a red fox");
    tmux.keys(&["Tab", "Down", "Down", "Down", "Right"]); // Quality → low
    let low = tmux.wait_for("an estimate", 5, |s| s.contains("≈ $") && s.contains("for 1 image"));
    let price = |screen: &str| {
        let at = screen.find("≈ $").unwrap() + "≈ $".len();
        screen[at..].split_whitespace().next().unwrap().parse::<f64>().unwrap()
    };
    let one = price(&low);
    tmux.keys(&["Right"]); // Quality → medium
    let medium = tmux.wait_for("a dearer estimate", 5, |s| s.contains("≈ $") && price(s) > one);
    tmux.keys(&["Down", "Right"]); // Images (n) → 2
    let two = tmux.wait_for("2 images", 5, |s| s.contains("for 2 images"));
    assert!((price(&two) - 2.0 * price(&medium)).abs() < 0.0002, "twice the price:\n{two}");
    tmux.keys(&["C-s"]);
    // The dialog wraps its words: each part is looked for on its own.
    let asked = tmux.wait_for("the budget question", 5, |s| s.contains("budget of $0.001. Send it?"));
    assert!(asked.contains("today $0.00 spent") && asked.contains("would pass the daily"), "{asked}");
    tmux.keys(&["n"]);
    tmux.wait_for("not sent", 5, |s| !s.contains("Send it?"));
    assert!(!data.path().join("images").exists(), "nothing was sent");
    tmux.keys(&["C-c"]);
    tmux.wait_for("the app to exit", 10, |s| s.contains("END-OF-RUN"));
}

#[test]
fn a_resize_storm_down_to_1x1_leaves_the_app_working() {
    if !common::have(common::Tool::Tmux) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let tmux = Tmux::start(100, 30, &app_command(data.path(), ""));
    tmux.wait_for("the app", 20, |s| s.contains("Prompt"));
    for (w, h) in [(1, 1), (200, 60), (2, 1), (39, 11), (40, 12), (1, 50), (150, 2), (80, 24), (5, 5), (120, 40)] {
        assert!(
            tmux.cmd(&["resize-window", "-t", "e2e", "-x", &w.to_string(), "-y", &h.to_string()])
                .status()
                .unwrap()
                .success()
        );
    }
    assert!(tmux.cmd(&["resize-window", "-t", "e2e", "-x", "100", "-y", "30"]).status().unwrap().success());
    tmux.type_text("still alive");
    tmux.wait_for("the app after the storm", 10, |s| s.contains("still alive") && s.contains("Settings"));
    tmux.keys(&["C-c"]);
    let after = tmux.wait_for("the app to exit", 10, |s| s.contains("END-OF-RUN"));
    assert!(after.contains("EXIT=0") && after.contains("icanon echo"), "{after}");
}

#[test]
fn a_panic_leaves_the_terminal_restored() {
    if !common::have(common::Tool::Tmux) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let tmux =
        Tmux::start(100, 30, &format!("env IMGTUI_TEST_PANIC=1 RUST_BACKTRACE=0 {}", app_command(data.path(), "")));
    tmux.wait_for("the app", 20, |s| s.contains("Prompt"));
    tmux.keys(&["F12"]);
    let after = tmux.wait_for("the app to exit", 10, |s| s.contains("END-OF-RUN"));
    assert!(after.contains("EXIT=101"), "a panic exit: {after}");
    assert!(after.contains("panic injected by IMGTUI_TEST_PANIC"), "the message is readable: {after}");
    assert!(after.contains("icanon echo"), "raw mode was undone: {after}");
    assert!(!after.contains("Settings"), "the alternate screen was left: {after}");
}

#[test]
fn ctrl_z_gives_the_shell_back_and_fg_brings_the_app_back() {
    if !common::have(common::Tool::Tmux) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    // A real shell with job control, as over SSH: Ctrl-Z must stop the app, not just the screen.
    let tmux = Tmux::start(100, 30, "env PS1='$ ' bash --norc --noprofile -i");
    let shell_prompt = |s: &str| s.lines().any(|l| l.starts_with('$'));
    tmux.wait_for("the shell", 10, shell_prompt);
    let command = format!(
        "env -u OPENAI_API_KEY -u TTAPI_API_KEY TERM=xterm-256color XDG_CONFIG_HOME='{}' {}={} '{}' --data-dir '{}'",
        data.path().join("config").display(),
        imgtui::clock::TODAY_VAR,
        common::TODAY,
        env!("CARGO_BIN_EXE_imgtui"),
        data.path().display()
    );
    tmux.type_text(&command);
    tmux.keys(&["Enter"]);
    tmux.wait_for("the app", 20, |s| s.contains("Prompt") && s.contains("Settings"));
    tmux.type_text("a fox");
    tmux.keys(&["C-z"]);
    let stopped = tmux.wait_for("the shell to say the app stopped", 10, |s| s.contains("Stopped"));
    assert!(!stopped.contains("Settings"), "the alternate screen was left: {stopped}");
    tmux.type_text("stty -a | tr ' ' '\\n' | grep -cE '^(icanon|echo)$'");
    tmux.keys(&["Enter"]);
    tmux.wait_for("a cooked terminal while stopped", 10, |s| s.lines().any(|l| l.trim() == "2"));
    tmux.type_text("fg");
    tmux.keys(&["Enter"]);
    tmux.wait_for("the app to come back as it was", 10, |s| s.contains("a fox") && s.contains("Settings"));
    tmux.type_text("es");
    tmux.wait_for("keys to work again", 10, |s| s.contains("a foxes") && s.contains("7/32000"));
    tmux.keys(&["C-c"]);
    tmux.wait_for("the shell after quitting", 10, |s| !s.contains("Settings") && shell_prompt(s));
}

#[test]
fn without_passthrough_no_graphics_query_reaches_tmux_as_a_pane_title() {
    if !common::have(common::Tool::Tmux) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let tmux = Tmux::start(100, 30, &app_command(data.path(), ""));
    tmux.wait_for("the app", 20, |s| s.contains("Demo mode"));
    let title = tmux.cmd(&["display", "-p", "-t", "e2e", "#{pane_title}"]).output().unwrap();
    let title = String::from_utf8_lossy(&title.stdout);
    assert!(!title.contains("a=q") && !title.contains("Gi="), "the kitty query became the pane title: {title}");
    tmux.keys(&["C-c"]);
}

#[test]
fn at_80x24_the_viewer_fills_the_screen_and_the_gallery_shows_the_results() {
    if !common::have(common::Tool::Tmux) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    for prompt in ["a fox", "an owl"] {
        let out = common::imgtui_std()
            .env_remove("OPENAI_API_KEY")
            .env_remove("TTAPI_API_KEY")
            .env("XDG_CONFIG_HOME", data.path().join("config"))
            .arg("--data-dir")
            .arg(data.path())
            .args(["--demo-latency-ms", "0", "--demo", "generate", prompt, "-n", "2", "-q", "low"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let tmux = Tmux::start(80, 24, &app_command(data.path(), "--graphics blocks"));
    tmux.wait_for("the history", 20, |s| s.contains("Demo mode"));
    tmux.keys(&["Tab", "Tab"]);
    tmux.wait_for("the jobs page", 10, |s| s.contains("History (2)") && s.contains("Job #2"));
    tmux.keys(&["v"]);
    let pixels = |s: &str| s.lines().filter(|l| l.chars().filter(|c| matches!(c, '▀' | '▄')).count() > 20).count();
    let viewer = tmux.wait_for("the picture on the whole screen", 15, |s| pixels(s) >= 22);
    assert!(viewer.lines().last().is_some_and(|l| l.contains("#2") && l.contains("1/2")), "{viewer}");
    // Esc and V sent together would read as Alt-V: the viewer closes first.
    tmux.keys(&["Escape"]);
    tmux.wait_for("the jobs page again", 10, |s| s.contains("History (2)"));
    tmux.keys(&["V"]);
    let gallery = tmux.wait_for("the gallery", 15, |s| s.contains("Gallery · page 1/1") && pixels(s) >= 6);
    assert!(gallery.contains("#1") && gallery.contains("#2"), "{gallery}");
    tmux.keys(&["Escape"]);
    tmux.wait_for("the gallery closed", 10, |s| s.contains("History (2)"));
    tmux.keys(&["C-c"]);
    tmux.wait_for("a clean exit", 10, |s| s.contains("EXIT=0"));
}

/// Where `text` first is on `screen`, as SGR mouse coordinates (1-based column, row).
fn mouse_spot(screen: &str, text: &str) -> (usize, usize) {
    for (row, line) in screen.lines().enumerate() {
        if let Some(byte) = line.find(text) {
            return (line[..byte].chars().count() + 1, row + 1);
        }
    }
    panic!("{text:?} is not on screen:\n{screen}");
}

#[test]
fn in_tmux_with_its_mouse_on_a_click_selects_a_double_click_views_and_the_wheel_zooms() {
    if !common::have(common::Tool::Tmux) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let tmux = Tmux::start(80, 24, &app_command(data.path(), "--graphics none --demo-latency-ms 50"));
    assert!(tmux.cmd(&["set-option", "-g", "mouse", "on"]).status().unwrap().success());
    tmux.wait_for("the prompt", 20, |s| s.contains("Prompt"));
    tmux.type_text("a {red|blue} fox");
    tmux.keys(&["C-s"]);
    tmux.wait_for("the question, ready for its answer", 10, |s| {
        s.contains("Send 2 jobs") && s.contains("y / Enter: yes")
    });
    tmux.keys(&["y"]);
    tmux.keys(&["Tab", "Tab"]);
    let screen = tmux.wait_for("two jobs done", 20, |s| s.matches("✓ #").count() == 2);
    // The variants say what sets them apart before the prompt they share.
    assert!(screen.contains("g1 red a red fox") && screen.contains("g1 blue a blue fox"), "{screen}");
    // The terminal's reports as tmux passes them on: press and release.
    let click = |(column, row): (usize, usize)| format!("\x1b[<0;{column};{row}M\x1b[<0;{column};{row}m");
    let spot = mouse_spot(&screen, "✓ #1");
    tmux.type_text(&click(spot));
    tmux.wait_for("job 1 selected", 10, |s| s.contains("Job #1"));
    tmux.type_text(&format!("{}{}", click(spot), click(spot)));
    tmux.wait_for("the viewer on job 1", 10, |s| s.contains("#1 · gpt-image"));
    tmux.type_text(&format!("\x1b[<64;{};{}M", 40, 10));
    tmux.wait_for("zoomed in by the wheel", 10, |s| s.contains("zoom 2x"));
    tmux.keys(&["Escape"]);
    tmux.wait_for("back on the jobs page", 10, |s| s.contains("History (2)"));
    tmux.keys(&["C-c"]);
    let after = tmux.wait_for("the app to exit", 10, |s| s.contains("END-OF-RUN"));
    assert!(after.contains("EXIT=0"), "{after}");
}

/// The SSH session drops for real: tmux's session is killed under the app, its terminal hangs
/// up (writes fail with EIO, then SIGHUP). The job it had sent, paid for, arrives and is kept.
#[test]
fn a_terminal_that_goes_away_keeps_the_job_in_flight() {
    if !common::have(common::Tool::Tmux) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let tmux = Tmux::start(120, 40, &app_command(data.path(), "--graphics none --demo-latency-ms 2500"));
    tmux.wait_for("the demo banner", 20, |s| s.contains("Demo mode: no API key found"));
    tmux.type_text("a fox on a line that drops");
    tmux.keys(&["C-s"]);
    tmux.wait_for("the job running", 10, |s| s.contains("#1") && s.contains("running"));
    assert!(tmux.cmd(&["kill-session", "-t", "e2e"]).status().unwrap().success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let status = loop {
        let status = imgtui::store::Store::open_read_only(data.path())
            .ok()
            .and_then(|s| s.job(1).ok().flatten())
            .map(|job| (job.status, job.images.len()));
        if status
            .as_ref()
            .is_some_and(|(s, _)| !matches!(s, imgtui::store::JobStatus::Queued | imgtui::store::JobStatus::Running))
        {
            break status;
        }
        assert!(std::time::Instant::now() < deadline, "the job never ended: {status:?}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert_eq!(status, Some((imgtui::store::JobStatus::Done, 1)), "kept, though its terminal is gone");
}

/// A batch printing to a terminal that goes away: the job in flight is kept, nothing more is
/// sent, and `--resume` runs only what was never sent.
#[test]
fn a_batch_whose_terminal_goes_away_keeps_the_job_in_flight() {
    if !common::have(common::Tool::Tmux) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("b.jsonl");
    std::fs::write(&file, "{\"prompt\": \"one\"}\n{\"prompt\": \"two\"}\n{\"prompt\": \"three\"}\n").unwrap();
    let command = format!(
        "env -u OPENAI_API_KEY -u TTAPI_API_KEY {today}='{day}' '{bin}' --data-dir '{data}' --demo --demo-latency-ms 2500 \
         batch --concurrency 1 '{file}'; sleep 60",
        today = imgtui::clock::TODAY_VAR,
        day = common::TODAY,
        bin = env!("CARGO_BIN_EXE_imgtui"),
        data = data.path().display(),
        file = file.display(),
    );
    let tmux = Tmux::start(120, 40, &command);
    let running = || {
        imgtui::store::Store::open_read_only(data.path())
            .ok()
            .and_then(|s| s.count(Some(imgtui::store::JobStatus::Running)).ok())
            .unwrap_or(0)
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while running() == 0 {
        assert!(std::time::Instant::now() < deadline, "the first entry never ran");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(tmux.cmd(&["kill-session", "-t", "e2e"]).status().unwrap().success());
    let count = |status| {
        imgtui::store::Store::open_read_only(data.path()).ok().and_then(|s| s.count(Some(status)).ok()).unwrap_or(0)
    };
    while running() > 0 {
        assert!(std::time::Instant::now() < deadline, "the job in flight never ended");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(count(imgtui::store::JobStatus::Done), 1, "the job in flight was kept");
    assert_eq!(count(imgtui::store::JobStatus::Queued) + count(imgtui::store::JobStatus::Cancelled), 0);
}

/// Kitty pictures as Unicode placeholders inside tmux: the Job pane's picture is text in the
/// pane (U+10EEEE with its row and column marks), which tmux keeps, moves and redraws with it:
/// after another window was shown and this one again, the cells are there, in the same place.
#[test]
fn kitty_placeholders_are_text_that_tmux_keeps_with_the_pane() {
    if !common::have(common::Tool::Tmux) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let command = app_command(data.path(), "--graphics kitty --demo-latency-ms 0").replacen(
        "TERM=xterm-256color",
        "TERM=xterm-256color IMGTUI_KITTY_PLACEHOLDERS=1",
        1,
    );
    // Kitty images pass through tmux only with allow-passthrough: set before the app starts.
    let tmux = Tmux::start(120, 40, &format!("sleep 1; {command}"));
    assert!(tmux.cmd(&["set-option", "-g", "allow-passthrough", "on"]).status().unwrap().success());
    tmux.wait_for("the demo banner", 20, |s| s.contains("Demo mode: no API key found"));
    tmux.type_text("a fox drawn as text");
    tmux.keys(&["C-s"]);
    let placeholder = |screen: &str| screen.lines().filter(|l| l.contains('\u{10EEEE}')).count();
    let shown = tmux.wait_for("the picture's cells", 30, |s| placeholder(s) >= 4);
    let rows: Vec<usize> =
        shown.lines().enumerate().filter(|(_, l)| l.contains('\u{10EEEE}')).map(|(i, _)| i).collect();
    // Another window shown, then this one again: tmux redraws the cells itself.
    assert!(tmux.cmd(&["new-window", "-t", "e2e", "sleep 60"]).status().unwrap().success());
    tmux.wait_for("the other window", 10, |s| placeholder(s) == 0);
    assert!(tmux.cmd(&["select-window", "-t", "e2e:0"]).status().unwrap().success());
    let again = tmux.wait_for("the picture's cells again", 10, |s| placeholder(s) >= 4);
    let rows_again: Vec<usize> =
        again.lines().enumerate().filter(|(_, l)| l.contains('\u{10EEEE}')).map(|(i, _)| i).collect();
    assert_eq!(rows, rows_again, "in the same rows");
    // Each row's first cell names its row: the second mark counts up from U+0305.
    let first_marks: Vec<char> =
        again.lines().filter_map(|l| l.split('\u{10EEEE}').nth(1)).filter_map(|c| c.chars().next()).collect();
    assert_eq!(first_marks.first(), Some(&'\u{305}'), "{again}");
}
