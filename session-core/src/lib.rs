//! Framework-agnostic web sessions, modelled on Architect's: sealed-cookie sessions by
//! default, server-side stores by choice, key rotation, and a request lifecycle that the
//! framework adapters (`session-axum`, `session-actix`, `session-rocket`) drive.
//!
//! * [`SessionConfig`] configures from code or from the environment.
//! * [`SessionManager`] turns a request's `Cookie` headers into a lazy [`Session`]
//!   ([`start`](SessionManager::start)) and the session back into at most one `Set-Cookie`
//!   and the store writes ([`finish`](SessionManager::finish)).
//! * [`SessionStore`] is what a server-side backend implements; [`MemoryStore`] is the
//!   in-process one.
//! * [`Keyring`] holds the secrets; the first seals, all open.
//!
//! A cookie that is malformed, tampered with, sealed with an unknown key, expired, or names a
//! record that no longer exists is never an error: it is a fresh, empty session.
#![forbid(unsafe_code)]

mod config;
mod data;
mod error;
mod expiry;
mod id;
mod lifecycle;
mod sealed_cookie;
mod secure;
mod session;
pub mod store;
#[cfg(feature = "testkit")]
pub mod testkit;

pub use crate::config::{
    Backend, ConfigError, DEFAULT_COOKIE_NAME, DEFAULT_STORE_TIMEOUT, SameSite, SessionConfig,
    SessionConfigBuilder,
};
pub use crate::data::{FLASH_KEY, SessionData};
pub use crate::error::SessionError;
pub use crate::expiry::{Clock, Expiry, SystemClock};
pub use crate::id::SessionId;
pub use crate::lifecycle::{MAX_COOKIE_SIZE, SessionManager, SetCookie};
pub use crate::secure::keyring::{Key, KeyError, KeyId, Keyring, MIN_SECRET_LEN, generate_secret};
pub use crate::session::Session;
pub use crate::store::{MemoryStore, Record, SessionStore, StoreError};
