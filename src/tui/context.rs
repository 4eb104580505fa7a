//! The screens (layers) keys belong to: each has its own section in the keymap, its own
//! commands and its own help.

/// Where a binding applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    Prompt,
    Settings,
    History,
    Preview,
    Viewer,
    Gallery,
    Painter,
    Spend,
    Search,
    Browser,
    Path,
    Recall,
    Help,
    Confirm,
    /// `y`: what to copy to the clipboard.
    Copy,
}

impl Context {
    pub const ALL: [Self; 16] = [
        Self::Global,
        Self::Prompt,
        Self::Settings,
        Self::History,
        Self::Preview,
        Self::Viewer,
        Self::Gallery,
        Self::Painter,
        Self::Spend,
        Self::Browser,
        Self::Path,
        Self::Recall,
        Self::Search,
        Self::Help,
        Self::Confirm,
        Self::Copy,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Global => "global",
            Self::Prompt => "prompt",
            Self::Settings => "settings",
            Self::History => "history",
            Self::Preview => "preview",
            Self::Viewer => "viewer",
            Self::Gallery => "gallery",
            Self::Painter => "painter",
            Self::Spend => "spend",
            Self::Search => "search",
            Self::Browser => "browser",
            Self::Path => "path",
            Self::Recall => "recall",
            Self::Help => "help",
            Self::Confirm => "confirm",
            Self::Copy => "copy",
        }
    }

    /// What the help and the notices call it.
    pub fn title(self) -> &'static str {
        match self {
            Self::Global => "Everywhere",
            Self::Prompt => "Prompt",
            Self::Settings => "Settings",
            Self::History => "History",
            Self::Preview => "Job",
            Self::Viewer => "Viewer",
            Self::Gallery => "Gallery",
            Self::Painter => "Mask painter",
            Self::Spend => "Spend",
            Self::Search => "Search line",
            Self::Browser => "File browser",
            Self::Path => "Path line",
            Self::Recall => "Earlier prompts",
            Self::Help => "Help",
            Self::Confirm => "Question",
            Self::Copy => "Copy",
        }
    }

    /// One of the four panes (not a screen over them): [global] applies in full.
    pub fn is_pane(self) -> bool {
        matches!(self, Self::Prompt | Self::Settings | Self::History | Self::Preview)
    }

    /// Letters typed here are text, not commands.
    pub fn takes_text(self) -> bool {
        matches!(self, Self::Prompt | Self::Search | Self::Path | Self::Recall | Self::Browser)
    }
}
