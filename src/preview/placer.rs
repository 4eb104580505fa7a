//! What is on screen besides ratatui's cells: the preview images placed with escape codes.
//! After every frame the app tells the placer what should be shown; the placer answers with
//! the bytes to write, and writes nothing when nothing changed (typing in the prompt does not
//! resend an image). Kitty images are sent once per (image, size) and kept by the terminal:
//! taken off the screen and placed again by id (a gallery page seen before costs a few dozen
//! bytes per tile). Sixel and iTerm2 images have no id: they are erased by repainting and sent
//! again.

use ratatui::layout::Rect;

use super::encode;
use super::graphics::Graphics;
use super::prepare::{Prepared, PreviewKey};

/// What kitty may hold for us at once, in decoded pixels (its own limit is 320 MB): past it,
/// the images used longest ago are freed.
const HELD_BYTES: u64 = 64 << 20;

/// What a frame wants shown: an image in a cell area.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wanted {
    pub key: PreviewKey,
    pub area: Rect,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// Write these bytes to the terminal.
    Write(Vec<u8>),
    /// Repaint the whole screen (erases a sixel or iTerm2 image), then sync again.
    Repaint,
}

/// An image on screen: kitty's image and placement ids.
#[derive(Debug)]
struct Shown {
    key: PreviewKey,
    area: Rect,
    id: u32,
    placement: u32,
}

/// A kitty image the terminal keeps for us, with its size in decoded pixels and when it was
/// last placed.
#[derive(Debug)]
struct Held {
    key: PreviewKey,
    id: u32,
    bytes: u64,
    used: u64,
}

#[derive(Debug)]
pub struct Placer {
    graphics: Graphics,
    tmux: bool,
    /// Inside tmux: the pane's top-left cell on the outer terminal (see `detect::tmux_pane_origin`).
    pane_origin: (u16, u16),
    /// What is on screen now, in the order it was placed.
    shown: Vec<Shown>,
    /// Kitty: the images the terminal has, shown or not.
    held: Vec<Held>,
    next_id: u32,
    /// Counts placements, for `Held::used` and placement ids.
    placements: u32,
    /// Inside tmux, the app's window is not the one shown: nothing is placed (tmux would drop
    /// it) until it is shown again.
    hidden: bool,
    /// Kitty images are placed virtually, their cells drawn as Unicode placeholders by the
    /// frame (see `placeholder`): no cursor moves, and tmux keeps them with the pane.
    placeholders: bool,
    /// Inside tmux, where the pane now is has been asked and not yet answered: nothing is
    /// placed at a cursor until it is (the old place may be another pane's).
    origin_pending: bool,
}

impl Placer {
    pub fn new(graphics: Graphics, tmux: bool) -> Self {
        Self {
            graphics,
            tmux,
            pane_origin: (0, 0),
            shown: Vec::new(),
            held: Vec::new(),
            next_id: 1,
            placements: 0,
            hidden: false,
            placeholders: false,
            origin_pending: false,
        }
    }

    /// Kitty images drawn as Unicode placeholders (the terminal shows them: kitty 0.28 and
    /// later, Ghostty), instead of placed at a cursor.
    pub fn with_placeholders(mut self, on: bool) -> Self {
        self.placeholders = on && self.graphics == Graphics::Kitty;
        self
    }

    /// Whether tmux has been asked where the pane is and not answered yet (see `origin_pending`).
    pub fn awaits_origin(&mut self, asked: bool) {
        self.origin_pending = asked;
    }

    /// Where the tmux pane is on the outer terminal (at start, and after a resize, which is
    /// what moving a split sends). Images shown elsewhere are placed again.
    pub fn set_pane_origin(&mut self, origin: (u16, u16)) -> Vec<u8> {
        if origin == self.pane_origin || self.placeholders {
            return Vec::new();
        }
        self.pane_origin = origin;
        self.clear()
    }

    /// Whether kitty images here outlive a switch of tmux windows: kitty keeps them over
    /// whatever tmux shows next, and tmux passes nothing from a pane that is not shown.
    pub fn must_follow_tmux_windows(&self) -> bool {
        self.tmux && self.graphics == Graphics::Kitty && !self.placeholders
    }

    pub fn has_images(&self) -> bool {
        !self.shown.is_empty() || !self.held.is_empty()
    }

    /// The app's tmux window is no longer shown: the bytes that take its images off the outer
    /// terminal, to be written to it directly (tmux would drop them), and nothing is placed
    /// until `shown_again`.
    pub fn hide(&mut self) -> Vec<u8> {
        self.hidden = true;
        self.shown.clear();
        std::mem::take(&mut self.held).iter().flat_map(|h| encode::kitty_delete(h.id)).collect()
    }

    /// The app's tmux window is shown again: the next frame places its images afresh.
    pub fn shown_again(&mut self) {
        self.hidden = false;
    }

    pub fn is_hidden(&self) -> bool {
        self.hidden
    }

    fn wrap(&self, seq: &[u8]) -> Vec<u8> {
        if self.tmux { encode::wrap_for_tmux(seq) } else { seq.to_vec() }
    }

    /// The steps that make the screen show one wanted image (see `sync_all`).
    #[cfg(any(test, feature = "internals"))]
    pub fn sync(&mut self, wanted: Option<&Wanted>, ready: Option<&Prepared>) -> Vec<Step> {
        let wanted: Vec<(&Wanted, Option<&Prepared>)> = wanted.map(|w| (w, ready)).into_iter().collect();
        self.sync_all(&wanted)
    }

    /// The steps that make the screen show `wanted`, each with its prepared image if there is
    /// one yet (not prepared: nothing is placed there for now). Images that stay where they are
    /// are left alone: moving a selection in a grid sends only what changed.
    pub fn sync_all(&mut self, wanted: &[(&Wanted, Option<&Prepared>)]) -> Vec<Step> {
        match self.graphics {
            // Half-blocks are cells: ratatui draws them.
            Graphics::None | Graphics::Auto | Graphics::Blocks => return Vec::new(),
            Graphics::Kitty | Graphics::Iterm | Graphics::Sixel => {}
        }
        let at_a_cursor = self.tmux && !self.placeholders && self.graphics != Graphics::Sixel;
        if self.hidden || (self.origin_pending && at_a_cursor) {
            return Vec::new();
        }
        let placeable: Vec<(&Wanted, &Prepared)> =
            wanted.iter().filter_map(|(w, p)| p.filter(|p| p.key == w.key).map(|p| (*w, p))).collect();
        let stays = |shown: &Shown| placeable.iter().any(|(w, _)| w.key == shown.key && w.area == shown.area);
        let mut steps = Vec::new();
        if self.shown.iter().any(|shown| !stays(shown)) {
            if self.graphics != Graphics::Kitty {
                // Sixel and iTerm2 pixels stay until their cells are drawn over.
                self.shown.clear();
                return vec![Step::Repaint];
            }
            let (kept, gone): (Vec<Shown>, Vec<Shown>) = std::mem::take(&mut self.shown).into_iter().partition(stays);
            // Placeholder cells go with the frame that draws over them.
            for shown in gone.iter().filter(|_| !self.placeholders) {
                steps.push(Step::Write(self.wrap(&encode::kitty_unplace(shown.id, shown.placement))));
            }
            self.shown = kept;
        }
        for (wanted, prepared) in placeable {
            if self.shown.iter().any(|s| s.key == wanted.key && s.area == wanted.area) {
                continue;
            }
            steps.push(Step::Write(self.place(wanted, prepared)));
        }
        if let Some(freed) = self.free_unused() {
            steps.push(Step::Write(freed));
        }
        steps
    }

    /// The bytes that draw `prepared` in `wanted.area`; it is then on screen.
    fn place(&mut self, wanted: &Wanted, prepared: &Prepared) -> Vec<u8> {
        self.placements = self.placements.wrapping_add(1).max(1);
        let placement = self.placements;
        let mut bytes = Vec::new();
        let id = match self.graphics {
            Graphics::Kitty => self.hold(prepared, &mut bytes),
            _ => 0,
        };
        if self.placeholders {
            // The frame drew the cells; the terminal shows the image wherever they are.
            bytes.extend(self.wrap(&encode::kitty_virtual_place(id, prepared.cols, prepared.rows)));
            self.shown.push(Shown { key: wanted.key.clone(), area: wanted.area, id, placement });
            return bytes;
        }
        let (x, y) = (wanted.area.x + prepared.offset_x, wanted.area.y + prepared.offset_y);
        let image = match self.graphics {
            Graphics::Kitty => encode::kitty_place(id, placement, prepared.cols, prepared.rows),
            Graphics::Iterm => encode::iterm_show(&prepared.payload, prepared.cols, prepared.rows),
            _ => prepared.payload.clone(),
        };
        match self.graphics {
            // Through tmux, kitty and iTerm2 place at the outer terminal's cursor, which tmux
            // does not move for its panes' cursor moves: the move goes through with the image,
            // in the outer terminal's cells (the pane's origin added).
            Graphics::Kitty | Graphics::Iterm if self.tmux => {
                let (top, left) = self.pane_origin;
                let mut through = format!("\x1b7\x1b[{};{}H", top + y + 1, left + x + 1).into_bytes();
                through.extend(image);
                through.extend_from_slice(b"\x1b8");
                bytes.extend(encode::wrap_for_tmux(&through));
            }
            // Elsewhere (and sixel, which tmux draws itself): save the cursor, go to the
            // image's top-left cell, draw, restore.
            _ => {
                bytes.extend(format!("\x1b7\x1b[{};{}H", y + 1, x + 1).into_bytes());
                bytes.extend(self.wrap(&image));
                bytes.extend_from_slice(b"\x1b8");
            }
        }
        self.shown.push(Shown { key: wanted.key.clone(), area: wanted.area, id, placement });
        bytes
    }

    /// Kitty's id for `prepared`: the one it holds already, or a new one it is sent under
    /// (the transmission goes to `bytes`).
    fn hold(&mut self, prepared: &Prepared, bytes: &mut Vec<u8>) -> u32 {
        let used = u64::from(self.placements);
        // With placeholders the cells name the picture's own id: a picture prepared again is
        // sent again under its new one.
        let placeholders = self.placeholders;
        if let Some(held) =
            self.held.iter_mut().find(|h| h.key == prepared.key && (!placeholders || h.id == prepared.id))
        {
            held.used = used;
            return held.id;
        }
        // Placeholder cells name the picture's own id; else ids are handed out here.
        let id = if self.placeholders { prepared.id } else { self.next_id };
        self.next_id = self.next_id.wrapping_add(1).max(1);
        for chunk in encode::kitty_transmit(id, &prepared.payload) {
            bytes.extend(self.wrap(&chunk));
        }
        // An animated GIF: its frames go once, then kitty plays them with no more bytes.
        for (png, gap_ms) in &prepared.frames {
            for chunk in encode::kitty_frame(id, png, *gap_ms) {
                bytes.extend(self.wrap(&chunk));
            }
        }
        if !prepared.frames.is_empty() {
            bytes.extend(self.wrap(&encode::kitty_play(id, prepared.first_frame_ms)));
        }
        let (width, height) = prepared.area_px;
        let frames = 1 + prepared.frames.len() as u64;
        self.held.push(Held { key: prepared.key.clone(), id, bytes: (width * height * 4.0) as u64 * frames, used });
        id
    }

    /// Frees the images used longest ago while kitty holds more than `HELD_BYTES` (never one
    /// on screen).
    fn free_unused(&mut self) -> Option<Vec<u8>> {
        let mut freed = Vec::new();
        while self.held.iter().map(|h| h.bytes).sum::<u64>() > HELD_BYTES {
            let on_screen = |held: &Held| self.shown.iter().any(|s| s.id == held.id);
            let Some(oldest) =
                self.held.iter().enumerate().filter(|(_, h)| !on_screen(h)).min_by_key(|(_, h)| h.used).map(|(i, _)| i)
            else {
                break;
            };
            let held = self.held.remove(oldest);
            freed.extend(self.wrap(&encode::kitty_delete(held.id)));
        }
        (!freed.is_empty()).then_some(freed)
    }

    /// At start: kitty forgets every image an earlier imgtui left (one killed before it could
    /// clean up), so ids are not confused with ours.
    pub fn forget_earlier(&self) -> Vec<u8> {
        if self.graphics == Graphics::Kitty { self.wrap(b"\x1b_Ga=d,d=A,q=2\x1b\\") } else { Vec::new() }
    }

    /// Erases what is shown and frees what kitty holds: on quit, and before the screen is
    /// cleared (a resize, back from a suspend), which takes kitty's images with it, so that
    /// the placer's idea of what the terminal holds stays true either way.
    pub fn clear(&mut self) -> Vec<u8> {
        self.shown.clear();
        let held = std::mem::take(&mut self.held);
        held.iter().flat_map(|h| self.wrap(&encode::kitty_delete(h.id))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preview::prepare::{CellSize, prepare_image};

    fn wanted(path: &str, cols: u16) -> (Wanted, Prepared) {
        let key = PreviewKey::fitted(path, cols, 10, Graphics::Kitty);
        let img = image::RgbaImage::new(64, 64);
        let prepared = prepare_image(&key, &img, CellSize::default()).unwrap();
        (Wanted { key, area: Rect::new(5, 5, cols, 10) }, prepared)
    }

    /// While tmux has not said where the pane now is, nothing is placed at a cursor.
    #[test]
    fn nothing_is_placed_while_the_panes_place_is_asked() {
        let (w, p) = wanted("/a.png", 20);
        let mut placer = Placer::new(Graphics::Kitty, true);
        placer.awaits_origin(true);
        assert!(placer.sync(Some(&w), Some(&p)).is_empty());
        placer.awaits_origin(false);
        let _ = placer.set_pane_origin((0, 81));
        assert!(has(&written(&placer.sync(Some(&w), Some(&p))), b"\x1b[6;87H"), "placed in the pane's cells");
    }

    /// With Unicode placeholders the picture is sent under its own id and placed virtually:
    /// no cursor move (the frame drew the cells), wrapped for tmux, nothing to follow.
    #[test]
    fn placeholders_send_the_picture_under_its_id_and_move_no_cursor() {
        let (w, p) = wanted("/a.png", 20);
        let mut placer = Placer::new(Graphics::Kitty, true).with_placeholders(true);
        assert!(!placer.must_follow_tmux_windows());
        let bytes = written(&placer.sync(Some(&w), Some(&p)));
        let id = format!("i={}", p.id);
        assert!(has(&bytes, b"a=t,f=100") && has(&bytes, id.as_bytes()), "{}", String::from_utf8_lossy(&bytes));
        assert!(has(&bytes, b"a=p,U=1") && has(&bytes, b"tmux;"));
        assert!(!has(&bytes, b"\x1b[") && !has(&bytes, b"\x1b7"), "no cursor move");
        assert!(placer.sync(Some(&w), Some(&p)).is_empty(), "nothing again while it stays");
        assert!(placer.set_pane_origin((3, 40)).is_empty(), "a moved pane moves its cells");
    }

    #[test]
    fn a_hidden_tmux_window_places_nothing_and_shows_its_images_again_afterwards() {
        let (w, p) = wanted("/a.png", 20);
        let mut placer = Placer::new(Graphics::Kitty, true);
        assert!(placer.must_follow_tmux_windows());
        assert!(has(&written(&placer.sync(Some(&w), Some(&p))), b"a=t,f=100"));
        let gone = placer.hide();
        assert!(has(&gone, b"\x1b_Ga=d,d=I,i=1") || has(&gone, b"a=d"), "{}", String::from_utf8_lossy(&gone));
        assert!(!has(&gone, b"tmux;"), "written to the outer terminal itself, not through tmux");
        assert!(placer.sync(Some(&w), Some(&p)).is_empty(), "nothing while hidden");
        placer.shown_again();
        let again = written(&placer.sync(Some(&w), Some(&p)));
        assert!(has(&again, b"a=t,f=100") && has(&again, b"a=p,"), "sent and placed afresh");
    }

    #[test]
    fn an_animated_picture_sends_its_frames_once_and_lets_kitty_play_them() {
        let (w, mut p) = wanted("/a.gif", 20);
        p.frames = vec![(p.payload.clone(), 100), (p.payload.clone(), 100)];
        p.first_frame_ms = 100;
        let mut placer = Placer::new(Graphics::Kitty, false);
        let sent = written(&placer.sync(Some(&w), Some(&p)));
        let count = |needle: &[u8]| sent.windows(needle.len()).filter(|x| *x == needle).count();
        assert_eq!(count(b"\x1b_Ga=f,f=100,t=d,i=1,z=100,q=2,m=0;"), 2, "two more frames (their last chunks)");
        assert_eq!(count(b"s=3,v=1"), 1, "played in a loop by the terminal");
        assert!(placer.sync(Some(&w), Some(&p)).is_empty(), "nothing more while it plays");
    }

    fn written(steps: &[Step]) -> Vec<u8> {
        steps.iter().flat_map(|s| if let Step::Write(b) = s { b.clone() } else { Vec::new() }).collect()
    }

    fn has(bytes: &[u8], needle: &[u8]) -> bool {
        bytes.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn kitty_sends_an_image_once_and_places_it_again_by_id() {
        let mut placer = Placer::new(Graphics::Kitty, false);
        let (a, pa) = wanted("a.png", 20);
        assert!(placer.sync(Some(&a), None).is_empty(), "nothing to show before it is prepared");
        let first = written(&placer.sync(Some(&a), Some(&pa)));
        assert!(has(&first, b"\x1b_Ga=t,f=100,t=d,i=1,") && has(&first, b"\x1b_Ga=p,i=1,p=1,"));
        assert!(placer.sync(Some(&a), Some(&pa)).is_empty(), "unchanged: nothing written");
        let (b, pb) = wanted("b.png", 20);
        let to_b = written(&placer.sync(Some(&b), Some(&pb)));
        assert!(to_b.starts_with(b"\x1b_Ga=d,d=i,i=1,p=1"), "a is taken off the screen, its data kept");
        assert!(has(&to_b, b"a=t,f=100,t=d,i=2,"), "b is new: sent");
        let back = written(&placer.sync(Some(&a), Some(&pa)));
        assert!(!has(&back, b"a=t"), "a again: no image data");
        assert!(has(&back, b"\x1b_Ga=p,i=1,p=3,") && back.len() < 100, "{}", String::from_utf8_lossy(&back));
        // Moved (another area, same size): placed again, not sent.
        let moved = Wanted { area: Rect::new(40, 5, 20, 10), ..a.clone() };
        let moved_bytes = written(&placer.sync(Some(&moved), Some(&pa)));
        assert!(!has(&moved_bytes, b"a=t") && has(&moved_bytes, b"a=p,i=1,"));
        assert!(has(&placer.clear(), b"\x1b_Ga=d,d=I,i=1,"), "on quit the terminal frees them");
    }

    #[test]
    fn after_a_clear_kitty_images_are_sent_again() {
        let mut placer = Placer::new(Graphics::Kitty, false);
        let (a, pa) = wanted("a.png", 20);
        placer.sync(Some(&a), Some(&pa));
        placer.clear();
        let again = written(&placer.sync(Some(&a), Some(&pa)));
        assert!(has(&again, b"a=t,f=100") && !has(&again, b"a=d"), "sent again, nothing to take off");
    }

    #[test]
    fn kitty_frees_the_images_used_longest_ago_past_its_budget_never_one_shown() {
        let mut placer = Placer::new(Graphics::Kitty, false);
        let big = |path: &str| {
            let (w, mut p) = wanted(path, 20);
            p.area_px = (2000.0, 1000.0); // 8 MB decoded: 8 fit in 64 MB
            (w, p)
        };
        let images: Vec<_> = (0..10).map(|i| big(&format!("{i}.png"))).collect();
        let mut freed = Vec::new();
        for (w, p) in &images {
            freed.extend(written(&placer.sync(Some(w), Some(p))));
        }
        assert!(has(&freed, b"a=d,d=I,i=1,") && has(&freed, b"a=d,d=I,i=2,"), "the two oldest freed");
        assert!(!has(&freed, b"a=d,d=I,i=3,") && !has(&freed, b"d=I,i=10,"));
        // The oldest is sent again when wanted again.
        assert!(has(&written(&placer.sync(Some(&images[0].0), Some(&images[0].1))), b"a=t,"));
    }

    #[test]
    fn sixel_erases_by_repainting() {
        let mut placer = Placer::new(Graphics::Sixel, true);
        let (a, mut pa) = wanted("a.png", 20);
        let a = Wanted { key: PreviewKey { graphics: Graphics::Sixel, ..a.key }, ..a };
        pa.key = a.key.clone();
        pa.payload = b"\x1bPq#0~\x1b\\".to_vec();
        let steps = placer.sync(Some(&a), Some(&pa));
        let Step::Write(bytes) = &steps[0] else { panic!() };
        assert!(bytes.windows(7).any(|w| w == b"\x1bPtmux;"), "wrapped for tmux");
        assert_eq!(placer.sync(None, None), [Step::Repaint]);
        assert!(placer.sync(None, None).is_empty());
    }

    #[test]
    fn kitty_grid_sends_only_the_images_that_change() {
        let mut placer = Placer::new(Graphics::Kitty, false);
        let (a, pa) = wanted("a.png", 20);
        let (b, pb) = wanted("b.png", 20);
        let b = Wanted { area: Rect::new(30, 5, 20, 10), ..b };
        let steps = placer.sync_all(&[(&a, Some(&pa)), (&b, Some(&pb))]);
        assert_eq!(steps.len(), 2, "two images placed");
        let placements = |steps: &[Step]| written(steps).windows(6).filter(|w| w == b"\x1b_Ga=p").count();
        assert!(placer.sync_all(&[(&a, Some(&pa)), (&b, Some(&pb))]).is_empty(), "unchanged: nothing");
        let (c, pc) = wanted("c.png", 20);
        let c = Wanted { area: b.area, ..c };
        let steps = placer.sync_all(&[(&a, Some(&pa)), (&c, Some(&pc))]);
        let Step::Write(delete) = &steps[0] else { panic!("{steps:?}") };
        assert!(delete.starts_with(b"\x1b_Ga=d,d=i,i=2"), "only b is taken off");
        assert_eq!(placements(&steps), 1, "and only c is placed: a stays");
    }
}
