//! What is on screen besides ratatui's cells: the one preview image placed with escape codes.
//! After every frame the app tells the placer what should be shown; the placer answers with
//! the bytes to write, and writes nothing when nothing changed (typing in the prompt does not
//! resend an image). Kitty images are erased by id; sixel and iTerm2 images by repainting.

use ratatui::layout::Rect;

use super::encode;
use super::graphics::Graphics;
use super::prepare::{Prepared, PreviewKey};

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

#[derive(Debug)]
struct Shown {
    key: PreviewKey,
    area: Rect,
    id: u32,
}

#[derive(Debug)]
pub struct Placer {
    graphics: Graphics,
    tmux: bool,
    /// What is on screen now, in the order it was placed.
    shown: Vec<Shown>,
    next_id: u32,
}

impl Placer {
    pub fn new(graphics: Graphics, tmux: bool) -> Self {
        Self { graphics, tmux, shown: Vec::new(), next_id: 1 }
    }

    fn wrap(&self, seq: &[u8]) -> Vec<u8> {
        if self.tmux { encode::wrap_for_tmux(seq) } else { seq.to_vec() }
    }

    /// The steps that make the screen show one wanted image (see `sync_all`).
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
            for shown in gone {
                steps.push(Step::Write(self.wrap(&encode::kitty_delete(shown.id))));
            }
            self.shown = kept;
        }
        for (wanted, prepared) in placeable {
            if self.shown.iter().any(|s| s.key == wanted.key && s.area == wanted.area) {
                continue;
            }
            steps.push(Step::Write(self.place(wanted, prepared)));
        }
        steps
    }

    /// The bytes that draw `prepared` in `wanted.area`; it is then on screen.
    fn place(&mut self, wanted: &Wanted, prepared: &Prepared) -> Vec<u8> {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1).max(1);
        let (x, y) = (wanted.area.x + prepared.offset_x, wanted.area.y + prepared.offset_y);
        // Save the cursor, go to the image's top-left cell, draw, restore.
        let mut bytes = format!("\x1b7\x1b[{};{}H", y + 1, x + 1).into_bytes();
        match self.graphics {
            Graphics::Kitty => {
                for chunk in encode::kitty_show(id, &prepared.payload, prepared.cols, prepared.rows) {
                    bytes.extend(self.wrap(&chunk));
                }
            }
            Graphics::Iterm => {
                bytes.extend(self.wrap(&encode::iterm_show(&prepared.payload, prepared.cols, prepared.rows)))
            }
            _ => bytes.extend(self.wrap(&prepared.payload)),
        }
        bytes.extend_from_slice(b"\x1b8");
        self.shown.push(Shown { key: wanted.key.clone(), area: wanted.area, id });
        bytes
    }

    /// Erases what is shown (on quit).
    pub fn clear(&mut self) -> Vec<u8> {
        let shown = std::mem::take(&mut self.shown);
        if self.graphics != Graphics::Kitty {
            return Vec::new();
        }
        shown.iter().flat_map(|s| self.wrap(&encode::kitty_delete(s.id))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preview::prepare::{CellSize, prepare_image};

    fn wanted(path: &str, cols: u16) -> (Wanted, Prepared) {
        let key = PreviewKey { path: path.into(), cols, rows: 10, graphics: Graphics::Kitty, zoom: Default::default() };
        let img = image::RgbaImage::new(64, 64);
        let prepared = prepare_image(&key, &img, CellSize::default()).unwrap();
        (Wanted { key, area: Rect::new(5, 5, cols, 10) }, prepared)
    }

    #[test]
    fn kitty_is_sent_once_replaced_by_delete_then_show() {
        let mut placer = Placer::new(Graphics::Kitty, false);
        let (a, pa) = wanted("a.png", 20);
        assert!(placer.sync(Some(&a), None).is_empty(), "nothing to show before it is prepared");
        let steps = placer.sync(Some(&a), Some(&pa));
        assert!(matches!(&steps[..], [Step::Write(b)] if b.windows(4).any(|w| w == b"a=T,")));
        assert!(placer.sync(Some(&a), Some(&pa)).is_empty(), "unchanged: nothing written");
        let (b, pb) = wanted("b.png", 20);
        let steps = placer.sync(Some(&b), Some(&pb));
        let Step::Write(delete) = &steps[0] else { panic!("{steps:?}") };
        assert!(delete.starts_with(b"\x1b_Ga=d,d=I,i=1"), "the old image is erased first");
        assert!(matches!(&steps[1], Step::Write(show) if show.windows(4).any(|w| w == b"i=2,")));
        assert!(matches!(&placer.sync(None, None)[..], [Step::Write(d)] if d.starts_with(b"\x1b_Ga=d")));
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
        assert!(placer.sync_all(&[(&a, Some(&pa)), (&b, Some(&pb))]).is_empty(), "unchanged: nothing");
        let (c, pc) = wanted("c.png", 20);
        let c = Wanted { area: b.area, ..c };
        let steps = placer.sync_all(&[(&a, Some(&pa)), (&c, Some(&pc))]);
        let Step::Write(delete) = &steps[0] else { panic!("{steps:?}") };
        assert!(delete.starts_with(b"\x1b_Ga=d,d=I,i=2"), "only b is erased");
        assert_eq!(steps.len(), 2, "and only c is sent: a stays");
    }
}
