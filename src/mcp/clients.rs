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

/// The flags of `global` that decide which history, config and provider the server uses, as
/// they were given, so the agent works in the person's history and budgets.
pub fn server_args(global: &crate::cli::GlobalArgs) -> Vec<String> {
    let mut args = Vec::new();
    let absolute =
        |p: &std::path::Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()).display().to_string();
    if let Some(config) = &global.config {
        args.extend(["--config".to_string(), absolute(config)]);
    }
    if let Some(data) = &global.data_dir {
        args.extend(["--data-dir".to_string(), absolute(data)]);
    }
    if let Some(provider) = global.provider {
        args.extend(["--provider".to_string(), provider.name().to_string()]);
    }
    if let Some(url) = &global.base_url {
        args.extend(["--base-url".to_string(), url.clone()]);
    }
    if global.demo {
        args.push("--demo".into());
    }
    args.push("mcp".into());
    args
}

/// The snippet for `client` on standard output (what the client's file takes, and nothing
/// else), and a word on where it goes for standard error.
pub fn snippet(client: Client, args: &[String]) -> (String, String) {
    let command = command();
    let servers = json!({ "mcpServers": { "imgtui": { "command": command, "args": args } } });
    let pretty = serde_json::to_string_pretty(&servers).unwrap_or_default();
    let key = "The API key comes from the environment the client starts imgtui in (OPENAI_API_KEY or TTAPI_API_KEY) \
               or from imgtui's config file; it never appears in a tool's result.";
    match client {
        Client::Claude => {
            let words: Vec<String> = args.iter().map(|a| crate::api::image_request::shell_quote(a)).collect();
            (
                format!(
                    "claude mcp add imgtui -- {} {}",
                    crate::api::image_request::shell_quote(&command),
                    words.join(" ")
                ),
                format!(
                    "Claude Code: run this once (add --scope project to share it in .mcp.json, which takes:\n{pretty}\n). {key}"
                ),
            )
        }
        Client::Codex => (
            format!(
                "[mcp_servers.imgtui]\ncommand = {}\nargs = {}\n# Codex passes a server only the variables it is told to.\nenv_vars = [\"OPENAI_API_KEY\", \"TTAPI_API_KEY\"]",
                toml_string(&command),
                serde_json::to_string(args).unwrap_or_default()
            ),
            format!("Codex CLI: add this to ~/.codex/config.toml. {key}"),
        ),
        Client::Cursor => {
            (pretty, format!("Cursor: this is .cursor/mcp.json in the project, or ~/.cursor/mcp.json. {key}"))
        }
        Client::Gemini => (pretty, format!("Gemini CLI: merge this into ~/.gemini/settings.json. {key}")),
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
    fn each_client_gets_its_own_format_naming_this_binary_and_the_flags_given() {
        let args = vec!["--data-dir".to_string(), "/my data/x".to_string(), "mcp".to_string()];
        let (claude, _) = snippet(Client::Claude, &args);
        assert!(
            claude.starts_with("claude mcp add imgtui -- ") && claude.ends_with("--data-dir '/my data/x' mcp"),
            "{claude}"
        );
        let (codex, _) = snippet(Client::Codex, &args);
        let parsed: toml::Table = toml::from_str(&codex).unwrap();
        let server = &parsed["mcp_servers"]["imgtui"];
        assert_eq!(server["args"].as_array().unwrap().len(), 3);
        assert!(server["env_vars"].as_array().unwrap().iter().any(|v| v.as_str() == Some("OPENAI_API_KEY")));
        for client in [Client::Cursor, Client::Gemini] {
            let (text, _) = snippet(client, &args);
            let value: serde_json::Value = serde_json::from_str(&text).expect("only JSON on standard output");
            assert_eq!(value["mcpServers"]["imgtui"]["args"][2], "mcp");
        }
    }
}
