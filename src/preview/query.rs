//! Asking the terminal what it can draw, before the event reader starts (both read stdin).
//! Queries: kitty's graphics query, XTVERSION, the background colour, the cell and text-area
//! sizes in pixels (`CSI 16 t`, `CSI 14 t`), then primary device attributes, which every
//! terminal answers in order, so its answer ends the wait early. A silent terminal costs the
//! timeout.

use std::io::Write;
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, Timespec, poll};

use super::encode::wrap_for_tmux;
use super::graphics::Answers;

const KITTY_QUERY: &str = "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\";
const XTVERSION: &str = "\x1b[>0q";
const DA1: &str = "\x1b[c";
/// The background colour (OSC 11), to pick a light or dark theme.
const OSC11: &str = "\x1b]11;?\x07";
/// The cell size in pixels: answered `CSI 6 ; height ; width t`.
const CELL_PIXELS: &str = "\x1b[16t";
/// The text area in pixels: answered `CSI 4 ; height ; width t`.
const WINDOW_PIXELS: &str = "\x1b[14t";

/// Sends the queries and reads the answers for up to `timeout`. Needs raw mode.
pub fn ask_terminal(timeout: Duration, tmux: bool) -> std::io::Result<Answers> {
    // tmux 3.3 answers neither the kitty query nor the pixel sizes itself: they go to the outer
    // terminal through passthrough.
    let outer = |query: &str| if tmux { wrap_for_tmux(query.as_bytes()) } else { query.as_bytes().to_vec() };
    let mut out = std::io::stdout();
    out.write_all(&outer(KITTY_QUERY))?;
    out.write_all(XTVERSION.as_bytes())?;
    out.write_all(OSC11.as_bytes())?;
    out.write_all(&outer(CELL_PIXELS))?;
    out.write_all(&outer(WINDOW_PIXELS))?;
    out.write_all(DA1.as_bytes())?;
    out.flush()?;
    let bytes = read_until_da1(timeout)?;
    Ok(parse_answers(&bytes))
}

fn read_until_da1(timeout: Duration) -> std::io::Result<Vec<u8>> {
    let stdin = rustix::stdio::stdin();
    let deadline = Instant::now() + timeout;
    let mut bytes = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || has_da1(&bytes) {
            return Ok(bytes);
        }
        let wait = Timespec { tv_sec: left.as_secs() as _, tv_nsec: left.subsec_nanos() as _ };
        let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
        // A signal interrupts the wait: the signal's own handler decides (it puts the terminal
        // back and exits 128 + its number); the wait goes on until it does.
        match poll(&mut fds, Some(&wait)) {
            Ok(0) => return Ok(bytes),
            Ok(_) => {}
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(e.into()),
        }
        // Read the fd directly: std's buffered stdin would keep bytes from crossterm later.
        let n = match rustix::io::read(stdin, &mut buf) {
            Ok(n) => n,
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(e.into()),
        };
        if n == 0 {
            return Ok(bytes);
        }
        // Raw mode turns Ctrl-C into a byte: it still means stop (no answer holds a 0x03).
        if buf[..n].contains(&0x03) {
            return Err(std::io::Error::from(std::io::ErrorKind::Interrupted));
        }
        bytes.extend_from_slice(&buf[..n]);
    }
}

fn has_da1(bytes: &[u8]) -> bool {
    da1_params(&String::from_utf8_lossy(bytes)).is_some()
}

/// The parameters of the terminal's DA1 answer (`CSI ? 62 ; 4 c` → "62;4"), if it is there.
fn da1_params(text: &str) -> Option<&str> {
    text.match_indices("\x1b[?").find_map(|(at, _)| {
        let rest = &text[at + 3..];
        let params = rest.chars().take_while(|c| c.is_ascii_digit() || *c == ';').count();
        (params > 0 && rest[params..].starts_with('c')).then(|| &rest[..params])
    })
}

/// Reads the three answers out of whatever came back.
pub fn parse_answers(bytes: &[u8]) -> Answers {
    let text = String::from_utf8_lossy(bytes);
    let kitty = text.contains("\x1b_Gi=31;OK");
    let sixel = da1_params(&text).is_some_and(|params| params.split(';').any(|p| p == "4"));
    let name = text.find("\x1bP>|").map(|at| {
        let rest = &text[at + 4..];
        rest.split("\x1b\\").next().unwrap_or(rest).to_string()
    });
    let background = background(&text);
    let da1 = da1_params(&text).map(str::to_string);
    let (cell_pixels, window_pixels) = (window_op(&text, 6), window_op(&text, 4));
    // An answer, not just bytes: `script` with its input at end sends a ^D, which is none.
    let answered = kitty || name.is_some() || da1.is_some() || background.is_some() || cell_pixels.is_some();
    Answers {
        kitty,
        sixel,
        name,
        answered,
        light_background: background.as_deref().and_then(is_light),
        background,
        da1,
        cell_pixels,
        window_pixels,
    }
}

/// The `width x height` of a window-op answer `CSI kind ; height ; width t`.
fn window_op(text: &str, kind: u8) -> Option<(u16, u16)> {
    let head = format!("\x1b[{kind};");
    text.match_indices(&head).find_map(|(at, _)| {
        let rest = &text[at + head.len()..];
        let end = rest.find('t')?;
        let (height, width) = rest[..end].split_once(';')?;
        let (height, width) = (height.parse::<u16>().ok()?, width.parse::<u16>().ok()?);
        (height > 0 && width > 0).then_some((width, height))
    })
}

/// The colour spec of an `OSC 11 ; rgb:RRRR/GGGG/BBBB` answer.
fn background(text: &str) -> Option<String> {
    let at = text.find("\x1b]11;")?;
    let rest = &text[at + 5..];
    let end = rest.find(['\x07', '\x1b']).unwrap_or(rest.len());
    Some(rest[..end].to_string())
}

/// From `rgb:RRRR/GGGG/BBBB`: whether the background is light (luminance over half).
fn is_light(spec: &str) -> Option<bool> {
    let channels: Vec<f64> = spec
        .strip_prefix("rgb:")?
        .split('/')
        .filter_map(|hex| {
            let value = u32::from_str_radix(hex.trim(), 16).ok()?;
            let max = (1u64 << (4 * hex.trim().len().clamp(1, 4))) - 1;
            Some(f64::from(value) / max as f64)
        })
        .collect();
    let [r, g, b] = channels[..] else { return None };
    Some(0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_kitty_sixel_and_names() {
        let a = parse_answers(b"\x1b_Gi=31;OK\x1b\\\x1bP>|kitty(0.35.2)\x1b\\\x1b[?62;c");
        assert!(a.kitty && !a.sixel);
        assert_eq!(a.name.as_deref(), Some("kitty(0.35.2)"));
        let xterm = parse_answers(b"\x1b[?63;1;2;4;6;9;15;16;22c");
        assert!(xterm.sixel && !xterm.kitty);
        assert!(has_da1(b"\x1b[?63;1;2;4c"));
        assert!(!has_da1(b"\x1b[?63;1"));
        assert!(!parse_answers(b"").answered);
        assert!(!parse_answers(b"\x04").answered, "a ^D is no answer");
        assert_eq!(parse_answers(b"\x1b]11;rgb:ffff/ffff/ffff\x07\x1b[?62;c").light_background, Some(true));
        assert_eq!(parse_answers(b"\x1b]11;rgb:1e1e/1e1e/2e2e\x1b\\").light_background, Some(false));
        assert_eq!(parse_answers(b"\x1b[?62;c").light_background, None, "no answer: no guess");
        let sizes = parse_answers(b"\x1b[6;20;10t\x1b[4;480;800t\x1b[?62;4c");
        assert_eq!((sizes.cell_pixels, sizes.window_pixels), (Some((10, 20)), Some((800, 480))));
        assert_eq!(sizes.da1.as_deref(), Some("62;4"));
        assert_eq!(parse_answers(b"\x1b[6;0;0t\x1b[?62c").cell_pixels, None, "zero is no answer");
    }
}
