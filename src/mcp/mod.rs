//! `imgtui mcp`: a Model Context Protocol server on stdio (the official Rust SDK, `rmcp`), so a
//! coding agent generates and edits images through the same engine, history, rules and
//! budgets as the person beside it. Standard output is the protocol: nothing else is printed
//! there; notices go to standard error.

mod clients;
mod job;
mod request;
mod schema;

use std::process::ExitCode;
use std::sync::Arc;

use rmcp::model::{
    CallToolRequestParams, CallToolResult, ContentBlock, Implementation, ListToolsResult, PaginatedRequestParams,
    ServerCapabilities, ServerInfo,
};
use rmcp::service::{RequestContext, RoleServer};
use rmcp::{ErrorData, ServerHandler, ServiceExt};
use serde_json::{Map, Value, json};

use crate::catalog::fetch::Fetch;
use crate::cli::{GlobalArgs, McpArgs};
use crate::engine::{Engine, Mode};
use crate::store::JobQuery;
use crate::text::escape_controls;

use request::AllowedDirs;

/// What every call shares: the engine (client, history, prices, catalog), the folders input
/// files may come from, the agents' budgets and the slots jobs run in.
pub struct Server {
    engine: Arc<Engine>,
    allowed: AllowedDirs,
    agent_budgets: crate::cost::Budgets,
    slots: Arc<tokio::sync::Semaphore>,
    /// The jobs running: waited for before imgtui leaves.
    tracker: tokio_util::task::TaskTracker,
    /// Cancelled when imgtui is stopped by a signal: every job ends, recording its end.
    stop: tokio_util::sync::CancellationToken,
}

pub async fn run(global: &GlobalArgs, args: McpArgs) -> ExitCode {
    if let Some(client) = args.print_config {
        let (snippet, where_) = clients::snippet(client, &clients::server_args(global));
        eprintln!("imgtui: {where_}");
        crate::outln!("{snippet}");
        return ExitCode::SUCCESS;
    }
    let mut engine = match Engine::start(global, Mode::Headless).await {
        Ok(engine) => engine,
        Err(e) => {
            eprintln!("imgtui mcp: {}", escape_controls(&e.to_string()));
            return ExitCode::from(e.exit_code());
        }
    };
    for notice in &engine.notices {
        eprintln!("imgtui mcp: {}", escape_controls(notice));
    }
    engine.load_catalog(Fetch::IfStale).await;
    let agent_budgets = match engine.config.agent_budgets(&engine.paths.config_file) {
        Ok(budgets) => budgets,
        Err(e) => {
            eprintln!("imgtui mcp: {}", escape_controls(&e.to_string()));
            return ExitCode::from(2);
        }
    };
    let working = std::env::current_dir().ok();
    let dirs = working.into_iter().chain([engine.paths.data_dir.clone()]).chain(engine.config.mcp.allowed_dirs.clone());
    let concurrency = engine.config.concurrency.unwrap_or(3).max(1);
    let (tracker, stop) = (tokio_util::task::TaskTracker::new(), tokio_util::sync::CancellationToken::new());
    let server = Server {
        allowed: AllowedDirs::new(dirs),
        agent_budgets,
        slots: Arc::new(tokio::sync::Semaphore::new(concurrency)),
        engine: Arc::new(engine),
        tracker: tracker.clone(),
        stop: stop.clone(),
    };
    let mut stops = crate::signals::Stops::new();
    let served = tokio::select! {
        served = async {
            let running = server.serve(rmcp::transport::stdio()).await.map_err(|e| format!("the client did not start the session: {e}"))?;
            running.waiting().await.map(|_| ()).map_err(|e| e.to_string())
        } => served.err().map(Err),
        number = stops.next() => Some(Ok(number)),
    };
    // A signal stops every job (each records its end, what arrived is written); the client
    // gone (stdin closed), jobs already sent finish and record what was paid for.
    if let Some(Ok(_)) = served {
        stop.cancel();
    }
    tracker.close();
    tracker.wait().await;
    match served {
        None => ExitCode::SUCCESS,
        Some(Ok(number)) => ExitCode::from(crate::signals::exit_code(number)),
        Some(Err(why)) => {
            eprintln!("imgtui mcp: {}", escape_controls(&why));
            ExitCode::from(1)
        }
    }
}

impl Server {
    fn tools(&self) -> Vec<rmcp::model::Tool> {
        let offered = |edits: bool| self.engine.catalog.offered(edits);
        let specs = |edits: bool| {
            offered(edits).into_iter().map(|m| self.engine.catalog.spec(&m.name).clone()).collect::<Vec<_>>()
        };
        let (generators, editors) = (specs(false), specs(true));
        schema::tools(&generators.iter().collect::<Vec<_>>(), &editors.iter().collect::<Vec<_>>())
    }

    fn default_model(&self) -> String {
        self.engine.default_model().0
    }

    /// `mcp:CLIENT`, the client's name as it gave it (escaped, at most 64 characters).
    fn origin(context: &RequestContext<RoleServer>) -> String {
        let name = context.peer.peer_info().map(|info| info.client_info.name.clone()).unwrap_or_default();
        let name: String = escape_controls(name.trim()).chars().take(64).collect();
        format!("mcp:{}", if name.is_empty() { "unnamed" } else { &name })
    }

    async fn estimate(&self, args: &Map<String, Value>) -> CallToolResult {
        let request = match request::request_of(args, &self.default_model(), &self.allowed, None) {
            Ok(request) => request,
            Err(errors) => return job::refusal(&errors),
        };
        let problems = job::problems(self, &request).await.err().unwrap_or_default();
        let engine = &self.engine;
        let history = crate::headless::checks::output_history(engine).await;
        let client = &engine.client;
        let note =
            crate::cost::for_request(&request, &engine.prices, client.config().provider, client.models(), &history);
        let person = crate::headless::checks::budget_refusal(engine, &request).await;
        let agents = match self.agent_budgets.any() {
            true => {
                let estimate = match &note {
                    crate::cost::PriceNote::Estimate(e) => Some(e.for_budgets()),
                    _ => None,
                };
                let spent = engine.store.run(|s| s.agents_spent()).await.ok();
                spent
                    .and_then(|spent| self.agent_budgets.refusal(spent, estimate))
                    .map(|why| format!("the agents' budget ([mcp] in the config): {why}"))
            }
            false => None,
        };
        let refusal = agents.or(person);
        let body = json!({
            "request": request, "estimate": note.describe(), "would_be_refused": problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "over_budget": refusal,
        });
        CallToolResult::success(vec![ContentBlock::text(body.to_string())])
    }

    fn models(&self) -> CallToolResult {
        let catalog = &self.engine.catalog;
        let models: Vec<Value> = catalog
            .models()
            .iter()
            .map(|info| {
                json!({
                    "name": info.name, "state": info.state.name(), "shutdown_date": info.state.date(),
                    "replacement": info.replacement, "edits": catalog.spec(&info.name).can_edit(),
                    "rules": catalog.spec(&info.name),
                })
            })
            .collect();
        let body = json!({ "provider": catalog.provider, "today": catalog.today, "default_model": self.default_model(), "models": models });
        CallToolResult::success(vec![ContentBlock::text(body.to_string())])
    }

    async fn search(&self, args: &Map<String, Value>) -> CallToolResult {
        let words = args.get("query").and_then(Value::as_str).map(str::trim).filter(|q| !q.is_empty());
        let limit = args.get("limit").and_then(Value::as_u64).unwrap_or(20).clamp(1, 100) as usize;
        let query = JobQuery {
            search: words.map(String::from),
            limit,
            short_words_within: Some(50_000),
            ..JobQuery::default()
        };
        match self.engine.store.run(move |s| s.page(&query)).await {
            Ok(rows) => CallToolResult::success(vec![ContentBlock::text(json!({ "jobs": rows }).to_string())]),
            Err(e) => CallToolResult::error(vec![ContentBlock::text(escape_controls(&e.to_string()))]),
        }
    }

    async fn get_job(&self, args: &Map<String, Value>) -> CallToolResult {
        let Some(id) = args.get("id").and_then(Value::as_i64).filter(|id| *id > 0) else {
            return job::refusal(&[crate::api::FieldError::said(
                crate::api::Param::Argument,
                "id: a job id, 1 or more",
            )]);
        };
        match self.engine.store.run(move |s| s.job(id)).await {
            Ok(Some(job)) => CallToolResult::success(vec![ContentBlock::text(json!(job).to_string())]),
            Ok(None) => CallToolResult::error(vec![ContentBlock::text(format!("job {id} is not in the history"))]),
            Err(e) => CallToolResult::error(vec![ContentBlock::text(escape_controls(&e.to_string()))]),
        }
    }
}

impl ServerHandler for Server {
    fn get_info(&self) -> ServerInfo {
        ServerInfo::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("imgtui", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "imgtui makes and edits images through the OpenAI Images API, in the same history, budgets and rules \
                 as the person using imgtui beside you. Call models or estimate first when unsure: every field's \
                 allowed values are in the tools' schemas, by model. Input files must be under the working \
                 directory or imgtui's data dir.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.tools()))
    }

    fn get_tool(&self, name: &str) -> Option<rmcp::model::Tool> {
        self.tools().into_iter().find(|t| t.name == name)
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        // Whatever a tool answers (paths, model names, a server's words), the key is not in it.
        self.call(request, context).await.map(without_secrets)
    }
}

/// `result` with the secrets this process knows left out of its text (see `text::keep_secret`).
fn without_secrets(mut result: CallToolResult) -> CallToolResult {
    for block in &mut result.content {
        if let ContentBlock::Text(text) = block {
            text.text = crate::text::without_secrets(&text.text);
        }
    }
    result
}

impl Server {
    async fn call(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let args = request.arguments.unwrap_or_default();
        let edit = match request.name.as_ref() {
            schema::GENERATE => Some(false),
            schema::EDIT => Some(true),
            schema::ESTIMATE => return Ok(self.estimate(&args).await),
            schema::MODELS => return Ok(self.models()),
            schema::SEARCH_HISTORY => return Ok(self.search(&args).await),
            schema::GET_JOB => return Ok(self.get_job(&args).await),
            other => {
                return Err(ErrorData::invalid_params(format!("no tool named {}", escape_controls(other)), None));
            }
        };
        let mut built = match request::request_of(&args, &self.default_model(), &self.allowed, edit) {
            Ok(built) => built,
            Err(errors) => return Ok(job::refusal(&errors)),
        };
        // What no model takes (an edit without an image) is refused by the checks `run` makes.
        built.complete(self.engine.client.models());
        let token = context.meta.get_progress_token();
        let progress = job::Progressor::new(context.peer.clone(), token);
        Ok(job::run(self, built, Self::origin(&context), progress, context.ct.clone()).await)
    }
}
