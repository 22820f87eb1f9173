//! Server-side sessions in DynamoDB for session-core, in the table layout of Architect's
//! sessions: one item per session, keyed on `_idx` (String), expiring through TTL on `_ttl`.
//!
//! * [`DynamoStore`] is the [`SessionStore`](session_core::SessionStore): consistent reads,
//!   conditional writes (`_version`) so that no write silently overwrites another, `_ttl`
//!   checked on every read, and a timeout on every call.
//! * [`session_manager`] is what the adapters' `dynamodb` feature calls: a
//!   [`SessionManager`] for any configuration, with a [`DynamoStore`] from the environment when
//!   `SESSION_TABLE_NAME` names a table.
//! * [`DynamoStore::create_table`], and the `session-dynamo create-table` binary, make the
//!   table.
//!
//! An item:
//!
//! | attribute | type | holds |
//! |---|---|---|
//! | `_idx` | S | the session id (partition key) |
//! | `_ttl` | N | when the session expires, epoch seconds (the table's TTL attribute) |
//! | `_version` | N | bumped by every save; writes are conditional on it |
//! | `_created` | N | when the session began, epoch seconds (absolute lifetime) |
//! | `data` | M | the session object, JSON values as DynamoDB values |
#![forbid(unsafe_code)]

mod attribute;
mod error;
mod store;
mod table;
#[cfg(feature = "testkit")]
pub mod testkit;

use std::sync::Arc;

pub use aws_sdk_dynamodb;
use session_core::{Backend, ConfigError, SessionConfig, SessionManager};

pub use crate::store::{
    CREATED_ATTRIBUTE, DATA_ATTRIBUTE, DEFAULT_TIMEOUT, DynamoStore, ID_ATTRIBUTE, TTL_ATTRIBUTE,
    VERSION_ATTRIBUTE,
};
pub use crate::table::{CreateTableError, TableSetup};

/// Sessions as `config` says, DynamoDB included: for [`Backend::DynamoDb`] a [`DynamoStore`]
/// on that table, with a client from the standard AWS configuration chain (loaded on first
/// use) and the config's [store timeout](SessionConfig::store_timeout); any other backend as
/// [`SessionManager::new`].
///
/// ```
/// use session_core::{Backend, SessionConfig};
///
/// let config = SessionConfig::builder()
///     .backend(Backend::from_table_name(Some("my-app-sessions")))
///     .build()?;
/// let sessions = session_dynamo::session_manager(config)?;
/// assert!(sessions.store().is_some());
/// # Ok::<(), session_core::ConfigError>(())
/// ```
pub fn session_manager(config: SessionConfig) -> Result<SessionManager, ConfigError> {
    match config.backend() {
        Backend::DynamoDb { table } => {
            let store = DynamoStore::from_env(table.clone()).with_timeout(config.store_timeout());
            Ok(SessionManager::with_store(config, Arc::new(store)))
        }
        _ => SessionManager::new(config),
    }
}
