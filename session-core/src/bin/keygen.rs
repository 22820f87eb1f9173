//! Prints a fresh session secret: `export SESSION_SECRET="$(cargo run -q -p session-core --bin keygen)"`.
#![forbid(unsafe_code)]

use std::process::ExitCode;

fn main() -> ExitCode {
    match session_core::generate_secret() {
        Ok(secret) => {
            println!("{secret}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("keygen: {error}");
            ExitCode::FAILURE
        }
    }
}
