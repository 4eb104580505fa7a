//! One meaning per key: the keys that are bound on more than one screen, each with the one kind
//! of thing it does everywhere (the commands that are that kind on some screen). The README
//! shows this table; a test holds the keymap to it, so no screen can give a key a second
//! meaning without the table saying so.

use super::action::Action;
use super::keymap::{Context, Key, Keymap};

use Action as A;

/// A key (or keys that go together) and what it means wherever it is bound.
pub struct Meaning {
    /// Keymap names (`ctrl-c`, `esc`, `left`).
    pub keys: &'static [&'static str],
    /// The commands it may be bound to, one kind of thing.
    pub commands: &'static [Action],
    pub means: &'static str,
}

pub const TABLE: &[Meaning] = &[
    Meaning {
        keys: &["ctrl-c"],
        commands: &[A::Quit],
        means: "quit, from any screen (asks while jobs run, images wait or a mask is unsaved; again to confirm)",
    },
    Meaning { keys: &["ctrl-z"], commands: &[A::Suspend], means: "suspend to the shell (fg resumes)" },
    Meaning { keys: &["ctrl-s", "alt-enter", "f5"], commands: &[A::Submit], means: "send the request" },
    Meaning { keys: &["f1", "?"], commands: &[A::Help], means: "help for where you are (again: close it)" },
    Meaning {
        keys: &["esc"],
        commands: &[A::Cancel],
        means: "close what is on top or say no; on a pane, back to the prompt; never to a pane beside",
    },
    Meaning {
        keys: &["q"],
        commands: &[A::Cancel, A::Quit],
        means: "close the screen on top; on a pane, quit (the unsent prompt is kept)",
    },
    Meaning {
        keys: &["enter"],
        commands: &[A::View, A::Confirm, A::Toggle],
        means: "the main thing here: view a job or file, pick, save, answer yes",
    },
    Meaning { keys: &["tab"], commands: &[A::FocusNext, A::Complete], means: "the next pane (a path line: complete)" },
    Meaning { keys: &["backtab"], commands: &[A::FocusPrev], means: "the previous pane" },
    Meaning {
        keys: &["ctrl-p", "ctrl-n"],
        commands: &[A::RecallOlder, A::RecallNewer, A::Up, A::Down],
        means: "earlier and later prompts, as a shell's history (in Ctrl-R's list: up and down)",
    },
    Meaning {
        keys: &["ctrl-r"],
        commands: &[A::RecallSearch, A::Down],
        means: "search earlier prompts, as a shell does (again: the next match)",
    },
    Meaning { keys: &["ctrl-/"], commands: &[A::Undo], means: "undo (the prompt and the painter; also Ctrl-_)" },
    Meaning { keys: &["alt-/"], commands: &[A::Redo], means: "redo" },
    Meaning {
        keys: &["up", "down", "k", "j"],
        commands: &[A::Up, A::Down],
        means: "up and down the list, the rows, the tiles or the image",
    },
    Meaning {
        keys: &["left", "right", "h", "l"],
        commands: &[
            A::PrevImage,
            A::NextImage,
            A::PrevValue,
            A::NextValue,
            A::Left,
            A::Right,
            A::ParentDir,
            A::Confirm,
        ],
        means: "previous and next: image, value, tile, cell; in the browser out of and into a folder",
    },
    Meaning {
        keys: &["pageup", "pagedown", "home", "end"],
        commands: &[A::PageUp, A::PageDown, A::First, A::Last],
        means: "a page, the first, the last",
    },
    Meaning { keys: &["g", "G"], commands: &[A::First, A::Last], means: "the first, the last (lists and the help)" },
    Meaning {
        keys: &["/"],
        commands: &[A::Search, A::OpenPath],
        means: "search: the history's prompts, the help; in the browser a path",
    },
    Meaning {
        keys: &["space"],
        commands: &[A::Toggle, A::PaintToggle, A::PlayPause],
        means: "pick, press or play: a Vary value, the brush down, a GIF in the viewer",
    },
    Meaning {
        keys: &["m"],
        commands: &[A::PaintMask, A::Mark],
        means: "mask or mark: paint the edit's mask, mark an image to compare",
    },
    Meaning {
        keys: &["."],
        commands: &[A::ToggleHidden, A::NextFrame],
        means: "one more: hidden files in the browser, a GIF's next frame in the viewer",
    },
    Meaning { keys: &["v"], commands: &[A::View], means: "view full screen (in the viewer: close it)" },
    Meaning { keys: &["V"], commands: &[A::Gallery], means: "the gallery (in the gallery: close it)" },
    Meaning { keys: &["$"], commands: &[A::Spend], means: "what jobs cost (in that view: close it)" },
    Meaning { keys: &["e"], commands: &[A::LoadJob], means: "load the job into the form" },
    Meaning { keys: &["E"], commands: &[A::EditResult], means: "edit the shown result" },
    Meaning {
        keys: &["r"],
        commands: &[A::RerunJob, A::RectStart],
        means: "run the job again, asking first with its estimate; in the painter a rectangle",
    },
    Meaning { keys: &["c"], commands: &[A::CancelJob], means: "cancel the running job (asks first)" },
    Meaning {
        keys: &["d", "delete", "backspace"],
        commands: &[A::DeleteJob, A::ResetValue, A::ParentDir],
        means: "take away: delete the job (asks first), a setting back to its default, up a folder",
    },
    Meaning { keys: &["*"], commands: &[A::StarJob], means: "star the job" },
    Meaning { keys: &["f"], commands: &[A::StarredOnly], means: "starred jobs only" },
    Meaning { keys: &["a"], commands: &[A::ToggleGrid], means: "all of the job's images side by side" },
    Meaning {
        keys: &["y"],
        commands: &[A::Copy, A::Confirm],
        means: "yes: copy (a path, the prompt, a command or the id), or answer a question",
    },
];

/// The meaning `key` has in the table, if it is there.
pub fn meaning_of(key: &Key) -> Option<&'static Meaning> {
    TABLE.iter().find(|m| m.keys.iter().any(|name| Key::parse(name).is_ok_and(|k| k == *key)))
}

/// Where `keymap` gives a key a meaning outside the table: a key of the table bound to another
/// kind of command, or a key the table does not have bound to different commands on two
/// screens. Empty when every key means one thing.
pub fn violations(keymap: &Keymap) -> Vec<String> {
    let mut found = Vec::new();
    let mut seen: Vec<(Key, Action, Context)> = Vec::new();
    for context in Context::ALL {
        for (key, action) in keymap.bindings(context) {
            match meaning_of(key) {
                Some(meaning) if !meaning.commands.contains(action) => found.push(format!(
                    "[{}] {}: {} is not \"{}\"",
                    context.name(),
                    key.file_name(),
                    super::commands::name(*action),
                    meaning.means
                )),
                Some(_) => {}
                None => {
                    if let Some((_, other, where_)) = seen.iter().find(|(k, a, _)| k == key && a != action) {
                        found.push(format!(
                            "{}: {} in [{}] but {} in [{}], and the table does not say so",
                            key.file_name(),
                            super::commands::name(*action),
                            context.name(),
                            super::commands::name(*other),
                            where_.name()
                        ));
                    }
                    seen.push((*key, *action, context));
                }
            }
        }
    }
    found
}

/// The table as Markdown, for the README.
pub fn markdown() -> String {
    let mut text = String::from("| Key | Means, on every screen where it is bound |\n|---|---|\n");
    for meaning in TABLE {
        let keys: Vec<String> = meaning
            .keys
            .iter()
            .filter_map(|name| Key::parse(name).ok())
            .map(|key| format!("`{}`", key.display().replace('`', "\\`")))
            .collect();
        text.push_str(&format!("| {} | {} |\n", keys.join(" "), meaning.means));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_of_the_default_keymap_means_one_thing() {
        assert_eq!(violations(&Keymap::builtin()), Vec::<String>::new());
    }

    #[test]
    fn a_second_meaning_outside_the_table_is_caught() {
        let mut keymap = Keymap::builtin();
        // Esc may only close or go back.
        assert!(keymap.merge("[settings]\n\"esc\" = \"next_value\"\n", std::path::Path::new("k")).is_empty());
        assert!(
            violations(&keymap).iter().any(|v| v.starts_with("[settings] esc: next_value")),
            "{:?}",
            violations(&keymap)
        );
        // A key the table lacks, two meanings on two screens.
        let mut keymap = Keymap::builtin();
        let text = "[history]\n\"z\" = \"star_job\"\n[viewer]\n\"z\" = \"zoom_in\"\n";
        assert!(keymap.merge(text, std::path::Path::new("k")).is_empty());
        assert!(violations(&keymap).iter().any(|v| v.starts_with("z: zoom_in in [viewer] but star_job in [history]")));
    }

    #[test]
    fn the_table_names_real_keys() {
        for meaning in TABLE {
            for name in meaning.keys {
                assert!(Key::parse(name).is_ok(), "{name}");
            }
        }
    }
}
