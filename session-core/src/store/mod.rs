//! Server-side session storage: the [`SessionStore`] trait every backend implements, its
//! [`Record`], its errors, and the in-process [`MemoryStore`].

mod memory;

use std::error::Error as StdError;
use std::sync::Arc;

use async_trait::async_trait;
use time::OffsetDateTime;

pub use self::memory::MemoryStore;
use crate::data::SessionData;
use crate::id::SessionId;

/// A boxed error from a store's backend, kept as the source of a [`StoreError`].
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// One stored session.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Record {
    /// The session object.
    pub data: SessionData,
    /// When the session began; the absolute lifetime counts from here.
    pub created_at: OffsetDateTime,
    /// When the record stops being served. Stores treat a record past this as absent, even
    /// if their backend has not deleted it yet.
    pub expires_at: OffsetDateTime,
    /// Bumped by every [`SessionStore::save`]; a save names the version it loaded, so that a
    /// write based on stale data is refused instead of silently overwriting a newer one.
    pub version: u64,
}

impl Record {
    /// A record; stores use this to rebuild what they read.
    pub fn new(
        data: SessionData,
        created_at: OffsetDateTime,
        expires_at: OffsetDateTime,
        version: u64,
    ) -> Self {
        Self { data, created_at, expires_at, version }
    }
}

/// A store operation failed.
///
/// Adapters answer [`StoreError::is_unavailable`] with 503 and [`StoreError::Conflict`] with
/// 409; the source of a backend failure is kept for logs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The record changed (or was deleted) after it was loaded: saving would have overwritten
    /// someone else's change.
    #[error("the session was changed by another request")]
    Conflict,
    /// `create` found a record with that id already there.
    #[error("a session with this id already exists")]
    IdCollision,
    /// The backend could not be reached or did not answer in time; worth retrying later.
    #[error("the session store is unavailable")]
    Unavailable(#[source] BoxError),
    /// A stored record could not be decoded, or a session could not be encoded for storage.
    #[error("a session record could not be encoded or decoded")]
    Codec(#[source] BoxError),
    /// Any other backend failure (permissions, a missing table, ...).
    #[error("the session store failed")]
    Backend(#[source] BoxError),
}

impl StoreError {
    /// An unreachable backend, keeping its error as the source.
    pub fn unavailable(source: impl Into<BoxError>) -> Self {
        Self::Unavailable(source.into())
    }

    /// Any other backend failure, keeping its error as the source.
    pub fn backend(source: impl Into<BoxError>) -> Self {
        Self::Backend(source.into())
    }

    /// Whether the store could not be reached: a 503, and worth retrying.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, Self::Unavailable(_))
    }
}

/// Where server-side sessions live.
///
/// Every implementation must pass the same acceptance suite (see this crate's
/// `tests/store_acceptance.rs`): expiry enforced on read, optimistic concurrency through
/// [`Record::version`], and ids never reused by `create`.
#[async_trait]
pub trait SessionStore: Send + Sync + std::fmt::Debug + 'static {
    /// The live record with this id; `None` when absent or past its `expires_at`.
    async fn load(&self, id: &SessionId) -> Result<Option<Record>, StoreError>;

    /// Stores a new record with `record.version`. Fails with [`StoreError::IdCollision`] when
    /// the id is taken, never overwriting.
    async fn create(&self, id: &SessionId, record: &Record) -> Result<(), StoreError>;

    /// Replaces the record if its stored version still equals `record.version`, and returns
    /// the new version. Fails with [`StoreError::Conflict`] when the stored version differs
    /// or the record is gone.
    async fn save(&self, id: &SessionId, record: &Record) -> Result<u64, StoreError>;

    /// Moves an existing record's expiry without touching its data or version (the rolling
    /// refresh). Does nothing when the record is gone.
    async fn touch(&self, id: &SessionId, expires_at: OffsetDateTime) -> Result<(), StoreError>;

    /// Deletes the record.
    ///
    /// With `expected_version: None` the delete is unconditional and an absent record is not an
    /// error (log-out). With `Some(version)` it fails with [`StoreError::Conflict`] unless the
    /// stored version is exactly that one, so that regenerating an id cannot drop a change a
    /// concurrent request made to the old record.
    async fn delete(&self, id: &SessionId, expected_version: Option<u64>)
    -> Result<(), StoreError>;
}

/// A shared store is a store, so that one store can serve several managers (and tests can keep
/// a handle on the store an app uses).
#[async_trait]
impl<S: SessionStore + ?Sized> SessionStore for Arc<S> {
    async fn load(&self, id: &SessionId) -> Result<Option<Record>, StoreError> {
        (**self).load(id).await
    }

    async fn create(&self, id: &SessionId, record: &Record) -> Result<(), StoreError> {
        (**self).create(id, record).await
    }

    async fn save(&self, id: &SessionId, record: &Record) -> Result<u64, StoreError> {
        (**self).save(id, record).await
    }

    async fn touch(&self, id: &SessionId, expires_at: OffsetDateTime) -> Result<(), StoreError> {
        (**self).touch(id, expires_at).await
    }

    async fn delete(
        &self,
        id: &SessionId,
        expected_version: Option<u64>,
    ) -> Result<(), StoreError> {
        (**self).delete(id, expected_version).await
    }
}
