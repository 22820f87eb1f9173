//! The demo shop on axum: `cargo run -p session-axum --example axum-demo`, then open
//! <http://127.0.0.1:3000>. The contract it serves is `docs/demo-contract.md`; configuration
//! comes from the environment (`PORT`, `SESSION_SECRET`, `SESSION_TABLE_NAME`, …).

mod app;

use std::io::IsTerminal;
use std::process::ExitCode;

use session_axum::SessionLayer;
use tokio::net::TcpListener;

#[tokio::main]
async fn main() -> ExitCode {
    let ansi = std::io::stderr().is_terminal();
    tracing_subscriber::fmt().with_writer(std::io::stderr).with_ansi(ansi).init();
    match serve().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("axum-demo: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn serve() -> Result<(), Box<dyn std::error::Error>> {
    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port.parse().map_err(|_| format!("PORT={port:?} is not a port number"))?,
        Err(_) => 3000,
    };
    let sessions = SessionLayer::from_env()?;
    let backend = sessions.manager().config().backend().clone();
    let listener = TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    println!("axum-demo listening on http://127.0.0.1:{port} with sessions in {backend}");
    axum::serve(listener, app::router(sessions)).with_graceful_shutdown(shutdown()).await?;
    println!("axum-demo stopped");
    Ok(())
}

/// Ctrl-C or SIGTERM.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
