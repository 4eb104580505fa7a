//! Command-line definitions: global flags and subcommands.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::api::Provider;

pub mod complete;
mod examples;
mod shapes;

pub use shapes::{MarkupArgs, MaskArgs};

#[derive(Debug, Parser)]
#[command(
    name = "imgtui",
    version,
    about = "Generate and edit images through the OpenAI-compatible Images API",
    long_about = "Generate and edit images through the OpenAI-compatible Images API (TTAPI or OpenAI).\n\n\
                  The key comes from TTAPI_API_KEY or OPENAI_API_KEY (or api_key in the config file), \
                  never from a flag. Without a key, --demo uses the built-in demo server.",
    after_help = examples::APP
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Flags every command takes, shown under their own heading (a local command hides those that
/// cannot change what it does: see `command`).
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Config file (default: ~/.config/imgtui/config.toml).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Directory for images, history and logs (default: the XDG data dir).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Which API to use; by default the one whose key is set.
    #[arg(long, global = true, value_enum)]
    pub provider: Option<Provider>,
    /// Base URL of the API, e.g. https://api.ttapi.io/v1 or a gateway.
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// Seconds to wait for one answer (default 300).
    #[arg(long, global = true, value_name = "SECS")]
    pub timeout: Option<u64>,
    /// Retries for 408/409/429/5xx and broken connections (default 2).
    #[arg(long, global = true, value_name = "N")]
    pub retries: Option<u32>,
    /// Colour theme: dark, light, a name in ~/.config/imgtui/themes/, or a path.
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,
    /// Inline previews: auto (ask the terminal), kitty, iterm, sixel, blocks, none.
    #[arg(long, global = true, value_enum, value_name = "PROTOCOL")]
    pub graphics: Option<crate::preview::Graphics>,
    /// Use the built-in demo server instead of a real API (no key needed).
    #[arg(long, global = true)]
    pub demo: bool,
    /// Simulated work per image on the demo server, in ms: `N` or `MIN-MAX` (default 1000-3000).
    #[arg(long, global = true, value_name = "MS", hide = true, value_parser = parse_latency)]
    pub demo_latency_ms: Option<DemoLatency>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create images from a prompt (POST /images/generations).
    #[command(after_help = examples::GENERATE)]
    Generate(GenerateArgs),
    /// Edit input image(s), optionally inside a mask (POST /images/edits).
    #[command(after_help = examples::EDIT)]
    Edit(EditArgs),
    /// List, search, show and re-run past jobs.
    #[command(after_help = examples::HISTORY)]
    History(HistoryArgs),
    /// Run the built-in demo server alone, for any OpenAI client to use.
    #[command(after_help = examples::SERVE_DEMO)]
    ServeDemo(ServeDemoArgs),
    /// The models: their state at the provider, what they take, where their rules come from.
    #[command(after_help = examples::MODELS)]
    Models(ModelsArgs),
    /// Make a mask for IMAGE from rectangles and ellipses (the same file the app's painter
    /// saves): transparent where the edit may change the image, opaque elsewhere.
    #[command(after_help = examples::MASK)]
    Mask(MaskArgs),
    /// Make markup for IMAGE (the same file the painter's markup mode saves): marks in colour on
    /// transparency, the image's size, that tell gpt-image-2.6 what to change (`edit --markup`).
    #[command(after_help = examples::MARKUP)]
    Markup(MarkupArgs),
    /// A Model Context Protocol server on stdio for coding agents: generate, edit, estimate,
    /// models, search_history and get_job, in the same history, budgets and rules.
    #[command(after_help = examples::MCP)]
    Mcp(McpArgs),
    /// Run many requests from a file: JSON Lines or YAML, one request per entry (`prompt` plus
    /// any request field; `image` and `mask` paths relative to the file make an edit).
    #[command(after_help = examples::BATCH)]
    Batch(BatchArgs),
    /// Print images into the terminal's scrollback, each under a caption: job IDs (all their
    /// images) or image files. Piped, only their paths.
    #[command(after_help = examples::SHOW)]
    Show(ShowArgs),
    /// Check the terminal (what it answered, the protocol and cell size, a test picture), the
    /// config files, the provider and the data folder: OK/WARN/FAIL, exit 1 on a FAIL.
    #[command(after_help = examples::DOCTOR)]
    Doctor,
    /// The shell completion script: `source <(imgtui completions bash)` (docs/headless.md: installing).
    /// Model names and job IDs are completed from the model table and the history.
    #[command(after_help = examples::COMPLETIONS)]
    Completions {
        #[arg(value_enum)]
        shell: CompletionShell,
    },
    /// The manual page (roff) on stdout, or with --dir one page per command written there.
    #[command(after_help = examples::MAN)]
    Man {
        /// Write one page per command into DIR (made if missing) instead of the main page on
        /// standard output.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// The app's keys as a keymap file: the defaults, or with --merged yours over them. Each
    /// binding says what it does on its screen; copy the lines to change into keymap.toml.
    #[command(after_help = examples::KEYS)]
    Keys {
        /// The keymap in effect: ~/.config/imgtui/keymap.toml merged over the defaults (its
        /// lines that cannot be used are named on stderr).
        #[arg(long)]
        merged: bool,
    },
    /// The config file: where it is, what it holds, or a commented one to start from.
    #[command(after_help = examples::CONFIG)]
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Subcommand)]
pub enum ConfigAction {
    /// Print the config file's path (it need not exist).
    #[command(after_help = examples::CONFIG_PATH)]
    Path,
    /// Print the settings in effect: the file's keys as read (the key hidden), and the
    /// provider, base URL and key source the environment and flags make of them.
    #[command(after_help = examples::CONFIG_SHOW)]
    Show,
    /// Write the commented defaults to the config path; an existing file is never replaced.
    #[command(after_help = examples::CONFIG_INIT)]
    Init,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Job IDs and image files (a number is a job unless a file has that name).
    #[arg(required = true, value_name = "ID|PATH", add = clap_complete::ArgValueCompleter::new(crate::completions::ShowTargets))]
    pub targets: Vec<String>,
    /// Width in columns (default: the terminal's, and no wider than the image's own pixels).
    #[arg(long, value_name = "COLS", value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub width: Option<u16>,
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The batch file (.jsonl or .yaml; by its first character otherwise).
    pub file: PathBuf,
    /// Jobs at once (a 429 lowers it for a while).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=16))]
    pub concurrency: u16,
    /// Check every entry, count the jobs and estimate the cost; send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Skip entries whose job is done in the history (after a crash or a stop).
    #[arg(long)]
    pub resume: bool,
    /// Run even when the estimate would pass a budget.
    #[arg(long)]
    pub over_budget: bool,
    /// Send to models the provider has shut down.
    #[arg(long)]
    pub force_model: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct McpArgs {
    /// Print the configuration snippet CLIENT takes to start this server, and exit.
    #[arg(long, value_name = "CLIENT", value_enum)]
    pub print_config: Option<McpClient>,
}

/// The agents' clients `imgtui mcp --print-config` knows the configuration of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum McpClient {
    /// Claude Code (`claude mcp add`, or a project's `.mcp.json`).
    Claude,
    /// OpenAI's Codex CLI (`~/.codex/config.toml`).
    Codex,
    /// Cursor (`.cursor/mcp.json` or `~/.cursor/mcp.json`).
    Cursor,
    /// Gemini CLI (`~/.gemini/settings.json`).
    Gemini,
}

/// Job IDs from the history, for the shell's Tab.
fn job_ids() -> clap_complete::ArgValueCandidates {
    clap_complete::ArgValueCandidates::new(|| crate::completions::job_ids(""))
}

#[derive(Debug, Args)]
pub struct ModelsArgs {
    /// One JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Ask the provider now instead of using the list it gave in the last day.
    #[arg(long)]
    pub refresh: bool,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct HistoryArgs {
    #[command(subcommand)]
    pub action: Option<HistoryAction>,
    /// Only jobs whose prompt contains all these words.
    #[arg(long, short = 's')]
    pub search: Option<String>,
    /// Only jobs in this state: queued, running, done, failed, cancelled, interrupted.
    #[arg(long)]
    pub status: Option<String>,
    /// How many jobs, newest first (1 to 10000).
    #[arg(long, short = 'l', default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub limit: u32,
    /// One JSON array instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum HistoryAction {
    /// Everything about one job.
    #[command(after_help = examples::HISTORY_SHOW)]
    Show {
        #[arg(add = job_ids())]
        id: i64,
        /// One JSON object instead of text.
        #[arg(long)]
        json: bool,
        /// Print its images into the terminal below the details (see `imgtui show`).
        #[arg(long, conflicts_with = "json")]
        show: bool,
        /// Copy to the clipboard through the terminal (OSC 52, over SSH and tmux): its first
        /// image's path, its prompt, the command that repeats it, or its id.
        #[arg(long, value_name = "WHAT", value_enum)]
        copy: Option<CopyChoice>,
    },
    /// Run a job again with the same parameters (a new job).
    #[command(after_help = examples::HISTORY_RERUN)]
    Rerun {
        #[arg(add = job_ids())]
        id: i64,
        #[command(flatten)]
        output: OutputArgs,
        /// Send it even if the provider has shut its model down (gateways differ).
        #[arg(long)]
        force_model: bool,
        /// Send it even if its estimate would pass budget_daily_usd or budget_monthly_usd.
        #[arg(long)]
        over_budget: bool,
        /// Print the new images into the terminal (see `imgtui show`).
        #[arg(long, conflicts_with = "json")]
        show: bool,
    },
    /// Tokens used per day.
    #[command(after_help = examples::HISTORY_TOKENS)]
    Tokens {
        /// How many days (with jobs) to show.
        #[arg(long, default_value_t = 14)]
        days: usize,
        /// One JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// The tree of edits job ID belongs to: its root, every edit of an edit, branches in the
    /// order they were made.
    #[command(after_help = examples::HISTORY_TREE)]
    Tree {
        #[arg(add = job_ids())]
        id: i64,
        /// One JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// What jobs cost, by day, model or provider (jobs without a price counted apart).
    #[command(after_help = examples::HISTORY_COST)]
    Cost {
        /// The last N days, today included (local time).
        #[arg(long, default_value_t = 30)]
        days: u32,
        #[arg(long, value_enum, default_value_t = crate::store::spend::SpendBy::Day)]
        by: crate::store::spend::SpendBy,
        /// One JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// What to draw; `-` reads it from standard input.
    pub prompt: String,
    #[command(flatten)]
    pub image: ImageArgs,
    #[command(flatten)]
    pub params: ParamFlags<false>,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// What to change; `-` reads it from standard input.
    pub prompt: String,
    /// Input image; repeat for several (gpt-image models take up to 16).
    #[arg(long = "image", value_name = "FILE")]
    pub images: Vec<PathBuf>,
    /// PNG of the first image's size; fully transparent pixels mark where to edit.
    #[arg(long, value_name = "FILE")]
    pub mask: Option<PathBuf>,
    /// Marks over the first image that say what to change (gpt-image-2.6): a transparent PNG of
    /// its size, as `imgtui markup` or the painter's markup mode make it. Not with --mask.
    #[arg(long, value_name = "FILE")]
    pub markup: Option<PathBuf>,
    /// Outside the mask, keep the first image's pixels (the models repaint beyond the mask).
    /// The API's own image is kept too, as NAME-raw.EXT.
    #[arg(long, requires = "mask")]
    pub keep_unmasked: bool,
    #[command(flatten)]
    pub image: ImageArgs,
    #[command(flatten)]
    pub params: ParamFlags<true>,
}

/// The request's option parameters as flags: one per entry of the parameter table
/// (`api::params`) that has a flag and belongs to generations (`EDIT` false) or edits.
#[derive(Clone, Debug, Default)]
pub struct ParamFlags<const EDIT: bool> {
    /// The flags given, as the text typed: the table reads them (and names what is wrong).
    pub given: Vec<(crate::api::Param, String)>,
}

impl<const EDIT: bool> ParamFlags<EDIT> {
    fn defs() -> impl Iterator<Item = &'static crate::api::params::ParamDef> {
        use crate::api::params::Endpoints;
        crate::api::params::table().iter().filter(|d| {
            d.flag.is_some()
                && match d.endpoints {
                    Endpoints::Both => true,
                    Endpoints::Edit => EDIT,
                    Endpoints::Generate => !EDIT,
                }
        })
    }
}

impl<const EDIT: bool> clap::FromArgMatches for ParamFlags<EDIT> {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let given = Self::defs()
            .filter_map(|d| matches.get_one::<String>(d.param.api_name()).map(|value| (d.param, value.clone())))
            .collect();
        Ok(Self { given })
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl<const EDIT: bool> clap::Args for ParamFlags<EDIT> {
    fn augment_args(command: clap::Command) -> clap::Command {
        Self::defs().fold(command, |command, d| {
            let long = d.flag.unwrap_or_default();
            let value_name = match (d.kind, d.allowed) {
                (crate::api::params::Kind::Number, _) => "N",
                (_, crate::api::params::Allowed::Size) => "WxH",
                _ => "VALUE",
            };
            let mut arg = clap::Arg::new(d.param.api_name())
                .long(long)
                .help(d.help)
                .value_name(value_name)
                .help_heading("Request parameters")
                .action(clap::ArgAction::Set);
            if let Some(short) = d.short {
                arg = arg.short(short);
            }
            command.arg(arg)
        })
    }

    fn augment_args_for_update(command: clap::Command) -> clap::Command {
        Self::augment_args(command)
    }
}

/// Options shared by generate and edit.
#[derive(Debug, Args)]
pub struct ImageArgs {
    /// Model (default: default_model from the config, else the newest the provider serves;
    /// `imgtui models` lists them). A name imgtui does not know is sent with its family's rules.
    #[arg(long, short = 'm', add = clap_complete::ArgValueCandidates::new(crate::completions::models))]
    pub model: Option<String>,
    /// Send the model even if the provider has shut it down (gateways differ).
    #[arg(long)]
    pub force_model: bool,
    /// Check the request and print it with its estimated cost; send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Send it even if its estimate would pass budget_daily_usd or budget_monthly_usd.
    #[arg(long)]
    pub over_budget: bool,
    /// Print the images into the terminal once saved (see `imgtui show`).
    #[arg(long, conflicts_with = "json")]
    pub show: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// What `history show --copy` copies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CopyChoice {
    Path,
    Prompt,
    Command,
    Id,
}

/// Where results go and how they are reported.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Directory for the images (default: out_dir from the config, else DATA_DIR/images).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print one JSON object (paths, sizes, usage) instead of text.
    #[arg(long)]
    pub json: bool,
    /// When done, the terminal's notification (OSC 9, OSC 777 or kitty's OSC 99; the bell inside
    /// tmux, which flags the window).
    #[arg(long)]
    pub notify: bool,
}

#[derive(Debug, Args)]
pub struct ServeDemoArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
}

/// The demo server's simulated work per image: somewhere between `low` and `high`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DemoLatency {
    pub low: std::time::Duration,
    pub high: std::time::Duration,
}

/// Parses `N` or `MIN-MAX` milliseconds (clap reports the error, naming the flag).
pub fn parse_latency(text: &str) -> Result<DemoLatency, String> {
    let ms = |t: &str| t.trim().parse::<u64>().map(std::time::Duration::from_millis);
    let (low, high) = match text.split_once('-') {
        Some((low, high)) => (ms(low), ms(high)),
        None => (ms(text), ms(text)),
    };
    match (low, high) {
        (Ok(low), Ok(high)) if low <= high => Ok(DemoLatency { low, high }),
        (Ok(_), Ok(_)) => Err("MIN-MAX needs MIN at most MAX, e.g. 1000-3000".into()),
        _ => Err("expected N or MIN-MAX milliseconds, e.g. 0 or 1000-3000".into()),
    }
}

impl GlobalArgs {
    /// Where files go: `--config` and `--data-dir`, else the platform's folders.
    pub fn paths(&self) -> crate::config::Paths {
        crate::config::Paths::resolve(self.config.clone(), self.data_dir.clone())
    }

    /// What the global flags ask of the endpoint; `--provider demo` is `--demo`.
    pub fn endpoint_flags(&self) -> crate::config::endpoint::EndpointFlags {
        crate::config::endpoint::EndpointFlags {
            provider: self.provider.filter(|p| *p != Provider::Demo),
            base_url: self.base_url.clone(),
            demo: self.demo || self.provider == Some(Provider::Demo),
            timeout_secs: self.timeout,
            retries: self.retries,
        }
    }
}

/// The global flags each local command can use; its help hides the others (they are still
/// taken, and change nothing). Commands not named here use them all.
const LOCAL_COMMANDS: &[(&[&str], &[&str])] = &[
    (&["mask"], &[]),
    (&["markup"], &[]),
    (&["completions"], &[]),
    (&["man"], &[]),
    (&["keys"], &["config"]),
    (&["config"], &["config", "data_dir", "provider", "base_url"]),
    (&["config", "path"], &["config"]),
    (&["config", "init"], &["config"]),
    (&["config", "show"], &["config", "data_dir", "provider", "base_url"]),
    (&["show"], &["config", "data_dir", "graphics", "theme"]),
];

/// The command line as parsed and shown: `Cli`'s, with each local command's help showing only
/// the global flags it uses.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    let mut command = Cli::command();
    let globals: Vec<clap::Arg> = command.get_arguments().filter(|arg| arg.is_global_set()).cloned().collect();
    for (path, uses) in LOCAL_COMMANDS {
        // A subcommand that has an argument of a global's name is not given the global's
        // copy: this one, hidden, takes its place.
        let hide = |sub: clap::Command| {
            globals
                .iter()
                .filter(|arg| !uses.contains(&arg.get_id().as_str()))
                .fold(sub, |sub, arg| sub.arg(arg.clone().hide(true)))
        };
        command = match path {
            [name] => command.mut_subcommand(*name, hide),
            [name, inner] => command.mut_subcommand(*name, |sub| sub.mut_subcommand(*inner, hide)),
            _ => command,
        };
    }
    command
}

/// Parses the process's arguments with `command`; on a mistake, clap's message and exit 2.
pub fn parse() -> Cli {
    use clap::FromArgMatches;
    let matches = command().get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}
