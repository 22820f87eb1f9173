//! The in-process store: for one process, development, and tests.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;
use time::OffsetDateTime;

use super::{Record, SessionStore, StoreError};
use crate::expiry::{Clock, SystemClock};
use crate::id::SessionId;

/// How many expired candidates one operation examines: cleanup costs a bounded amount per
/// request instead of an occasional scan of every record.
const SWEEP_BATCH: usize = 8;

/// Sessions in this process's memory, lost on restart and not shared between processes.
///
/// Expired records are never served, and are removed a few at a time as the store is used.
/// Clones share the same records.
#[derive(Debug, Clone)]
pub struct MemoryStore {
    inner: Arc<Mutex<Inner>>,
    clock: Arc<dyn Clock>,
}

#[derive(Debug, Default)]
struct Inner {
    records: HashMap<String, Record>,
    /// Expiry times, soonest first. An entry may be stale (its record was refreshed or
    /// deleted since); the sweep checks the record itself before removing anything.
    expiries: BinaryHeap<Reverse<(OffsetDateTime, String)>>,
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryStore {
    /// An empty store on the system clock.
    pub fn new() -> Self {
        Self::with_clock(Arc::new(SystemClock))
    }

    /// An empty store that reads the time from `clock` (for tests of expiry).
    pub fn with_clock(clock: Arc<dyn Clock>) -> Self {
        Self { inner: Arc::default(), clock }
    }

    /// How many records are held, including expired ones not yet swept.
    pub fn len(&self) -> usize {
        self.lock().records.len()
    }

    /// Whether the store holds no record.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Removes every expired record now.
    pub fn purge_expired(&self) {
        let now = self.clock.now();
        let mut inner = self.lock();
        inner.records.retain(|_, r| r.expires_at > now);
        inner.expiries.retain(|Reverse((at, _))| *at > now);
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic elsewhere while holding the lock leaves the map consistent (every
        // operation is a single insert or remove), so a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Locks, after removing up to [`SWEEP_BATCH`] expired records.
    fn lock_and_sweep(&self, now: OffsetDateTime) -> MutexGuard<'_, Inner> {
        let mut inner = self.lock();
        for _ in 0..SWEEP_BATCH {
            match inner.expiries.peek() {
                Some(Reverse((at, _))) if *at <= now => {}
                _ => break,
            }
            if let Some(Reverse((_, id))) = inner.expiries.pop()
                && inner.records.get(&id).is_some_and(|r| r.expires_at <= now)
            {
                inner.records.remove(&id);
            }
        }
        inner
    }
}

impl Inner {
    fn put(&mut self, id: &SessionId, record: Record) {
        self.expiries.push(Reverse((record.expires_at, id.as_str().to_owned())));
        self.records.insert(id.as_str().to_owned(), record);
    }

    fn live(&self, id: &SessionId, now: OffsetDateTime) -> Option<&Record> {
        self.records.get(id.as_str()).filter(|r| r.expires_at > now)
    }
}

#[async_trait]
impl SessionStore for MemoryStore {
    async fn load(&self, id: &SessionId) -> Result<Option<Record>, StoreError> {
        let now = self.clock.now();
        Ok(self.lock_and_sweep(now).live(id, now).cloned())
    }

    async fn create(&self, id: &SessionId, record: &Record) -> Result<(), StoreError> {
        let now = self.clock.now();
        let mut inner = self.lock_and_sweep(now);
        // An expired record no longer holds its id.
        if inner.live(id, now).is_some() {
            return Err(StoreError::IdCollision);
        }
        inner.put(id, record.clone());
        Ok(())
    }

    async fn save(&self, id: &SessionId, record: &Record) -> Result<u64, StoreError> {
        let now = self.clock.now();
        let mut inner = self.lock_and_sweep(now);
        match inner.live(id, now) {
            Some(stored) if stored.version == record.version => {}
            _ => return Err(StoreError::Conflict),
        }
        let version = record.version + 1;
        let mut saved = record.clone();
        saved.version = version;
        inner.put(id, saved);
        Ok(version)
    }

    async fn touch(&self, id: &SessionId, expires_at: OffsetDateTime) -> Result<(), StoreError> {
        let now = self.clock.now();
        let mut inner = self.lock_and_sweep(now);
        if let Some(mut record) = inner.live(id, now).cloned() {
            record.expires_at = expires_at;
            inner.put(id, record);
        }
        Ok(())
    }

    async fn delete(
        &self,
        id: &SessionId,
        expected_version: Option<u64>,
    ) -> Result<(), StoreError> {
        let now = self.clock.now();
        let mut inner = self.lock_and_sweep(now);
        if let Some(expected) = expected_version
            && inner.live(id, now).is_none_or(|r| r.version != expected)
        {
            return Err(StoreError::Conflict);
        }
        inner.records.remove(id.as_str());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use time::macros::datetime;

    use super::*;
    use crate::data::SessionData;
    use crate::testkit::{ManualClock, block_on};

    const START: OffsetDateTime = datetime!(2026-01-01 00:00 UTC);

    /// A store on a manual clock holding 20 records that expire a minute from the start.
    fn store_of_twenty() -> (MemoryStore, Arc<ManualClock>, Record) {
        let clock = Arc::new(ManualClock::new(START));
        let store = MemoryStore::with_clock(clock.clone());
        let record = Record::new(SessionData::new(), START, START + time::Duration::minutes(1), 0);
        block_on(async {
            for _ in 0..20 {
                store.create(&SessionId::generate(), &record).await.unwrap();
            }
        });
        (store, clock, record)
    }

    #[test]
    fn expired_records_are_swept_a_few_at_a_time() {
        let (store, clock, record) = store_of_twenty();
        let live = SessionId::generate();
        block_on(async {
            let mut long_lived = record.clone();
            long_lived.expires_at = START + time::Duration::days(1);
            store.create(&live, &long_lived).await.unwrap();
            assert_eq!(store.len(), 21);

            clock.advance(Duration::from_secs(120));
            store.load(&live).await.unwrap();
            assert_eq!(store.len(), 21 - SWEEP_BATCH, "one operation sweeps a bounded batch");
            for _ in 0..3 {
                store.load(&live).await.unwrap();
            }
            assert_eq!(store.len(), 1, "the live record stays");
            assert!(store.load(&live).await.unwrap().is_some());
        });
    }

    #[test]
    fn purge_removes_every_expired_record_at_once() {
        let (store, clock, _) = store_of_twenty();
        clock.advance(Duration::from_secs(60));
        store.purge_expired();
        assert!(store.is_empty());
    }
}
