//! `imgtui mcp --print-config CLIENT`: the snippet each agent's client takes, naming this very
//! binary, so plugging imgtui in is one paste.

use serde_json::json;

pub use crate::cli::McpClient as Client;

/// This binary, as a path a client can start from anywhere.
fn command() -> String {
    std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::canonicalize(p).ok())
        .map_or_else(|| "imgtui".to_string(), |p| p.display().to_string())
}

/// The snippet for `client`; `demo`: the server runs on the built-in demo backend.
pub fn snippet(client: Client, demo: bool) -> String {
    let command = command();
    let args: Vec<&str> = if demo { vec!["--demo", "mcp"] } else { vec!["mcp"] };
    let servers = json!({ "mcpServers": { "imgtui": { "command": command, "args": args } } });
    let pretty = serde_json::to_string_pretty(&servers).unwrap_or_default();
    let key = "The API key comes from the environment the client starts imgtui in (OPENAI_API_KEY or TTAPI_API_KEY) \
               or from imgtui's config file; it never appears in a tool's result.";
    match client {
        Client::Claude => format!(
            "# Claude Code: run this once (add --scope project to share it through .mcp.json)\nclaude mcp add imgtui -- \
             {command} {}\n\n# or put this in the project's .mcp.json:\n{pretty}\n\n# {key}",
            args.join(" ")
        ),
        Client::Codex => format!(
            "# Codex CLI: add to ~/.codex/config.toml\n[mcp_servers.imgtui]\ncommand = {}\nargs = {}\n\n# {key}",
            toml_string(&command),
            serde_json::to_string(&args).unwrap_or_default()
        ),
        Client::Cursor => {
            format!("// Cursor: .cursor/mcp.json in the project, or ~/.cursor/mcp.json\n{pretty}\n\n// {key}")
        }
        Client::Gemini => format!("// Gemini CLI: merge into ~/.gemini/settings.json\n{pretty}\n\n// {key}"),
    }
}

/// `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"imgtui\"".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_client_gets_its_own_format_naming_this_binary() {
        let claude = snippet(Client::Claude, false);
        assert!(claude.contains("claude mcp add imgtui -- ") && claude.contains("\"mcpServers\""), "{claude}");
        let codex = snippet(Client::Codex, true);
        assert!(codex.contains("[mcp_servers.imgtui]") && codex.contains("args = [\"--demo\",\"mcp\"]"), "{codex}");
        let parsed: toml::Table =
            toml::from_str(codex.split("\n\n").next().unwrap().trim_start_matches(|c| c != '[')).unwrap();
        assert!(parsed["mcp_servers"]["imgtui"]["command"].as_str().is_some());
        for client in [Client::Cursor, Client::Gemini] {
            let text = snippet(client, false);
            let json_part = &text[text.find('{').unwrap()..=text.rfind('}').unwrap()];
            let value: serde_json::Value = serde_json::from_str(json_part).unwrap();
            assert_eq!(value["mcpServers"]["imgtui"]["args"], json!(["mcp"]));
        }
    }
}
