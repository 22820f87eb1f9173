//! Sessions for [axum](https://docs.rs/axum): add [`SessionLayer`] to the router and take
//! [`Session`] in any handler.
//!
//! ```
//! use axum::{Router, routing::post};
//! use session_axum::{Session, SessionLayer};
//!
//! async fn count(session: Session) -> Result<String, session_axum::Error> {
//!     let count: u64 = session.get("count").await?.unwrap_or(0) + 1;
//!     session.insert("count", count).await?;
//!     Ok(format!("{count} visits"))
//! }
//!
//! # fn main() -> Result<(), session_axum::ConfigError> {
//! // SESSION_SECRET, SESSION_TABLE_NAME and the other variables of session-core.
//! let layer = SessionLayer::from_env()?;
//! let app: Router = Router::new().route("/count", post(count)).layer(layer);
//! # Ok(())
//! # }
//! ```
//!
//! Everything a session does (sealing, stores, expiry, rotation) is session-core's; this
//! crate only carries the session through axum:
//!
//! * the layer reads the `Cookie` headers, puts a lazy [`Session`] into the request, and after
//!   the handler performs the store writes and adds the `Set-Cookie`, on every response path;
//! * after a server error (5xx) the handler's changes are dropped: nothing is written and no
//!   cookie is sent, so the session stays as the request found it;
//! * a session failure becomes [`Error`], answered 413, 409, 503 or 500 with one line of
//!   text and no internal details.
#![forbid(unsafe_code)]

mod error;
mod extract;
mod layer;

pub use session_core::{self, ConfigError, SessionConfig, SessionError, SessionManager};

pub use crate::error::Error;
pub use crate::extract::{Session, TypedSession};
pub use crate::layer::{SessionLayer, SessionService};

/// The README's examples, compiled and run as doc tests (here, where every crate they use is
/// a dependency).
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
