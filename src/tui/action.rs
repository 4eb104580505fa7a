//! Everything a key can do, by name: the keymap file names these (snake_case), and help and
//! the footer describe them.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Submit,
    Quit,
    Suspend,
    Help,
    FocusNext,
    FocusPrev,
    FocusPrompt,
    Cancel,
    Confirm,
    // Lists and forms.
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    // Settings.
    NextValue,
    PrevValue,
    ResetValue,
    // History.
    Search,
    CancelJob,
    RerunJob,
    LoadJob,
    DeleteJob,
    EditResult,
    RetrySave,
    // Preview and viewer.
    NextImage,
    PrevImage,
    View,
    Gallery,
    ToggleGrid,
    Compare,
    Mark,
    ToggleInfo,
    ZoomIn,
    ZoomOut,
    ZoomFit,
    // Edit inputs and the file browser.
    MoveItemUp,
    MoveItemDown,
    ParentDir,
    OpenPath,
    Complete,
}

impl Action {
    /// How many rows a movement moves, `page` rows to a page; `None` for other actions.
    pub fn rows(self, page: isize) -> Option<isize> {
        match self {
            Self::Up => Some(-1),
            Self::Down => Some(1),
            Self::PageUp => Some(-page),
            Self::PageDown => Some(page),
            Self::First => Some(isize::MIN / 2),
            Self::Last => Some(isize::MAX / 2),
            _ => None,
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Self::Submit => "submit the request as a new job",
            Self::Quit => "quit (asks first while jobs run)",
            Self::Suspend => "suspend to the shell (fg resumes)",
            Self::Help => "show or hide this help",
            Self::FocusNext => "focus the next pane",
            Self::FocusPrev => "focus the previous pane",
            Self::FocusPrompt => "back to the prompt",
            Self::Cancel => "close, or stop searching",
            Self::Confirm => "confirm",
            Self::Up => "move up",
            Self::Down => "move down",
            Self::PageUp => "page up",
            Self::PageDown => "page down",
            Self::First => "go to the first",
            Self::Last => "go to the last",
            Self::NextValue => "next value",
            Self::PrevValue => "previous value",
            Self::ResetValue => "back to the model's default",
            Self::Search => "search prompts",
            Self::CancelJob => "cancel the selected job",
            Self::RerunJob => "run the selected job again",
            Self::LoadJob => "load the job's parameters into the form",
            Self::DeleteJob => "delete the job and its image files",
            Self::EditResult => "edit this result: the shown image becomes the input of an edit",
            Self::RetrySave => "write the images waiting in memory again",
            Self::NextImage => "next image of the job",
            Self::PrevImage => "previous image of the job",
            Self::View => "view the image full screen",
            Self::Gallery => "the gallery: recent results as thumbnails",
            Self::ToggleGrid => "all of the job's images side by side, or one",
            Self::Compare => "the image beside the marked one (or, for an edit, its input)",
            Self::Mark => "mark the image, to compare another with it",
            Self::ToggleInfo => "show or hide the prompt, parameters and tokens",
            Self::ZoomIn => "zoom in (the arrows then move the view)",
            Self::ZoomOut => "zoom out",
            Self::ZoomFit => "fit the whole image again",
            Self::MoveItemUp => "move the input image up (the first one is masked)",
            Self::MoveItemDown => "move the input image down",
            Self::ParentDir => "go to the parent directory",
            Self::OpenPath => "type a path to jump to",
            Self::Complete => "complete the typed path",
        }
    }

    /// A short label for the footer.
    pub fn label(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::Quit => "quit",
            Self::Suspend => "suspend",
            Self::Help => "help",
            Self::FocusNext => "next pane",
            Self::FocusPrev => "prev pane",
            Self::FocusPrompt => "prompt",
            Self::Cancel => "close",
            Self::Confirm => "yes",
            Self::Up => "up",
            Self::Down => "down",
            Self::PageUp => "page up",
            Self::PageDown => "page down",
            Self::First => "first",
            Self::Last => "last",
            Self::NextValue => "change",
            Self::PrevValue => "change back",
            Self::ResetValue => "default",
            Self::Search => "search",
            Self::CancelJob => "cancel job",
            Self::RerunJob => "re-run",
            Self::LoadJob => "load into form",
            Self::DeleteJob => "delete",
            Self::EditResult => "edit result",
            Self::RetrySave => "save again",
            Self::NextImage => "next image",
            Self::PrevImage => "prev image",
            Self::View => "view",
            Self::Gallery => "gallery",
            Self::ToggleGrid => "grid",
            Self::Compare => "compare",
            Self::Mark => "mark",
            Self::ToggleInfo => "info",
            Self::ZoomIn => "zoom in",
            Self::ZoomOut => "zoom out",
            Self::ZoomFit => "fit",
            Self::MoveItemUp => "move up",
            Self::MoveItemDown => "move down",
            Self::ParentDir => "up a dir",
            Self::OpenPath => "path",
            Self::Complete => "complete",
        }
    }
}
