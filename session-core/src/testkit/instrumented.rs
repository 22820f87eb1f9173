//! A store wrapper that counts calls and fails on demand.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::id::SessionId;
use crate::store::{Record, SessionStore, StoreError};

/// How many times each store operation was called.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoreCalls {
    /// `load` calls.
    pub loads: usize,
    /// `create` calls.
    pub creates: usize,
    /// `save` calls.
    pub saves: usize,
    /// `touch` calls.
    pub touches: usize,
    /// `delete` calls.
    pub deletes: usize,
}

impl StoreCalls {
    /// Every call that writes: create, save, touch and delete.
    pub fn writes(&self) -> usize {
        self.creates + self.saves + self.touches + self.deletes
    }
}

/// Wraps a store, counting every call, and answering [`StoreError::Unavailable`] while
/// [`set_unavailable`](Self::set_unavailable) is on (as a store whose backend is down would).
#[derive(Debug, Clone)]
pub struct InstrumentedStore<S> {
    inner: S,
    counters: Arc<Counters>,
}

#[derive(Debug, Default)]
struct Counters {
    loads: AtomicUsize,
    creates: AtomicUsize,
    saves: AtomicUsize,
    touches: AtomicUsize,
    deletes: AtomicUsize,
    unavailable: AtomicBool,
}

impl<S: SessionStore> InstrumentedStore<S> {
    /// Wraps `inner`.
    pub fn new(inner: S) -> Self {
        Self { inner, counters: Arc::default() }
    }

    /// The wrapped store.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// The calls so far.
    pub fn calls(&self) -> StoreCalls {
        let c = &self.counters;
        StoreCalls {
            loads: c.loads.load(Ordering::SeqCst),
            creates: c.creates.load(Ordering::SeqCst),
            saves: c.saves.load(Ordering::SeqCst),
            touches: c.touches.load(Ordering::SeqCst),
            deletes: c.deletes.load(Ordering::SeqCst),
        }
    }

    /// Makes every later call fail as unavailable (`true`) or work again (`false`).
    pub fn set_unavailable(&self, unavailable: bool) {
        self.counters.unavailable.store(unavailable, Ordering::SeqCst);
    }

    /// Counts the call and yields once to the runtime first, as a networked store would, so
    /// that concurrent requests in a test interleave at every store call.
    async fn enter(&self, counter: &AtomicUsize) -> Result<(), StoreError> {
        tokio::task::yield_now().await;
        counter.fetch_add(1, Ordering::SeqCst);
        if self.counters.unavailable.load(Ordering::SeqCst) {
            return Err(StoreError::unavailable("the instrumented store is switched off"));
        }
        Ok(())
    }
}

#[async_trait]
impl<S: SessionStore> SessionStore for InstrumentedStore<S> {
    async fn load(&self, id: &SessionId) -> Result<Option<Record>, StoreError> {
        self.enter(&self.counters.loads).await?;
        self.inner.load(id).await
    }

    async fn create(&self, id: &SessionId, record: &Record) -> Result<(), StoreError> {
        self.enter(&self.counters.creates).await?;
        self.inner.create(id, record).await
    }

    async fn save(&self, id: &SessionId, record: &Record) -> Result<u64, StoreError> {
        self.enter(&self.counters.saves).await?;
        self.inner.save(id, record).await
    }

    async fn touch(&self, id: &SessionId, expires_at: OffsetDateTime) -> Result<(), StoreError> {
        self.enter(&self.counters.touches).await?;
        self.inner.touch(id, expires_at).await
    }

    async fn delete(
        &self,
        id: &SessionId,
        expected_version: Option<u64>,
    ) -> Result<(), StoreError> {
        self.enter(&self.counters.deletes).await?;
        self.inner.delete(id, expected_version).await
    }
}
