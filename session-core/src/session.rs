//! The `Session` handle that handlers use.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::value::{RawValue, to_raw_value};
use time::OffsetDateTime;

use crate::data::{FLASH_KEY, SessionData};
use crate::error::SessionError;
use crate::id::SessionId;
use crate::lifecycle::Shared;

/// One request's session: a cheap handle (clones share the same session) that loads lazily.
///
/// Nothing is unsealed and no store is called until a handler first reads or writes; what the
/// handler changed is written once, after it returns, by
/// [`SessionManager::finish`](crate::SessionManager::finish).
///
/// Every method is `async` because the first one may load the session from a store.
#[derive(Clone)]
pub struct Session {
    inner: Arc<Inner>,
}

struct Inner {
    shared: Arc<Shared>,
    /// The values of the request's cookies that carry the session's name, in order.
    candidates: Vec<String>,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    loaded: Option<Loaded>,
    committed: bool,
}

/// Where the session the request arrived with came from.
#[derive(Debug)]
pub(crate) enum Origin {
    /// No valid session arrived: a fresh one.
    New,
    /// A sealed cookie.
    Sealed { created: OffsetDateTime, expires: OffsetDateTime },
    /// A store record.
    Stored { id: SessionId, version: u64, created: OffsetDateTime, expires: OffsetDateTime },
}

/// A loaded session and what the handler did to it.
#[derive(Debug)]
pub(crate) struct Loaded {
    pub(crate) data: SessionData,
    pub(crate) origin: Origin,
    /// The data changed.
    pub(crate) dirty: bool,
    /// `regenerate()` was called.
    pub(crate) regenerate: bool,
    /// The record `destroy()` retired, deleted when the response is committed.
    pub(crate) retired: Option<SessionId>,
    /// `destroy()` was called while the client held a session cookie.
    pub(crate) clear_cookie: bool,
}

impl Loaded {
    pub(crate) fn new(data: SessionData, origin: Origin) -> Self {
        Self { data, origin, dirty: false, regenerate: false, retired: None, clear_cookie: false }
    }

    /// Whether the handler asked for anything to be written.
    pub(crate) fn is_changed(&self) -> bool {
        self.dirty || self.regenerate || self.retired.is_some() || self.clear_cookie
    }
}

impl Session {
    pub(crate) fn new(shared: Arc<Shared>, candidates: Vec<String>) -> Self {
        Self { inner: Arc::new(Inner { shared, candidates, state: Mutex::default() }) }
    }

    /// Decodes the value under `key`.
    ///
    /// ```
    /// # async fn handler(session: session_core::Session) -> Result<(), session_core::SessionError> {
    /// let count: u64 = session.get("count").await?.unwrap_or(0);
    /// session.insert("count", count + 1).await?;
    /// # Ok(()) }
    /// ```
    pub async fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, SessionError> {
        self.with(|l| l.data.get(key))
            .await?
            .map_err(|source| SessionError::Decode { key: key.to_owned(), source })
    }

    /// Stores `value` under `key`. Storing a value equal to the current one is not a change.
    pub async fn insert(&self, key: &str, value: impl Serialize) -> Result<(), SessionError> {
        let raw = encode(key, &value)?;
        self.with(|l| l.dirty |= l.data.insert_raw(key, raw)).await
    }

    /// Removes `key`; returns whether it was there.
    pub async fn remove(&self, key: &str) -> Result<bool, SessionError> {
        self.with(|l| {
            let removed = l.data.remove(key);
            l.dirty |= removed;
            removed
        })
        .await
    }

    /// Removes every key, keeping the session (and its id).
    pub async fn clear(&self) -> Result<(), SessionError> {
        self.with(|l| l.dirty |= l.data.clear()).await
    }

    /// Whether the session holds no data.
    pub async fn is_empty(&self) -> Result<bool, SessionError> {
        self.with(|l| l.data.is_empty()).await
    }

    /// A copy of the whole session object.
    pub async fn data(&self) -> Result<SessionData, SessionError> {
        self.with(|l| l.data.clone()).await
    }

    /// Decodes the whole session as one struct, for apps that keep a typed session.
    ///
    /// ```
    /// # use serde::{Deserialize, Serialize};
    /// #[derive(Default, Serialize, Deserialize)]
    /// struct Visit {
    ///     #[serde(default)]
    ///     count: u64,
    /// }
    /// # async fn handler(session: session_core::Session) -> Result<(), session_core::SessionError> {
    /// let mut visit: Visit = session.to_struct().await?;
    /// visit.count += 1;
    /// session.replace_with_struct(&visit).await?;
    /// # Ok(()) }
    /// ```
    pub async fn to_struct<T: DeserializeOwned>(&self) -> Result<T, SessionError> {
        self.with(|l| l.data.to_struct())
            .await?
            .map_err(|source| SessionError::Decode { key: "*".to_owned(), source })
    }

    /// Decodes the whole session as one struct, as [`to_struct`](Self::to_struct), except
    /// that a session without data (a visitor's) is `T::default()`.
    pub async fn to_struct_or_default<T: DeserializeOwned + Default>(
        &self,
    ) -> Result<T, SessionError> {
        self.with(|l| if l.data.is_empty() { Ok(T::default()) } else { l.data.to_struct() })
            .await?
            .map_err(|source| SessionError::Decode { key: "*".to_owned(), source })
    }

    /// Replaces the whole session with `value`, which must serialize to a JSON object.
    pub async fn replace_with_struct(&self, value: &impl Serialize) -> Result<(), SessionError> {
        let raw = encode("*", value)?;
        let replacement = SessionData::from_json(raw.get())
            .map_err(|source| SessionError::Encode { key: "*".to_owned(), source })?;
        self.with(|l| {
            if l.data != replacement {
                l.data = replacement;
                l.dirty = true;
            }
        })
        .await
    }

    /// Adds a flash message: shown once, on a later request, by [`take_flashes`](Self::take_flashes).
    pub async fn flash(&self, message: impl Into<String>) -> Result<(), SessionError> {
        let message = message.into();
        self.with(|l| {
            let mut messages = flashes_of(&l.data);
            messages.push(message);
            if let Ok(raw) = to_raw_value(&messages) {
                l.dirty |= l.data.insert_raw(FLASH_KEY, raw);
            }
        })
        .await
    }

    /// Returns the flash messages and removes them, so that each is shown once.
    pub async fn take_flashes(&self) -> Result<Vec<String>, SessionError> {
        self.with(|l| {
            let messages = flashes_of(&l.data);
            l.dirty |= l.data.remove(FLASH_KEY);
            messages
        })
        .await
    }

    /// Lists the flash messages without removing them.
    pub async fn flashes(&self) -> Result<Vec<String>, SessionError> {
        self.with(|l| flashes_of(&l.data)).await
    }

    /// Keeps the data under a new identity: a new id and record (server-side stores, the old
    /// record deleted) or a freshly sealed cookie. Call it at log-in, so that an id an attacker
    /// planted before the log-in is worth nothing after it.
    pub async fn regenerate(&self) -> Result<(), SessionError> {
        self.with(|l| l.regenerate = true).await
    }

    /// Ends the session: its record is deleted and its cookie cleared. Call it at log-out.
    ///
    /// Anything written to the session after this starts a new, separate session.
    pub async fn destroy(&self) -> Result<(), SessionError> {
        let client_had_cookie = !self.inner.candidates.is_empty();
        self.with(|l| {
            if let Origin::Stored { id, .. } = &l.origin {
                l.retired = Some(id.clone());
            }
            l.origin = Origin::New;
            l.data.clear();
            l.dirty = false;
            l.regenerate = false;
            l.clear_cookie = client_had_cookie;
        })
        .await
    }

    pub(crate) fn candidates(&self) -> &[String] {
        &self.inner.candidates
    }

    /// Ends the handler's use of the session: what it loaded, if anything, for the manager to
    /// write. Later use fails with [`SessionError::Committed`].
    pub(crate) fn take_for_commit(&self) -> Option<Loaded> {
        let mut state = self.lock();
        state.committed = true;
        state.loaded.take()
    }

    pub(crate) fn shared(&self) -> &Arc<Shared> {
        &self.inner.shared
    }

    /// Runs `f` on the loaded session, loading it first if this is the first use.
    async fn with<R>(&self, f: impl FnOnce(&mut Loaded) -> R) -> Result<R, SessionError> {
        let needs_load = {
            let state = self.lock();
            if state.committed {
                return Err(SessionError::Committed);
            }
            state.loaded.is_none()
        };
        // The lock is not held across the load; if two tasks race to load, the first result
        // stored wins and both see the same session.
        let mut opened =
            if needs_load { Some(self.inner.shared.open(self.candidates()).await?) } else { None };
        let mut state = self.lock();
        if state.committed {
            return Err(SessionError::Committed);
        }
        if state.loaded.is_none() {
            state.loaded = opened.take();
        }
        let loaded =
            state.loaded.get_or_insert_with(|| Loaded::new(SessionData::new(), Origin::New));
        Ok(f(loaded))
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // No operation leaves the state half-updated, so a poisoned lock is still consistent.
        self.inner.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("Session")
            .field("loaded", &state.loaded.as_ref().map(|l| &l.data))
            .field("committed", &state.committed)
            .finish_non_exhaustive()
    }
}

fn encode(key: &str, value: &(impl Serialize + ?Sized)) -> Result<Box<RawValue>, SessionError> {
    to_raw_value(value).map_err(|source| SessionError::Encode { key: key.to_owned(), source })
}

/// The flash list; a value of another shape under the flash key counts as none.
fn flashes_of(data: &SessionData) -> Vec<String> {
    data.get::<Vec<String>>(FLASH_KEY).ok().flatten().unwrap_or_default()
}
