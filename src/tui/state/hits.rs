//! Where the last frame drew what a click can land on: the panes, the history's rows, the
//! browser's entries, the gallery's tiles. Rendering reports them; the mouse is hit-tested
//! against them, so a click means what the user saw under the pointer.

use std::time::{Duration, Instant};

use ratatui::layout::{Position, Rect};

use super::Focus;

/// What is under a spot of the screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HitTarget {
    Pane(Focus),
    /// The history list's row of this index.
    HistoryRow(usize),
    /// The browser's visible row of this index.
    BrowserRow(usize),
    /// The gallery's tile of the history row of this index.
    GalleryTile(usize),
    /// The settings form's row of this index.
    SettingsRow(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub area: Rect,
    pub target: HitTarget,
}

/// Two clicks on one target within this are a double click.
pub const DOUBLE_CLICK: Duration = Duration::from_millis(400);

/// The last frame's targets, in drawing order (a later one is on top of an earlier one), and
/// the last click, for double clicks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Hits {
    pub drawn: Vec<Hit>,
    pub last_click: Option<(Instant, HitTarget)>,
}

impl Hits {
    /// The most specific target at (`column`, `row`): drawn last wins (a row over its pane).
    pub fn at(&self, column: u16, row: u16) -> Option<HitTarget> {
        self.drawn.iter().rev().find(|hit| hit.area.contains(Position::new(column, row))).map(|hit| hit.target)
    }

    /// The pane at (`column`, `row`), whatever is drawn over it.
    pub fn pane_at(&self, column: u16, row: u16) -> Option<Focus> {
        self.drawn.iter().rev().find_map(|hit| match hit.target {
            HitTarget::Pane(focus) if hit.area.contains(Position::new(column, row)) => Some(focus),
            _ => None,
        })
    }

    /// Records a click on `target` at `at`; true when it is the second of a double click.
    pub fn click(&mut self, target: HitTarget, at: Instant) -> bool {
        let double = self
            .last_click
            .is_some_and(|(then, last)| last == target && at.saturating_duration_since(then) <= DOUBLE_CLICK);
        self.last_click = if double { None } else { Some((at, target)) };
        double
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_row_over_its_pane_wins_and_two_quick_clicks_are_a_double() {
        let mut hits = Hits::default();
        hits.drawn.push(Hit { area: Rect::new(0, 0, 40, 10), target: HitTarget::Pane(Focus::History) });
        hits.drawn.push(Hit { area: Rect::new(1, 2, 38, 1), target: HitTarget::HistoryRow(1) });
        assert_eq!(hits.at(5, 2), Some(HitTarget::HistoryRow(1)));
        assert_eq!(hits.at(5, 5), Some(HitTarget::Pane(Focus::History)));
        assert_eq!(hits.pane_at(5, 2), Some(Focus::History));
        assert_eq!(hits.at(50, 2), None);
        let t0 = Instant::now();
        assert!(!hits.click(HitTarget::HistoryRow(1), t0));
        assert!(hits.click(HitTarget::HistoryRow(1), t0 + Duration::from_millis(200)));
        assert!(!hits.click(HitTarget::HistoryRow(1), t0 + Duration::from_millis(300)), "a third starts anew");
        assert!(!hits.click(HitTarget::HistoryRow(1), t0 + Duration::from_secs(2)));
    }
}
