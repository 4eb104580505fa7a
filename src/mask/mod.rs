//! Masks made in imgtui: shapes kept as geometry in the image's pixels (so a rectangle drawn on
//! terminal cells covers exactly the pixels under those cells), rasterised once into the PNG the
//! API takes; and, after a masked edit, the protected pixels put back (`keep`).

pub mod keep;
pub mod painter;
pub mod shapes;

pub use painter::{Grid, Painter, Tool};
pub use shapes::{MaskPlan, Op, PixelRect, Shape};
