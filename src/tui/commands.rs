//! What each layer's keys can do there, in the words its help uses: a keymap section takes only
//! its layer's commands, and the help describes a binding by its layer (the painter's ← moves a
//! cursor, the gallery's moves between tiles, the viewer's shows the previous image).

use super::action::Action;
use super::context::Context;

use Action as A;

/// Commands every screen takes from [global], not only the panes: nothing keeps the user from
/// quitting, suspending, the help or writing images that wait in memory.
pub const EVERYWHERE: [Action; 4] = [A::Quit, A::Suspend, A::Help, A::RetrySave];

const GLOBAL: &[(Action, &str)] = &[
    (A::Submit, "send the request (Vary: the jobs it makes, asking first)"),
    (A::Quit, "quit, from any screen (asks while jobs run or work would be lost; again to confirm)"),
    (A::Suspend, "suspend to the shell (fg resumes)"),
    (A::Help, "this help, the keys of where you are first"),
    (A::RetrySave, "write the images waiting in memory again"),
    (A::FocusNext, "the next pane"),
    (A::FocusPrev, "the previous pane"),
];

const PROMPT: &[(Action, &str)] = &[
    (A::RecallOlder, "the earlier prompt before this one (as a shell's history)"),
    (A::RecallNewer, "the later prompt (past the newest: what you were typing)"),
    (A::RecallSearch, "search every earlier prompt (fuzzy); Enter loads it"),
    (A::DeleteToLineStart, "delete to the start of the line, as readline does"),
    (A::Undo, "undo a word, a deletion or a paste (also a job loaded into the form)"),
    (A::Redo, "redo"),
];

const SETTINGS: &[(Action, &str)] = &[
    (A::Help, "this help"),
    (A::Quit, "quit (the prompt and form are kept for the next start)"),
    (A::Cancel, "back to the prompt"),
    (A::Spend, "what jobs cost: per day and per model"),
    (A::PaintMask, "paint a mask over the first input image"),
    (A::Up, "the row above"),
    (A::Down, "the row below"),
    (A::NextValue, "the next value (on an input row: pick a file)"),
    (A::PrevValue, "the previous value"),
    (A::Toggle, "pick or unpick a Vary value; elsewhere the next value"),
    (A::ResetValue, "back to the model's default"),
    (A::MoveItemUp, "move the input image up (the first one is masked)"),
    (A::MoveItemDown, "move the input image down"),
];

/// History and the job pane share the job's commands.
const JOB: &[(Action, &str)] = &[
    (A::View, "view the job's image full screen"),
    (A::Gallery, "the gallery: the jobs as thumbnails"),
    (A::LoadJob, "load the job's prompt and parameters into the form"),
    (A::EditResult, "edit this result: the shown image becomes an edit's input"),
    (A::RerunJob, "run the job again (asks first, with its estimate)"),
    (A::CancelJob, "cancel the running job (asks first)"),
    (A::DeleteJob, "delete the job and its image files (asks first)"),
    (A::StarJob, "star the job (or take its star away)"),
    (A::Copy, "copy the image's path, the prompt, the command that repeats it, or the job id"),
    (A::PrevImage, "the job's previous image"),
    (A::NextImage, "the job's next image"),
    (A::Spend, "what jobs cost: per day and per model"),
    (A::Help, "this help"),
    (A::Quit, "quit (the prompt and form are kept for the next start)"),
    (A::Cancel, "back to the prompt"),
];

const HISTORY: &[(Action, &str)] = &[
    (A::Up, "the newer job"),
    (A::Down, "the older job"),
    (A::PageUp, "a page of newer jobs"),
    (A::PageDown, "a page of older jobs"),
    (A::First, "the newest job"),
    (A::Last, "the oldest job (loading more)"),
    (A::Search, "search the prompts (Enter keeps the filter, Esc clears it)"),
    (A::StarredOnly, "starred jobs only (or all again)"),
    (A::ToggleTree, "the jobs as a tree of edits (or as a list)"),
    (A::Parent, "the job this one edited (one step back)"),
];

const PREVIEW: &[(Action, &str)] = &[(A::ToggleGrid, "all of the job's images side by side, or one")];

const GALLERY: &[(Action, &str)] = &[
    (A::Help, "this help"),
    (A::Cancel, "close the gallery"),
    (A::Gallery, "close the gallery"),
    (A::Up, "the row of tiles above"),
    (A::Down, "the row of tiles below"),
    (A::Left, "the tile to the left"),
    (A::Right, "the tile to the right"),
    (A::PageUp, "a page of tiles up"),
    (A::PageDown, "a page of tiles down"),
    (A::First, "the first tile"),
    (A::Last, "the last tile"),
    (A::View, "view the tile's image full screen"),
    (A::LoadJob, "load the tile's job into the form"),
    (A::EditResult, "edit this result: the image becomes an edit's input"),
    (A::RerunJob, "run the tile's job again (asks first, with its estimate)"),
    (A::DeleteJob, "delete the tile's job and its files (asks first)"),
    (A::StarJob, "star the tile's job (or take its star away)"),
    (A::Copy, "copy the tile's path, prompt, command or job id"),
    (A::StarredOnly, "starred jobs only (or all again)"),
];

const VIEWER: &[(Action, &str)] = &[
    (A::Help, "this help"),
    (A::Copy, "copy the image's path, the prompt, the command that repeats it, or the job id"),
    (A::Cancel, "close the viewer"),
    (A::View, "close the viewer"),
    (A::PrevImage, "the previous image (zoomed in: move the view left)"),
    (A::NextImage, "the next image (zoomed in: move the view right)"),
    (A::Up, "the newer job (zoomed in: move the view up)"),
    (A::Down, "the older job (zoomed in: move the view down)"),
    (A::Confirm, "from the side-by-side images, the one under the cursor alone"),
    (A::ToggleInfo, "show or hide the prompt, parameters and tokens"),
    (A::ToggleGrid, "all of the job's images side by side, or one"),
    (A::GroupGrid, "the job's whole group side by side (the jobs of one submit)"),
    (A::Compare, "the image beside the marked one (or, for an edit, its input)"),
    (A::Mark, "mark the image, to compare another with it"),
    (A::PlayPause, "play or pause an animated GIF (sixel, half-blocks: kitty and iTerm2 play it themselves)"),
    (A::PrevFrame, "an animated GIF's previous frame"),
    (A::NextFrame, "an animated GIF's next frame"),
    (A::ZoomIn, "zoom in (the arrows then move the view)"),
    (A::ZoomOut, "zoom out"),
    (A::ZoomFit, "fit the whole image again"),
    (A::LoadJob, "load the job into the form"),
    (A::EditResult, "edit this result: the shown image becomes an edit's input"),
    (A::RerunJob, "run the job again (asks first, with its estimate)"),
];

const SPEND: &[(Action, &str)] =
    &[(A::Help, "this help"), (A::Cancel, "close the Spend view"), (A::Spend, "close the Spend view")];

const PAINTER: &[(Action, &str)] = &[
    (A::Help, "this help"),
    (A::Cancel, "drop a shape being drawn, else leave (asks when painted)"),
    (A::Confirm, "fix the shape being drawn, else save the mask (or markup) and use it"),
    (A::Up, "move the cursor up a cell"),
    (A::Down, "move the cursor down a cell"),
    (A::Left, "move the cursor left a cell"),
    (A::Right, "move the cursor right a cell"),
    (A::FarUp, "move the cursor up 8 cells"),
    (A::FarDown, "move the cursor down 8 cells"),
    (A::FarLeft, "move the cursor left 8 cells"),
    (A::FarRight, "move the cursor right 8 cells"),
    (A::PaintToggle, "brush down or up (down, moving paints)"),
    (A::RectStart, "a rectangle from here (move, then Enter fixes it)"),
    (A::EllipseStart, "an ellipse from here (move, then Enter fixes it)"),
    (A::ArrowStart, "markup: an arrow from here (move to its head, then Enter fixes it)"),
    (A::NextColour, "markup: the next colour for the marks made from now"),
    (A::BrushTool, "the brush (Space puts it down)"),
    (A::BrushSmaller, "a smaller brush"),
    (A::BrushLarger, "a larger brush"),
    (A::EraseMode, "erase instead of paint (and back)"),
    (A::ClearMask, "clear all painting"),
    (A::InvertMask, "swap the painted and protected areas"),
    (A::Undo, "undo the last stroke or shape"),
    (A::Redo, "redo"),
];

const BROWSER: &[(Action, &str)] = &[
    (A::Cancel, "close the browser, nothing picked"),
    (A::Up, "the entry above"),
    (A::Down, "the entry below"),
    (A::PageUp, "a page up"),
    (A::PageDown, "a page down"),
    (A::First, "the first entry"),
    (A::Last, "the last entry"),
    (A::Confirm, "pick the file, or open the directory"),
    (A::ParentDir, "the parent directory (Backspace: with an empty filter)"),
    (A::OpenPath, "type a path to go to (/: with an empty filter)"),
    (A::ToggleHidden, "show or hide hidden files (with an empty filter)"),
    (A::GoHome, "the home directory (with an empty filter)"),
    (A::View, "view the file full screen (with an empty filter)"),
];

const PATH: &[(Action, &str)] =
    &[(A::Cancel, "close the path line"), (A::Confirm, "go to the typed path"), (A::Complete, "complete the path")];

const RECALL: &[(Action, &str)] = &[
    (A::Cancel, "leave the prompt as it was"),
    (A::Confirm, "load the chosen prompt"),
    (A::Up, "the newer match"),
    (A::Down, "the older match"),
    (A::PageUp, "ten newer matches"),
    (A::PageDown, "ten older matches"),
];

const SEARCH: &[(Action, &str)] =
    &[(A::Cancel, "close (the history's search: and clear it)"), (A::Confirm, "use what was typed")];

const HELP: &[(Action, &str)] = &[
    (A::Cancel, "clear the filter, else close the help"),
    (A::Help, "close the help"),
    (A::Up, "scroll up"),
    (A::Down, "scroll down"),
    (A::PageUp, "a page up"),
    (A::PageDown, "a page down"),
    (A::First, "the top"),
    (A::Last, "the end"),
    (A::Search, "filter these lines (every screen's keys)"),
];

const CONFIRM: &[(Action, &str)] = &[(A::Confirm, "yes"), (A::Cancel, "no")];

const COPY: &[(Action, &str)] = &[
    (A::Up, "the choice above"),
    (A::Down, "the choice below"),
    (A::Confirm, "copy it (the choice is remembered)"),
    (A::Cancel, "close, nothing copied"),
];

/// A layer's own commands, with what each does there (the job pane and History share theirs).
pub fn of(context: Context) -> Vec<(Action, &'static str)> {
    let lists: &[&[(Action, &str)]] = match context {
        Context::Global => &[GLOBAL],
        Context::Prompt => &[PROMPT],
        Context::Settings => &[SETTINGS],
        Context::History => &[HISTORY, JOB],
        Context::Preview => &[PREVIEW, JOB],
        Context::Gallery => &[GALLERY],
        Context::Viewer => &[VIEWER],
        Context::Spend => &[SPEND],
        Context::Painter => &[PAINTER],
        Context::Browser => &[BROWSER],
        Context::Path => &[PATH],
        Context::Recall => &[RECALL],
        Context::Search => &[SEARCH],
        Context::Help => &[HELP],
        Context::Confirm => &[CONFIRM],
        Context::Copy => &[COPY],
    };
    lists.iter().flat_map(|list| list.iter().copied()).collect()
}

/// What `action` does in `context`; `None` when it is no command of that layer.
pub fn describe(context: Context, action: Action) -> Option<&'static str> {
    of(context).into_iter().find(|(a, _)| *a == action).map(|(_, does)| does)
}

/// The name a keymap file uses for `action` (`rerun_job`).
pub fn name(action: Action) -> String {
    serde_json::to_value(action).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_layer_says_what_its_moves_do_there() {
        assert_eq!(describe(Context::Painter, Action::Left), Some("move the cursor left a cell"));
        assert_eq!(describe(Context::Gallery, Action::Left), Some("the tile to the left"));
        assert_eq!(describe(Context::Painter, Action::RerunJob), None, "not a painter command");
        assert_eq!(name(Action::RerunJob), "rerun_job");
        for context in Context::ALL {
            let commands = of(context);
            for (i, (action, _)) in commands.iter().enumerate() {
                assert!(!commands[..i].iter().any(|(a, _)| a == action), "{context:?}: {action:?} twice");
            }
        }
    }
}
