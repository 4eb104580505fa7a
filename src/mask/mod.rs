//! Masks made in imgtui: shapes kept as geometry in the image's pixels (so a rectangle drawn on
//! terminal cells covers exactly the pixels under those cells), rasterised once into the PNG the
//! API takes; and, after a masked edit, the protected pixels put back (`keep`). Markup (marks
//! in colour that say what to change, gpt-image-2.6) is painted the same way (`markup`).

pub mod canvas;
pub mod keep;
pub mod marking;
pub mod markup;
pub mod painter;
pub mod shapes;

/// The largest image a mask is made for, in pixels: its mask, its canvas and its overlay are
/// each that many bytes (an image file's header can claim any size).
pub const MAX_PIXELS: u64 = 64_000_000;

pub use painter::{Grid, Painter, Tool};
pub use shapes::{MaskPlan, Op, PixelRect, Shape};
