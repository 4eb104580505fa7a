//! The screen sizes the layout is built around: what both drawing and keys need to know (keys
//! wait while the screen is too small to show what they would act on).

/// Below this the layout cannot hold its panes.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;
/// From this width the panes sit side by side.
pub const WIDE: u16 = 110;
