//! `imgtui serve-demo`: the demo server alone, for any OpenAI client to use.

use std::process::ExitCode;

use crate::cli::{GlobalArgs, ServeDemoArgs};
use crate::config::Config;
use crate::demo::{DemoConfig, DemoServer};

pub async fn run(global: &GlobalArgs, args: ServeDemoArgs) -> ExitCode {
    let paths = global.paths();
    let models = match Config::load_with_models(&paths, global.config.is_some()) {
        Ok((_, models)) => models,
        Err(e) => {
            eprintln!("imgtui: {e}");
            return ExitCode::from(2);
        }
    };
    let mut config = DemoConfig { port: args.port, models, ..DemoConfig::default() };
    if let Some(latency) = global.demo_latency_ms {
        config.latency_per_image = (latency.low, latency.high);
    }
    let server = match DemoServer::start(config).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("imgtui: cannot start the demo server on 127.0.0.1:{}: {e}", args.port);
            return ExitCode::from(1);
        }
    };
    println!("imgtui demo server: {}  (any key works; Ctrl-C stops it)", server.base_url());
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
    server.stop().await;
    ExitCode::SUCCESS
}
