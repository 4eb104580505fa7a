//! The event loop: terminal events, app events and (only while something animates) a tick go
//! through `update`; all queued events are drained before one render; nothing is drawn when
//! nothing changed.

use std::io::Write;
use std::time::{Duration, Instant};

use crossterm::event::{Event, EventStream};
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use futures::StreamExt;
use ratatui::style::{Modifier, Style};
use tokio::sync::mpsc;

use super::event::{AppEvent, Command, Msg, StoreAsk, TerminalAsk};
use super::runner::Runner;
use super::state::{Focus, State};
use super::{terminal, ui, update};
use crate::config::theme::Theme;
use crate::preview::CellSize;
use crate::preview::Graphics;
use crate::preview::placer::{Placer, Step};

/// How long quitting waits for cancelled jobs to record their end in the history.
const QUIT_GRACE: Duration = Duration::from_secs(3);

pub async fn run(
    mut state: State,
    theme: Theme,
    runner: Runner,
    mut events_rx: mpsc::UnboundedReceiver<AppEvent>,
    tmux: bool,
    mut cell_choice: crate::preview::CellChoice,
    title_before: Option<String>,
) -> std::io::Result<Option<i32>> {
    let mut stops = crate::signals::Stops::new();
    let mut stopped_by = None;
    let mut terminal = terminal::init()?;
    let mut placer = Placer::new(state.env.graphics, tmux).with_placeholders(state.env.kitty_placeholders);
    write_now(&placer.forget_earlier())?;
    // The title as it was is kept (the terminal's title stack; tmux's pane title, read at
    // start before imgtui wrote its own) and given back on leaving.
    write_now(crate::osc::PUSH_TITLE)?;
    let mut title_shown = String::new();
    // Through tmux, kitty and iTerm2 images are placed in the outer terminal's cells: where
    // the pane sits there is asked at start and after each resize (a split moved), off the
    // event loop.
    let passes_through = tmux && matches!(state.env.graphics, Graphics::Kitty | Graphics::Iterm);
    let ask_origin = || passes_through.then(|| tokio::task::spawn_blocking(crate::preview::detect::tmux_pane_origin));
    let mut origin_asked = ask_origin();
    // Until tmux says where the pane is, nothing is placed at a cursor (a zoom or a swap moved
    // it: the old place would put the picture over another pane).
    placer.awaits_origin(origin_asked.is_some());
    let mut cell = cell_choice.size;
    tracing::info!(cell = %cell, source = %cell_choice.source, "cell size");
    let mut input = EventStream::new();
    let mut late_answers = super::late_answers::LateAnswers::new(Instant::now());
    // Kitty images inside tmux: whether the app's window is still the one shown (see
    // `preview::tmux_window`), asked every half second while there are images to follow.
    let mut window_watch = tokio::time::interval(TMUX_WINDOW_EVERY);
    window_watch.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut window_asked: Option<tokio::task::JoinHandle<Option<crate::preview::tmux_window::TmuxWindow>>> = None;
    // A watched job's notice, while tmux is asked whether the window is shown.
    let mut notice_asked: Option<tokio::task::JoinHandle<Option<Vec<u8>>>> = None;
    // A GIF playing in the viewer (sixel, half-blocks) looks at the time more often: its frames
    // may be 20 ms apart.
    let mut frame_ticker = tokio::time::interval(Duration::from_millis(20));
    frame_ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut ticker = tokio::time::interval(Duration::from_millis(100));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    for command in update::reload_history(&mut state) {
        runner.execute(command);
    }
    runner.execute(Command::Store(StoreAsk::LoadOutputHistory));
    runner.execute(Command::Store(StoreAsk::LoadPrompts { after: None }));
    state.compose.recall.asked = true;
    runner.watch_others().await;
    if let Ok(size) = terminal.size() {
        update::update(&mut state, Msg::Resize(size.width, size.height));
    }
    update::update(&mut state, Msg::CellSize(cell));
    // Mouse reports are asked for while the mouse is on (`mouse` in the config) or the mask
    // painter is open: with it off the terminal's own selection keeps working.
    let mut mouse_reported = false;
    let mut dirty = true;
    // A write to the terminal that fails ends the loop as a hang-up does: the terminal is gone
    // (an SSH session dropped before its SIGHUP arrived), and what was sent must still arrive.
    let looped: std::io::Result<()> = async {
        loop {
            let mouse_wanted = state.env.mouse || state.layers.painter().is_some();
            if mouse_wanted != mouse_reported {
                mouse_reported = mouse_wanted;
                if mouse_reported {
                    crossterm::execute!(std::io::stdout(), crossterm::event::EnableMouseCapture)?;
                } else {
                    crossterm::execute!(std::io::stdout(), crossterm::event::DisableMouseCapture)?;
                }
            }
            let title = state.title();
            if title != title_shown {
                write_now(&crate::osc::title(&title))?;
                title_shown = title;
            }
            if dirty {
                sync_prompt_cursor(&mut state);
                let (again, reports) = draw(&mut terminal, &state, &theme, &mut placer, cell)?;
                // What the frame showed goes to `update` once, after it: it changes nothing on
                // screen (no new frame for it), but asks for the previews it wanted.
                for report in reports {
                    for command in update::update(&mut state, report) {
                        runner.execute(command);
                    }
                }
                dirty = again;
                if dirty {
                    continue;
                }
            }
            if state.quit {
                break;
            }
            // A question not answerable yet ticks until it is (its hint changes then).
            let animating = !state.jobs.live.is_empty()
                || state.jobs.history.rows.iter().any(|r| r.running_elsewhere.is_some())
                || state.question_arming();
            let playing = state.layers.viewer().is_some_and(|v| v.playing);
            let following_window = placer.must_follow_tmux_windows() && (placer.has_images() || placer.is_hidden());
            let msg = tokio::select! {
                event = input.next() => match event {
                    Some(Ok(Event::Key(key))) if late_answers.swallows(&key, Instant::now()) => continue,
                    Some(Ok(Event::Key(key))) => Msg::Key(key),
                    Some(Ok(Event::Paste(text))) => Msg::Paste(text),
                    Some(Ok(Event::FocusGained)) => Msg::Focus(true),
                    Some(Ok(Event::FocusLost)) => Msg::Focus(false),
                    Some(Ok(Event::Resize(width, height))) => {
                        cell_choice = cell_choice.after_resize(crate::preview::cell::ioctl_cell());
                        cell = cell_choice.size;
                        // The next frame clears the screen, and kitty's images with it.
                        write_now(&placer.clear())?;
                        origin_asked = ask_origin().or(origin_asked);
                        placer.awaits_origin(origin_asked.is_some());
                        update::update(&mut state, Msg::CellSize(cell));
                        Msg::Resize(width, height)
                    }
                    // Pointer moves without a button change nothing: no frame for them.
                    Some(Ok(Event::Mouse(mouse))) if mouse.kind != crossterm::event::MouseEventKind::Moved => {
                        Msg::Mouse(mouse, Instant::now())
                    }
                    Some(Ok(_)) => continue,
                    // The terminal is gone (hang-up over SSH): leave as on a hang-up.
                    Some(Err(_)) | None => {
                        stopped_by = Some(crate::signals::HANGUP);
                        break;
                    }
                },
                Some(event) = events_rx.recv() => Msg::App(event),
                origin = answer_of(&mut origin_asked), if origin_asked.is_some() => {
                    origin_asked = None;
                    placer.awaits_origin(false);
                    dirty = true;
                    if let Ok(Some(origin)) = origin {
                        write_now(&placer.set_pane_origin(origin))?;
                        dirty = true;
                    }
                    continue;
                }
                _ = window_watch.tick(), if following_window && window_asked.is_none() => {
                    window_asked = Some(tokio::task::spawn_blocking(crate::preview::tmux_window::look));
                    continue;
                }
                looked = answer_of(&mut window_asked), if window_asked.is_some() => {
                    window_asked = None;
                    match looked {
                        Ok(Some(window)) if !window.shown && !placer.is_hidden() => {
                            let gone = placer.hide();
                            tokio::task::spawn_blocking(move || {
                                crate::preview::tmux_window::write_to_terminals(&window.clients, &gone)
                            });
                        }
                        Ok(Some(window)) if window.shown && placer.is_hidden() => {
                            placer.shown_again();
                            // The split may have moved meanwhile; the next frame places the images.
                            origin_asked = ask_origin().or(origin_asked);
                            placer.awaits_origin(origin_asked.is_some());
                            dirty = true;
                        }
                        _ => {}
                    }
                    continue;
                }
                told = answer_of(&mut notice_asked), if notice_asked.is_some() => {
                    notice_asked = None;
                    if let Ok(Some(bytes)) = told {
                        write_now(&bytes)?;
                    }
                    continue;
                }
                _ = ticker.tick(), if animating => Msg::Tick(Instant::now()),
                _ = frame_ticker.tick(), if playing => Msg::Now(Instant::now()),
                number = stops.next() => {
                    stopped_by = Some(number);
                    break;
                }
            };
            panic_on_request(&msg);
            if matches!(msg, Msg::Key(_) | Msg::Paste(_) | Msg::Mouse(..)) {
                update::update(&mut state, Msg::Now(Instant::now()));
            }
            let mut commands = update::update(&mut state, msg);
            // Drain what else is waiting, so a burst costs one render.
            while let Ok(event) = events_rx.try_recv() {
                commands.extend(update::update(&mut state, Msg::App(event)));
            }
            for command in commands {
                match &command {
                    // Watched here: not said, unless tmux shows another window (asked off the loop).
                    Command::Terminal(TerminalAsk::Notify { watched: true, .. }) if !tmux => continue,
                    Command::Terminal(ask @ TerminalAsk::Notify { watched: true, .. }) => {
                        let bytes = terminal_bytes(ask, tmux, &state);
                        notice_asked = Some(tokio::task::spawn_blocking(move || {
                            let hidden = crate::preview::tmux_window::look().is_some_and(|w| !w.shown);
                            hidden.then_some(bytes)
                        }));
                        continue;
                    }
                    Command::Terminal(ask) => {
                        write_now(&terminal_bytes(ask, tmux, &state))?;
                        continue;
                    }
                    _ => {}
                }
                if command == Command::Suspend {
                    write_now(&placer.clear())?;
                    // At the shell the title is the shell's again; back, it is imgtui's.
                    write_now(crate::osc::POP_TITLE)?;
                    if let Some(before) = &title_before {
                        write_now(&crate::osc::title(before))?;
                    }
                    terminal::suspend(&mut terminal)?;
                    write_now(crate::osc::PUSH_TITLE)?;
                    title_shown.clear();
                    // Restoring the terminal turned mouse reports off.
                    mouse_reported = false;
                } else {
                    runner.execute(command);
                }
            }
            if let Some(draft) = state.draft_changed() {
                runner.keep_draft(draft);
            }
            dirty = true;
        }
        Ok(())
    }
    .await;
    if let Err(e) = looped {
        tracing::warn!("the terminal cannot be written to ({e}): leaving as on a hang-up");
        stopped_by = Some(crate::signals::HANGUP);
    }
    let left = leave(&mut state, &runner, &mut events_rx, &mut placer, stopped_by).await;
    let _ = write_now(crate::osc::POP_TITLE);
    if let Some(before) = title_before {
        let _ = write_now(&crate::osc::title(&before));
    }
    left
}

/// Leaves the app: on quit, running jobs are cancelled; on a signal, answers that arrived are
/// written first. The terminal is given back as it was (if there still is one).
async fn leave(
    state: &mut State,
    runner: &Runner,
    events_rx: &mut mpsc::UnboundedReceiver<AppEvent>,
    placer: &mut Placer,
    stopped_by: Option<i32>,
) -> std::io::Result<Option<i32>> {
    // What was being typed is on disk before anything else can go wrong.
    if let Some(draft) = state.draft_changed() {
        runner.keep_draft(draft);
    }
    runner.flush_draft();
    if stopped_by == Some(crate::signals::HANGUP) {
        // The SSH session dropped: the person asked nothing to stop. What was sent (paid
        // for) is let arrive and be kept with no terminal to show it; nothing new starts.
        // Output goes nowhere first: a write to a terminal that is gone fails, and a failed
        // eprintln panics.
        crate::signals::leave_the_terminal();
        let _ = write_now(&placer.clear());
        let _ = terminal::restore();
        runner.execute(Command::HoldQueue(true));
        runner.stop_retries();
        finish_sent(state, events_rx).await;
        runner.interrupt_own().await;
        return Ok(stopped_by);
    }
    if let Some(number) = stopped_by {
        if state.jobs.unsaved > 0 {
            tracing::error!(
                signal = number,
                "{} received image(s) no folder could take were only in memory and are lost",
                state.jobs.unsaved
            );
        }
        // Killed or hung up: answers that arrived are written, the rest is left interrupted,
        // and the terminal (if there still is one) is given back as it was.
        finish_writing(state, runner, events_rx).await;
        let _ = write_now(&placer.clear());
        let _ = terminal::restore();
        return Ok(Some(number));
    }
    write_now(&placer.clear())?;
    shut_down(runner, events_rx).await;
    terminal::restore().map(|()| None)
}

/// Draws a frame and places its image; true when another frame is needed at once (a sixel or
/// iTerm2 image was erased by repainting), and what the frame showed, for `update`.
/// The answer of a blocking question asked off the event loop; never, when none is asked
/// (the `select!` arm is off then too).
async fn answer_of<T>(asked: &mut Option<tokio::task::JoinHandle<T>>) -> Result<T, tokio::task::JoinError> {
    match asked.as_mut() {
        Some(asked) => asked.await,
        None => std::future::pending().await,
    }
}

/// How often the app asks tmux whether its window is still shown (kitty images inside tmux).
const TMUX_WINDOW_EVERY: Duration = Duration::from_millis(500);

fn draw(
    terminal: &mut terminal::Tui,
    state: &State,
    theme: &Theme,
    placer: &mut Placer,
    cell: CellSize,
) -> std::io::Result<(bool, Vec<Msg>)> {
    // The frame and its image sequences reach the screen at once (terminals without
    // synchronized output ignore the two sequences): no half-drawn frames over SSH.
    crossterm::queue!(std::io::stdout(), BeginSynchronizedUpdate)?;
    let mut info = ui::RenderInfo::default();
    terminal.draw(|frame| info = ui::render(state, theme, frame))?;
    // The list windows keep what this frame showed (`Scroll::offset_for`), clicks land on what
    // it drew, and the pictures not prepared yet are asked for.
    let hits = std::mem::take(&mut info.hits);
    let mut reports = vec![Msg::Drawn {
        history: info.history_rows,
        browser: info.browser_rows,
        help_last_page: info.help_last_page,
        hits,
    }];
    let ready: Vec<_> = info.pictures.iter().map(|w| state.previews.ready_for(&w.key).cloned()).collect();
    for (wanted, _) in info.pictures.iter().zip(&ready).filter(|(_, ready)| ready.is_none()) {
        reports.push(Msg::PreviewWanted { key: wanted.key.clone(), cell });
    }
    let pairs: Vec<_> = info.pictures.iter().zip(&ready).map(|(w, r)| (w, r.as_deref())).collect();
    let mut again = false;
    for step in placer.sync_all(&pairs) {
        match step {
            Step::Write(bytes) => {
                tracing::debug!(bytes = bytes.len(), "image sequence written");
                write_now(&bytes)?;
            }
            Step::Repaint => {
                // Sixel and iTerm2 pixels go only when their cells are drawn again. `resize`
                // clears and forces a full redraw without `clear`'s cursor query, a round trip
                // over SSH.
                let size = terminal.size()?;
                terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))?;
                again = true;
            }
        }
    }
    crossterm::execute!(std::io::stdout(), EndSynchronizedUpdate)?;
    Ok((again, reports))
}

/// Writes `bytes` to the terminal at once (nothing when empty).
/// The bytes that ask the terminal for `ask`. Inside tmux: the clipboard as it is (tmux keeps
/// it in a buffer and passes it on with `set-clipboard on`), a notification as the bell (tmux
/// flags the window that rang) with the terminal's own notification passed through.
fn terminal_bytes(ask: &TerminalAsk, tmux: bool, state: &State) -> Vec<u8> {
    use crate::osc::{Notifier, copy, notify};
    match ask {
        TerminalAsk::Copy(text) => copy(text),
        TerminalAsk::Notify { title, body, .. } => {
            let notifier = state.env.notifier;
            match tmux {
                false => notify(notifier, title, body),
                true => {
                    let mut bytes = notify(Notifier::Bell, title, body);
                    if notifier != Notifier::Bell {
                        bytes.extend(crate::preview::encode::wrap_for_tmux(&notify(notifier, title, body)));
                    }
                    bytes
                }
            }
        }
    }
}

fn write_now(bytes: &[u8]) -> std::io::Result<()> {
    if bytes.is_empty() {
        return Ok(());
    }
    let mut out = std::io::stdout();
    out.write_all(bytes)?;
    out.flush()
}

/// Lets jobs whose answer has arrived finish writing it (briefly, with a deadline), then marks
/// this process's other jobs interrupted: nothing paid for that already arrived is lost.
async fn finish_writing(state: &mut State, runner: &Runner, events_rx: &mut mpsc::UnboundedReceiver<AppEvent>) {
    let deadline = tokio::time::Instant::now() + QUIT_GRACE;
    while state.jobs.live.values().any(|job| job.phase == super::state::Phase::Writing) {
        match tokio::time::timeout_at(deadline, events_rx.recv()).await {
            Ok(Some(event)) => {
                update::update(state, Msg::App(event));
            }
            Ok(None) | Err(_) => break,
        }
    }
    runner.interrupt_own().await;
}

/// How long a hung-up app waits for answers already asked for: longer than any request's own
/// time limits, so it is those that end a request that never answers.
const HANGUP_GRACE: Duration = Duration::from_secs(15 * 60);

/// Waits until no job of this process has a request in flight (with a deadline).
async fn finish_sent(state: &mut State, events_rx: &mut mpsc::UnboundedReceiver<AppEvent>) {
    use crate::jobs::Phase;
    let deadline = tokio::time::Instant::now() + HANGUP_GRACE;
    let in_flight =
        |state: &State| state.jobs.live.values().any(|job| !matches!(job.phase, Phase::Queued | Phase::RetryIn { .. }));
    while in_flight(state) {
        match tokio::time::timeout_at(deadline, events_rx.recv()).await {
            Ok(Some(event)) => {
                update::update(state, Msg::App(event));
            }
            Ok(None) | Err(_) => break,
        }
    }
}

/// Cancels running jobs and waits (briefly, with a deadline) until each has recorded it.
async fn shut_down(runner: &Runner, events_rx: &mut mpsc::UnboundedReceiver<AppEvent>) {
    if runner.cancel_all() == 0 {
        return;
    }
    let deadline = tokio::time::Instant::now() + QUIT_GRACE;
    while runner.running() > 0 {
        match tokio::time::timeout_at(deadline, events_rx.recv()).await {
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => break,
        }
    }
}

/// The prompt shows its cursor only while it has the keyboard.
fn sync_prompt_cursor(state: &mut State) {
    let style =
        if state.layers.focused(Focus::Prompt) { Style::new().add_modifier(Modifier::REVERSED) } else { Style::new() };
    state.compose.prompt.set_cursor_style(style);
    state.compose.prompt.set_cursor_line_style(Style::new());
}

/// Debug builds only: F12 panics when IMGTUI_TEST_PANIC is set, so a test can check that a panic
/// leaves the terminal restored.
fn panic_on_request(msg: &Msg) {
    if cfg!(debug_assertions)
        && std::env::var_os("IMGTUI_TEST_PANIC").is_some()
        && matches!(msg, Msg::Key(key) if key.code == crossterm::event::KeyCode::F(12))
    {
        panic!("panic injected by IMGTUI_TEST_PANIC");
    }
}
