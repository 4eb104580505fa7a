//! A job's images side by side: as many columns as give each picture the most room, each in a
//! frame titled with its number, the chosen one in the focus colour.

use std::path::PathBuf;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType};

use super::preview;
use crate::config::theme::Theme;
use crate::preview::placer::Wanted;
use crate::preview::{PreviewKey, Zoom};
use crate::tui::state::State;

/// One picture of a grid: its file (`None` when gone) and its frame's title.
pub struct Cell {
    pub path: Option<PathBuf>,
    pub title: String,
    /// Markup drawn over the picture (an edit's input).
    pub markup: Option<PathBuf>,
}

impl Cell {
    /// The numbered cells of a job's images.
    pub fn numbered(files: Vec<Option<PathBuf>>) -> Vec<Self> {
        files.into_iter().enumerate().map(|(i, path)| Self { path, title: (i + 1).to_string(), markup: None }).collect()
    }
}

/// Draws `cells` in a grid over `area`, `selected` marked, each fitted or all zoomed alike;
/// returns the pictures to place.
pub fn render(
    state: &State,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    cells: &[Cell],
    selected: usize,
    zoom: Zoom,
) -> Vec<Wanted> {
    let images = cells;
    let (cols, rows) = layout(images.len(), area);
    let (cell_w, cell_h) = (area.width / cols.max(1), area.height / rows.max(1));
    let mut pictures = Vec::new();
    for (i, Cell { path, title, markup }) in images.iter().enumerate() {
        let (col, row) = (i as u16 % cols, i as u16 / cols);
        let cell = Rect::new(area.x + col * cell_w, area.y + row * cell_h, cell_w, cell_h);
        let chosen = i == selected;
        let block = Block::bordered()
            .border_type(if chosen { BorderType::Thick } else { BorderType::Rounded })
            .border_style(theme.border(chosen))
            .title(Line::from(format!(" {title} ")).style(theme.title(chosen)));
        let inner = block.inner(cell);
        frame.render_widget(block, cell);
        match (path, markup) {
            (Some(path), Some(markup)) => {
                let key = PreviewKey { markup: Some(markup.clone()), ..preview::key_for(state, path, inner, zoom) };
                pictures.extend(preview::picture_of(state, theme, frame, inner, key));
            }
            (Some(path), None) => pictures.extend(preview::picture(state, theme, frame, inner, path, zoom)),
            (None, _) => {}
        }
    }
    pictures
}

/// Columns and rows for `n` pictures in `area`: the arrangement whose cells hold the largest
/// square picture (a cell is twice as tall as it is wide).
pub fn layout(n: usize, area: Rect) -> (u16, u16) {
    let n = n.max(1) as u16;
    (1..=n)
        .map(|cols| (cols, n.div_ceil(cols)))
        .max_by_key(|&(cols, rows)| {
            let (w, h) = ((area.width / cols).saturating_sub(2), (area.height / rows).saturating_sub(2));
            (w.min(h * 2), u16::MAX - cols)
        })
        .unwrap_or((1, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_images_make_two_by_two_on_a_screen_and_a_row_in_a_wide_strip() {
        assert_eq!(layout(4, Rect::new(0, 0, 120, 38)), (2, 2));
        assert_eq!(layout(4, Rect::new(0, 0, 200, 20)), (4, 1));
        assert_eq!(layout(1, Rect::new(0, 0, 80, 20)), (1, 1));
        assert_eq!(layout(3, Rect::new(0, 0, 80, 23)), (3, 1));
    }
}
