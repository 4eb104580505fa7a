//! Pixels per terminal cell: asked of the terminal (`CSI 16 t`) and cross-checked with the
//! window-size ioctl, which reports 0 through some SSH clients, mosh and Windows. A guess of
//! 10x20 is the last resort, and is said to be one.

use std::fmt;

pub use crate::cell_size::CellSize;

/// The cell size from the window-size ioctl, when it reports pixels.
pub fn ioctl_cell() -> Option<CellSize> {
    let w = crossterm::terminal::window_size().ok()?;
    CellSize::of_area((w.width, w.height), (w.columns, w.rows))
}

/// Where the cell size in use came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellSource {
    /// The terminal answered `CSI 16 t`.
    Asked,
    /// The terminal answered `CSI 14 t` (text area in pixels), divided by the cells.
    AskedArea,
    /// The window-size ioctl reported pixels.
    WindowSize,
    /// Nothing reported pixels: the 10x20 guess.
    Guessed,
}

impl fmt::Display for CellSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Asked => "asked (CSI 16 t)",
            Self::AskedArea => "asked (CSI 14 t, text area / cells)",
            Self::WindowSize => "window size (ioctl)",
            Self::Guessed => "guessed (nothing reported pixels)",
        })
    }
}

/// The cell size chosen at start-up, with what each source said (for `doctor`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CellChoice {
    pub size: CellSize,
    pub source: CellSource,
    pub asked: Option<CellSize>,
    pub asked_area: Option<CellSize>,
    pub ioctl: Option<CellSize>,
}

impl Default for CellChoice {
    fn default() -> Self {
        Self::reconcile(None, None, None)
    }
}

impl CellChoice {
    /// The terminal's own answer wins: the ioctl is filled in by whatever sits between (an SSH
    /// client, mosh, tmux) and is often 0 or stale; the text area divided by the cells is exact
    /// only up to the window's padding.
    pub fn reconcile(asked: Option<CellSize>, asked_area: Option<CellSize>, ioctl: Option<CellSize>) -> Self {
        let (size, source) = match (asked, asked_area, ioctl) {
            (Some(size), ..) => (size, CellSource::Asked),
            (None, Some(size), _) => (size, CellSource::AskedArea),
            (None, None, Some(size)) => (size, CellSource::WindowSize),
            (None, None, None) => (CellSize::default(), CellSource::Guessed),
        };
        Self { size, source, asked, asked_area, ioctl }
    }

    /// The terminal's answer and the ioctl both reported, and differ by more than a pixel.
    pub fn disagreement(&self) -> Option<(CellSize, CellSize)> {
        let asked = self.asked.or(self.asked_area)?;
        let ioctl = self.ioctl?;
        (!asked.close_to(ioctl)).then_some((asked, ioctl))
    }

    /// The size after the window was resized. A resize keeps the font, so an asked size
    /// stands; only a size taken from the ioctl is read again (the font may have been zoomed).
    pub fn after_resize(self, ioctl: Option<CellSize>) -> Self {
        match self.source {
            CellSource::Asked | CellSource::AskedArea => Self { ioctl, ..self },
            CellSource::WindowSize | CellSource::Guessed => Self::reconcile(None, None, ioctl),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ASKED: CellSize = CellSize { width: 9, height: 18 };
    const IOCTL: CellSize = CellSize { width: 10, height: 20 };

    #[test]
    fn the_terminals_answer_wins_and_a_gap_is_reported() {
        let choice = CellChoice::reconcile(Some(ASKED), None, Some(IOCTL));
        assert_eq!((choice.size, choice.source), (ASKED, CellSource::Asked));
        assert_eq!(choice.disagreement(), Some((ASKED, IOCTL)));
        let agree = CellChoice::reconcile(Some(IOCTL), None, Some(CellSize { width: 11, height: 20 }));
        assert_eq!(agree.disagreement(), None, "a pixel apart is rounding");
    }

    #[test]
    fn an_ioctl_of_zero_pixels_is_no_answer() {
        assert_eq!(CellSize::of_area((0, 0), (80, 24)), None);
        assert_eq!(CellSize::of_area((800, 480), (80, 24)), Some(IOCTL));
        let guessed = CellChoice::reconcile(None, None, None);
        assert_eq!((guessed.size, guessed.source), (CellSize::default(), CellSource::Guessed));
        let area = CellChoice::reconcile(None, Some(ASKED), None);
        assert_eq!(area.source, CellSource::AskedArea);
    }

    #[test]
    fn a_resize_keeps_an_asked_size_and_rereads_the_ioctl() {
        let asked = CellChoice::reconcile(Some(ASKED), None, None).after_resize(Some(IOCTL));
        assert_eq!(asked.size, ASKED);
        let ioctl = CellChoice::reconcile(None, None, Some(IOCTL)).after_resize(Some(ASKED));
        assert_eq!((ioctl.size, ioctl.source), (ASKED, CellSource::WindowSize));
        let lost = CellChoice::reconcile(None, None, Some(IOCTL)).after_resize(None);
        assert_eq!(lost.source, CellSource::Guessed);
    }
}
