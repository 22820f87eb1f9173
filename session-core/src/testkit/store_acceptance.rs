//! The acceptance suite every [`SessionStore`] must pass; run it with
//! [`store_acceptance_tests!`](crate::store_acceptance_tests).
//!
//! Each check uses fresh random ids, so a store that outlives one test (a shared DynamoDB
//! table) serves every check.

use time::{Duration, OffsetDateTime};

use crate::data::SessionData;
use crate::expiry::whole_seconds;
use crate::id::SessionId;
use crate::store::{Record, SessionStore, StoreError};

fn now() -> OffsetDateTime {
    whole_seconds(OffsetDateTime::now_utc())
}

/// A record with nested, non-ASCII data that expires in an hour.
fn record() -> Record {
    let data = SessionData::from_json(
        r#"{"cart":[{"item":"äpfel","qty":2}],"count":3,"flag":true,"user":"ada","none":null}"#,
    )
    .unwrap_or_default();
    Record::new(data, now() - Duration::minutes(5), now() + Duration::hours(1), 0)
}

fn with_count(mut record: Record, count: i64) -> Record {
    let _ = record.data.insert("count", &count);
    record
}

async fn must_load(store: &dyn SessionStore, id: &SessionId) -> Record {
    match store.load(id).await {
        Ok(Some(record)) => record,
        other => panic!("expected a record for {id:?}, got {other:?}"),
    }
}

/// `load` of an id never created is `None`.
pub async fn unknown_id_loads_nothing(store: &dyn SessionStore) {
    assert_eq!(store.load(&SessionId::generate()).await.ok(), Some(None));
}

/// What `create` stores, `load` returns: data, timestamps (to the second) and version.
pub async fn created_record_round_trips(store: &dyn SessionStore) {
    let id = SessionId::generate();
    let record = record();
    store.create(&id, &record).await.expect("create");
    let loaded = must_load(store, &id).await;
    assert_eq!(loaded.data, record.data, "data");
    assert_eq!(loaded.data.get::<String>("user").ok().flatten().as_deref(), Some("ada"));
    assert_eq!(loaded.created_at, record.created_at, "created_at");
    assert_eq!(loaded.expires_at, record.expires_at, "expires_at");
    assert_eq!(loaded.version, record.version, "version");
}

/// `create` on a taken id fails with `IdCollision` and leaves the record alone.
pub async fn create_never_overwrites(store: &dyn SessionStore) {
    let id = SessionId::generate();
    store.create(&id, &record()).await.expect("create");
    let other = with_count(record(), 99);
    assert!(matches!(store.create(&id, &other).await, Err(StoreError::IdCollision)));
    let loaded = must_load(store, &id).await;
    assert_eq!(loaded.data.get::<i64>("count").ok().flatten(), Some(3));
}

/// `save` with the loaded version stores the change and returns a new version.
pub async fn save_bumps_the_version(store: &dyn SessionStore) {
    let id = SessionId::generate();
    store.create(&id, &record()).await.expect("create");
    let loaded = must_load(store, &id).await;
    let version = store.save(&id, &with_count(loaded.clone(), 4)).await.expect("save");
    assert_ne!(version, loaded.version);
    let reloaded = must_load(store, &id).await;
    assert_eq!(reloaded.version, version);
    assert_eq!(reloaded.data.get::<i64>("count").ok().flatten(), Some(4));
}

/// Two saves based on the same version: the second is a `Conflict`, and the first one's
/// change survives.
pub async fn stale_save_is_a_conflict(store: &dyn SessionStore) {
    let id = SessionId::generate();
    store.create(&id, &record()).await.expect("create");
    let a = must_load(store, &id).await;
    let b = a.clone();
    store.save(&id, &with_count(a, 10)).await.expect("first save");
    assert!(matches!(store.save(&id, &with_count(b, 20)).await, Err(StoreError::Conflict)));
    let stored = must_load(store, &id).await;
    assert_eq!(stored.data.get::<i64>("count").ok().flatten(), Some(10));
}

/// `save` of a record that is gone is a `Conflict`, and does not bring it back.
pub async fn save_of_a_missing_record_is_a_conflict(store: &dyn SessionStore) {
    let id = SessionId::generate();
    assert!(matches!(store.save(&id, &record()).await, Err(StoreError::Conflict)));
    assert_eq!(store.load(&id).await.ok(), Some(None));
}

/// A record past `expires_at` is absent for `load`, `save` and `touch`, and its id can be
/// created again, even if the backend has not deleted it yet.
pub async fn expired_records_are_not_served(store: &dyn SessionStore) {
    let id = SessionId::generate();
    let mut expired = record();
    expired.expires_at = now() - Duration::seconds(10);
    store.create(&id, &expired).await.expect("create");
    assert_eq!(store.load(&id).await.ok(), Some(None), "load");
    store.touch(&id, now() + Duration::hours(1)).await.expect("touch");
    assert_eq!(store.load(&id).await.ok(), Some(None), "touch must not revive it");
    assert!(matches!(store.save(&id, &expired).await, Err(StoreError::Conflict)), "save");
    store.create(&id, &record()).await.expect("an expired id is free again");
    assert!(store.load(&id).await.ok().flatten().is_some());
}

/// `touch` moves the expiry and nothing else; on a missing record it does nothing.
pub async fn touch_moves_expiry_only(store: &dyn SessionStore) {
    let id = SessionId::generate();
    store.create(&id, &record()).await.expect("create");
    let before = must_load(store, &id).await;
    let later = before.expires_at + Duration::hours(2);
    store.touch(&id, later).await.expect("touch");
    let after = must_load(store, &id).await;
    assert_eq!(after.expires_at, later);
    assert_eq!(after.data, before.data);
    assert_eq!(after.version, before.version, "a refresh is not a change");

    let missing = SessionId::generate();
    store.touch(&missing, later).await.expect("touch of a missing record");
    assert_eq!(store.load(&missing).await.ok(), Some(None));
}

/// An unconditional `delete` removes the record, and deleting again is fine.
pub async fn delete_is_idempotent(store: &dyn SessionStore) {
    let id = SessionId::generate();
    store.create(&id, &record()).await.expect("create");
    store.delete(&id, None).await.expect("delete");
    assert_eq!(store.load(&id).await.ok(), Some(None));
    store.delete(&id, None).await.expect("delete again");
}

/// A `delete` that names a version removes only that version.
pub async fn conditional_delete_checks_the_version(store: &dyn SessionStore) {
    let id = SessionId::generate();
    store.create(&id, &record()).await.expect("create");
    let loaded = must_load(store, &id).await;
    let newer = store.save(&id, &with_count(loaded.clone(), 5)).await.expect("save");
    assert!(matches!(store.delete(&id, Some(loaded.version)).await, Err(StoreError::Conflict)));
    assert!(store.load(&id).await.ok().flatten().is_some(), "a stale delete keeps the record");
    store.delete(&id, Some(newer)).await.expect("delete of the current version");
    assert_eq!(store.load(&id).await.ok(), Some(None));
    assert!(matches!(store.delete(&id, Some(newer)).await, Err(StoreError::Conflict)));
}
