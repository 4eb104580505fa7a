//! The screens over the two base screens, Compose (prompt and settings) and Jobs (history and
//! the job): a stack. The top layer has the keyboard; rendering walks the stack up from the
//! highest layer that covers the whole screen; opening a screen is a push, closing it a pop.

use super::recall::RecallSearch;
use super::{Browser, Confirm, Focus, Gallery, HelpView, PainterView, Viewer, spend::SpendView};
use crate::tui::keymap::Context;

/// One screen over the base panes.
#[derive(Clone, Debug, PartialEq)]
pub enum Layer {
    /// The file browser, over the compose column.
    Browser(Browser),
    /// The history's jobs as thumbnails.
    Gallery(Gallery),
    /// One image on the whole screen.
    Viewer(Viewer),
    /// The mask painter.
    Painter(PainterView),
    /// What jobs cost.
    Spend(SpendView),
    /// The history's search line has the keyboard (the filter itself stays in the history).
    HistorySearch,
    /// Ctrl-R in the prompt: earlier prompts searched.
    Recall(RecallSearch),
    /// The Model row's "other…": a model name being typed.
    ModelName(String),
    /// The Size row's "custom…": a `WxH` being typed.
    CustomSize(String),
    Help(HelpView),
    Confirm(Confirm),
    /// `y`: what to copy to the clipboard.
    Copy(super::copy::CopyMenu),
}

impl Layer {
    /// Whose bindings its keys go to.
    pub fn context(&self) -> Context {
        match self {
            Self::Browser(browser) if browser.path_input.is_some() => Context::Path,
            Self::Browser(_) => Context::Browser,
            Self::Gallery(_) => Context::Gallery,
            Self::Viewer(_) => Context::Viewer,
            Self::Painter(_) => Context::Painter,
            Self::Spend(_) => Context::Spend,
            Self::Recall(_) => Context::Recall,
            Self::HistorySearch | Self::ModelName(_) | Self::CustomSize(_) => Context::Search,
            Self::Help(_) => Context::Help,
            Self::Confirm(_) => Context::Confirm,
            Self::Copy(_) => Context::Copy,
        }
    }

    /// It covers the whole screen: nothing under it is drawn.
    pub fn covers_screen(&self) -> bool {
        matches!(self, Self::Gallery(_) | Self::Viewer(_) | Self::Painter(_) | Self::Spend(_))
    }

    /// A popup in the middle of the screen (pictures under it are not drawn: a terminal's
    /// image would cover the popup's text).
    pub fn is_popup(&self) -> bool {
        matches!(
            self,
            Self::Recall(_)
                | Self::ModelName(_)
                | Self::CustomSize(_)
                | Self::Help(_)
                | Self::Confirm(_)
                | Self::Copy(_)
        )
    }
}

/// The base pane with the keyboard, and the layers over the base screens, bottom first.
#[derive(Clone, Debug, PartialEq)]
pub struct Layers {
    pub focus: Focus,
    stack: Vec<Layer>,
}

impl Default for Layers {
    fn default() -> Self {
        Self { focus: Focus::Prompt, stack: Vec::new() }
    }
}

impl Layers {
    /// Where keys go: the top layer's bindings, else the focused pane's.
    pub fn context(&self) -> Context {
        self.top().map_or(self.focus.context(), Layer::context)
    }

    pub fn top(&self) -> Option<&Layer> {
        self.stack.last()
    }

    pub fn top_mut(&mut self) -> Option<&mut Layer> {
        self.stack.last_mut()
    }

    pub fn push(&mut self, layer: Layer) {
        self.stack.push(layer);
    }

    pub fn pop(&mut self) -> Option<Layer> {
        self.stack.pop()
    }

    #[cfg(any(test, feature = "internals"))]
    pub fn is_empty(&self) -> bool {
        self.stack.is_empty()
    }

    /// Bottom first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Layer> {
        self.stack.iter()
    }

    /// The layers to draw: from the highest that covers the screen (none: the base panes are
    /// drawn first) to the top.
    pub fn visible(&self) -> &[Layer] {
        let from = self.stack.iter().rposition(Layer::covers_screen).unwrap_or(0);
        &self.stack[from..]
    }

    /// Whether the base panes are drawn (no layer covers the screen).
    pub fn base_visible(&self) -> bool {
        !self.stack.iter().any(Layer::covers_screen)
    }

    /// Whether a popup is open.
    pub fn popup_open(&self) -> bool {
        self.stack.iter().any(Layer::is_popup)
    }

    /// The topmost popup, if one is open.
    #[cfg(any(test, feature = "internals"))]
    pub fn popup(&self) -> Option<&Layer> {
        self.stack.iter().rev().find(|l| l.is_popup())
    }

    /// Whether the base pane `focus` has the keyboard: no layer over it but its own search
    /// line (the history's, typed inside the pane).
    pub fn focused(&self, focus: Focus) -> bool {
        self.focus == focus && self.stack.iter().all(|l| matches!(l, Layer::HistorySearch))
    }

    /// Closes the topmost layer `which` picks, wherever it is in the stack.
    pub fn close(&mut self, which: impl Fn(&Layer) -> bool) -> Option<Layer> {
        let at = self.stack.iter().rposition(which)?;
        Some(self.stack.remove(at))
    }

    /// Whether the top layer is `which`.
    pub fn top_is(&self, which: impl Fn(&Layer) -> bool) -> bool {
        self.top().is_some_and(which)
    }
}

/// Typed access to the topmost layer of each kind that has state of its own.
macro_rules! layer_access {
    ($($variant:ident($ty:ty): $get:ident, $get_mut:ident, $take:ident;)*) => {
        #[allow(dead_code, reason = "each layer gets the same three; not every one is asked for each")]
        impl Layers {
            $(
                pub fn $get(&self) -> Option<&$ty> {
                    self.stack.iter().rev().find_map(|l| match l { Layer::$variant(v) => Some(v), _ => None })
                }

                pub fn $get_mut(&mut self) -> Option<&mut $ty> {
                    self.stack.iter_mut().rev().find_map(|l| match l { Layer::$variant(v) => Some(v), _ => None })
                }

                /// Closes it, wherever it is in the stack, and hands its state back.
                pub fn $take(&mut self) -> Option<$ty> {
                    match self.close(|l| matches!(l, Layer::$variant(_)))? {
                        Layer::$variant(v) => Some(v),
                        _ => None,
                    }
                }
            )*
        }
    };
}

layer_access! {
    Browser(Browser): browser, browser_mut, close_browser;
    Gallery(Gallery): gallery, gallery_mut, close_gallery;
    Viewer(Viewer): viewer, viewer_mut, close_viewer;
    Painter(PainterView): painter, painter_mut, close_painter;
    Spend(SpendView): spend, spend_mut, close_spend;
    Recall(RecallSearch): recall, recall_mut, close_recall;
    Help(HelpView): help, help_mut, close_help;
    Confirm(Confirm): confirm, confirm_mut, close_confirm;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_top_has_the_keys_and_a_full_screen_layer_hides_what_is_under_it() {
        let mut layers = Layers::default();
        assert_eq!(layers.context(), Context::Prompt);
        assert!(layers.focused(Focus::Prompt) && layers.base_visible());
        layers.push(Layer::Gallery(Gallery::default()));
        layers.push(Layer::Viewer(Viewer::default()));
        layers.push(Layer::Help(HelpView::default()));
        assert_eq!(layers.context(), Context::Help);
        assert!(!layers.base_visible() && layers.popup_open() && !layers.focused(Focus::Prompt));
        assert_eq!(layers.visible().len(), 2, "the viewer and the help over it");
        assert!(layers.close_help().is_some());
        assert_eq!(layers.context(), Context::Viewer);
        assert!(layers.close_gallery().is_some(), "closed where it is");
        assert_eq!(layers.iter().count(), 1);
        assert!(layers.close_viewer().is_some() && layers.is_empty());
        assert_eq!(layers.context(), Context::Prompt);
    }
}
