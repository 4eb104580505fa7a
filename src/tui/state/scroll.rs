//! Where a list's window starts. Kept between frames so the highlight moves inside the window
//! and the list scrolls only when it would leave it (a window recomputed from the selection
//! alone pins the highlight to the bottom row while going up).

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scroll {
    offset: usize,
    /// Rows the list had in the last frame (0 before the first).
    height: usize,
}

impl Scroll {
    /// Moves the window as little as needed to show `selected`.
    pub fn follow(&mut self, selected: usize) {
        self.offset = self.offset_for(selected, self.height, usize::MAX);
    }

    /// The list has `height` rows now (a frame reported it).
    pub fn set_height(&mut self, height: usize, selected: usize) {
        self.height = height;
        self.follow(selected);
    }

    pub fn height(&self) -> usize {
        self.height
    }

    /// Rows PgUp and PgDn move: the window's height, 10 before the first frame.
    pub fn page(&self) -> isize {
        if self.height == 0 { 10 } else { self.height as isize }
    }

    /// The first row to draw in a window of `height` rows with `selected` in it: the kept
    /// offset, moved only as far as needed (also when this frame's height is new), and never
    /// so far down that rows above stay hidden while the window has room below (a search or a
    /// filter that left fewer rows).
    pub fn offset_for(&self, selected: usize, height: usize, len: usize) -> usize {
        if height == 0 {
            return self.offset.min(selected);
        }
        let kept = self.offset.min(selected).max((selected + 1).saturating_sub(height));
        kept.min(len.saturating_sub(height))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_moves_only_when_the_selection_would_leave_it() {
        let mut scroll = Scroll::default();
        scroll.set_height(5, 0);
        for selected in 0..=9 {
            scroll.follow(selected);
        }
        assert_eq!(scroll.offset_for(9, 5, 10), 5, "down to row 9: rows 5-9 shown");
        // Going up moves the highlight inside the window first.
        for selected in (5..9).rev() {
            scroll.follow(selected);
            assert_eq!(scroll.offset_for(selected, 5, 10), 5, "row {selected} is inside the window");
        }
        scroll.follow(4);
        assert_eq!(scroll.offset_for(4, 5, 10), 4, "then the window follows, one row at a time");
        assert_eq!(scroll.offset_for(6, 2, 10), 5, "a smaller frame still shows the selection");
        // A search leaves 7 rows: the window starts at the top, the selection still in it.
        assert_eq!(scroll.offset_for(6, 5, 7), 2);
        assert_eq!(scroll.offset_for(4, 10, 7), 0, "all rows shown when they fit");
    }
}
