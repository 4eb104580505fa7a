//! Each screen's bindings, listed: its keys grouped by command, with what each does there and
//! the command's name in a keymap file (`imgtui man`, `imgtui keys`, docs/keys.md).

use super::action::Action;
use super::keymap::{Context, Keymap};

/// One screen's bindings: its keys grouped by command, each with what it does there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScreenKeys {
    pub context: Context,
    /// (the keys as shown, what they do on this screen, the command's name in a keymap file)
    pub rows: Vec<(Vec<String>, String, String)>,
}

/// Every screen that has bindings in `keymap`, in the order of `Context::ALL`.
pub fn screens(keymap: &Keymap) -> Vec<ScreenKeys> {
    let mut screens = Vec::new();
    for context in Context::ALL {
        let mut commands: Vec<(Action, Vec<String>)> = Vec::new();
        for (key, action) in keymap.bindings(context) {
            match commands.iter_mut().find(|(a, _)| a == action) {
                Some((_, keys)) => keys.push(key.display()),
                None => commands.push((*action, vec![key.display()])),
            }
        }
        if commands.is_empty() {
            continue;
        }
        let rows = commands
            .into_iter()
            .map(|(action, keys)| {
                let does = super::commands::describe(context, action).unwrap_or_else(|| action.description());
                (keys, does.to_string(), super::commands::name(action))
            })
            .collect();
        screens.push(ScreenKeys { context, rows });
    }
    screens
}

/// Every screen's bindings as Markdown tables, for docs/keys.md: the keys, what they do on that
/// screen, and the command a keymap file names.
#[cfg(any(test, feature = "internals"))]
pub fn screens_markdown(keymap: &Keymap) -> String {
    let mut text = String::new();
    for screen in screens(keymap) {
        text.push_str(&format!(
            "### {} `[{}]`\n\n| Keys | Does | Command |\n|---|---|---|\n",
            screen.context.title(),
            screen.context.name()
        ));
        for (keys, does, command) in screen.rows {
            let keys: Vec<String> = keys.iter().map(|k| format!("`{}`", k.replace('`', "\\`"))).collect();
            text.push_str(&format!("| {} | {} | `{command}` |\n", keys.join(" "), does.replace('|', "\\|")));
        }
        text.push('\n');
    }
    text
}
