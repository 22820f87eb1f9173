//! Seals a session into a cookie and opens it again, as two requests would:
//! `cargo run -p session-core --example seal-and-open`.
//!
//! Set `SESSION_SECRET` (see `keygen`) for a stable key; without it a random key is used.
#![forbid(unsafe_code)]

use session_core::{SessionConfig, SessionManager};

use std::process::ExitCode;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    tracing_subscriber::fmt().with_writer(std::io::stderr).with_ansi(ansi).init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let sessions = SessionManager::new(SessionConfig::from_env()?)?;
    println!("backend: {}", sessions.config().backend());

    // Request 1: a visitor without a cookie logs in.
    let session = sessions.start([]);
    session.insert("user", "ada").await?;
    session.flash("Welcome, ada").await?;
    let set_cookie = sessions.finish(&session).await?.ok_or("a new session sets a cookie")?;
    println!("request 1 -> Set-Cookie: {set_cookie}");

    // Request 2: the browser sends the cookie back; the handler reads.
    let cookie = set_cookie.as_str().split(';').next().unwrap_or_default();
    let session = sessions.start([cookie]);
    let user: Option<String> = session.get("user").await?;
    let flashes = session.take_flashes().await?;
    println!("request 2 <- user = {user:?}, flash = {flashes:?}");
    let set_cookie = sessions.finish(&session).await?;
    println!(
        "request 2 -> {}",
        set_cookie.map_or("no Set-Cookie".to_owned(), |c| format!("Set-Cookie: {c}"))
    );

    // Request 3: a tampered cookie is a fresh, empty session, never an error.
    let last = if cookie.ends_with('A') { "B" } else { "A" };
    let tampered = format!("{}{last}", &cookie[..cookie.len() - 1]);
    let session = sessions.start([tampered.as_str()]);
    println!("request 3 <- tampered cookie: empty session = {}", session.is_empty().await?);
    Ok(())
}
