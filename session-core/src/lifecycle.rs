//! The request lifecycle that every adapter drives: cookies in ([`SessionManager::start`]),
//! one `Set-Cookie` and the store writes out ([`SessionManager::finish`]).

use std::fmt;
use std::sync::Arc;

use cookie::Cookie;
use time::{Duration, OffsetDateTime};

use crate::config::{Backend, ConfigError, SameSite, SessionConfig};
use crate::data::SessionData;
use crate::error::SessionError;
use crate::expiry::whole_seconds;
use crate::id::SessionId;
use crate::sealed_cookie::SealedCookie;
use crate::secure::signed_id;
use crate::session::{Loaded, Origin, Session};
use crate::store::{MemoryStore, Record, SessionStore, StoreError};

/// The most bytes of name and value a cookie may have: what every browser keeps.
pub const MAX_COOKIE_SIZE: usize = 4096;

/// How many cookies with the session's name are tried: browsers send duplicates (a stale one
/// for a parent domain, say), but a request with hundreds is not worth hundreds of unseals.
const MAX_CANDIDATES: usize = 8;

/// How many fresh ids `create` tries before giving up. With 256-bit ids a second try is
/// already never needed; the loop exists so that a collision is a retry, not an overwrite.
const CREATE_ATTEMPTS: usize = 3;

/// The value of one `Set-Cookie` response header.
#[derive(Clone, PartialEq, Eq)]
pub struct SetCookie(String);

impl SetCookie {
    /// The header value.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SetCookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The value is a credential: `Debug` shows only the cookie's name and attributes.
impl fmt::Debug for SetCookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (pair, attributes) = self.0.split_once(';').unwrap_or((&self.0, ""));
        let name = pair.split_once('=').map_or(pair, |(name, _)| name);
        write!(f, "SetCookie({name}=…;{attributes})")
    }
}

/// Sessions for one application: its configuration and, for server-side sessions, its store.
/// Adapters hold one and call [`start`](Self::start) and [`finish`](Self::finish) around every
/// request. Clones share everything.
///
/// ```
/// use session_core::{Keyring, SessionConfig, SessionManager};
///
/// # tokio_test(async {
/// let config = SessionConfig::builder()
///     .keyring(Keyring::from_secrets("a secret of at least thirty-two bytes!", [])?)
///     .build()?;
/// let sessions = SessionManager::new(config)?;
///
/// // First request: no cookie; the handler writes.
/// let session = sessions.start([]);
/// session.insert("count", 1).await?;
/// let set_cookie = sessions.finish(&session).await?.expect("a new session sets its cookie");
///
/// // Second request: the browser sends the cookie back.
/// let pair = set_cookie.as_str().split(';').next().unwrap();
/// let session = sessions.start([pair]);
/// assert_eq!(session.get::<u32>("count").await?, Some(1));
/// assert!(sessions.finish(&session).await?.is_none(), "nothing changed, nothing is sent");
/// # Ok::<(), Box<dyn std::error::Error>>(()) });
/// # fn tokio_test<F: std::future::Future>(f: F) -> F::Output {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct SessionManager {
    shared: Arc<Shared>,
}

/// What every [`Session`] of one manager shares.
#[derive(Debug)]
pub(crate) struct Shared {
    config: SessionConfig,
    store: Option<Arc<dyn SessionStore>>,
}

impl SessionManager {
    /// Sessions as `config` says. The `Memory` backend gets a fresh [`MemoryStore`]; a
    /// DynamoDB backend needs its store passed to [`with_store`](Self::with_store).
    pub fn new(config: SessionConfig) -> Result<Self, ConfigError> {
        let store: Option<Arc<dyn SessionStore>> = match &config.backend {
            Backend::Cookie => None,
            Backend::Memory => Some(Arc::new(MemoryStore::with_clock(config.clock.clone()))),
            other => {
                return Err(ConfigError::BackendUnavailable {
                    backend: other.clone(),
                    hint: "build with the `dynamodb` feature of your adapter, or pass a store \
                           to SessionManager::with_store",
                });
            }
        };
        Ok(Self { shared: Arc::new(Shared { config, store }) })
    }

    /// Server-side sessions in `store`, whatever backend `config` names.
    pub fn with_store(config: SessionConfig, store: Arc<dyn SessionStore>) -> Self {
        Self { shared: Arc::new(Shared { config, store: Some(store) }) }
    }

    /// Sessions configured from the environment ([`SessionConfig::from_env`]).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::new(SessionConfig::from_env()?)
    }

    /// The configuration.
    pub fn config(&self) -> &SessionConfig {
        &self.shared.config
    }

    /// The store of server-side sessions; `None` for sealed cookies.
    pub fn store(&self) -> Option<&Arc<dyn SessionStore>> {
        self.shared.store.as_ref()
    }

    /// Starts a request's session from the values of its `Cookie` headers. Cheap: the cookie
    /// is not opened, nor the store called, until the handler uses the session.
    pub fn start<'h>(&self, cookie_headers: impl IntoIterator<Item = &'h str>) -> Session {
        let name = self.shared.config.cookie_name.as_str();
        // Not percent-decoded: our values are base64url and dots, and decoding a 3 KB cookie
        // cost a sixth of a whole unseal.
        let candidates = cookie_headers
            .into_iter()
            .flat_map(Cookie::split_parse)
            .filter_map(Result::ok)
            .filter(|c| c.name() == name)
            .map(|c| c.value().to_owned())
            .take(MAX_CANDIDATES)
            .collect();
        Session::new(self.shared.clone(), candidates)
    }

    /// Ends a request's session: performs its store writes and returns the `Set-Cookie` to
    /// send, if any.
    ///
    /// Nothing at all (no write, no cookie) when the handler changed nothing, unless a rolling
    /// refresh is due. On [`SessionError::TooLarge`] no cookie is sent, so the client keeps its
    /// previous session. The session cannot be used after this.
    pub async fn finish(&self, session: &Session) -> Result<Option<SetCookie>, SessionError> {
        self.commit(session).await
    }

    /// Ends a request's session once its response status is known: as [`finish`](Self::finish),
    /// except that after a server error (5xx) the handler's changes are dropped and nothing is
    /// written or sent.
    ///
    /// A handler that failed half-way may have changed the session half-way (a cart updated,
    /// the matching order not placed); keeping the session as the request found it is the
    /// transaction-like choice, and the client's cookie stays valid. Every adapter calls this.
    pub async fn finish_response(
        &self,
        session: &Session,
        status: u16,
    ) -> Result<Option<SetCookie>, SessionError> {
        if (500..600).contains(&status) {
            if session.take_for_commit().is_some_and(|loaded| loaded.is_changed()) {
                tracing::debug!(status, "server error: the session's changes were dropped");
            }
            return Ok(None);
        }
        self.commit(session).await
    }

    async fn commit(&self, session: &Session) -> Result<Option<SetCookie>, SessionError> {
        let Some(loaded) = session.take_for_commit() else {
            return Ok(None);
        };
        let shared = session.shared();
        let now = whole_seconds(shared.config.clock.now());
        match &shared.store {
            None => shared.commit_sealed(loaded, now),
            Some(store) => shared.commit_stored(store.as_ref(), loaded, now).await,
        }
    }
}

impl Shared {
    /// Opens the first candidate cookie that holds a live session; a fresh session if none.
    pub(crate) async fn open(&self, candidates: &[String]) -> Result<Loaded, SessionError> {
        let config = &self.config;
        let now = whole_seconds(config.clock.now());
        for value in candidates {
            match &self.store {
                None => {
                    match SealedCookie::open(
                        &config.keyring,
                        &config.cookie_name,
                        value,
                        &config.expiry,
                        now,
                    ) {
                        Ok(sealed) => {
                            let origin =
                                Origin::Sealed { created: sealed.created, expires: sealed.expires };
                            return Ok(Loaded::new(sealed.data, origin));
                        }
                        Err(reason) => tracing::debug!(?reason, "session cookie not opened"),
                    }
                }
                Some(store) => {
                    let Some(id) =
                        signed_id::verify(&config.keyring, value).and_then(SessionId::parse)
                    else {
                        tracing::debug!("session cookie not opened: bad signature");
                        continue;
                    };
                    match store.load(&id).await? {
                        Some(r) if config.expiry.is_live(r.created_at, now, r.expires_at, now) => {
                            let origin = Origin::Stored {
                                id,
                                version: r.version,
                                created: r.created_at,
                                expires: r.expires_at,
                            };
                            return Ok(Loaded::new(r.data, origin));
                        }
                        _ => tracing::debug!("session cookie names no live record"),
                    }
                }
            }
        }
        Ok(Loaded::new(SessionData::new(), Origin::New))
    }

    fn commit_sealed(
        &self,
        loaded: Loaded,
        now: OffsetDateTime,
    ) -> Result<Option<SetCookie>, SessionError> {
        let (created, expires) = match loaded.origin {
            Origin::Sealed { created, expires } => (created, Some(expires)),
            Origin::New | Origin::Stored { .. } => (now, None),
        };
        let write = loaded.dirty || loaded.regenerate;
        let refresh =
            expires.is_some_and(|expires| self.config.expiry.refresh_due(created, expires, now));
        if !write && !refresh {
            return Ok(loaded.clear_cookie.then(|| self.removal_cookie()));
        }
        if loaded.data.is_empty() {
            // An empty session needs no cookie; one the client holds is cleared.
            let client_had_one = expires.is_some() || loaded.clear_cookie;
            return Ok(client_had_one.then(|| self.removal_cookie()));
        }
        let sealed = SealedCookie {
            data: loaded.data,
            created,
            issued: now,
            expires: self.config.expiry.deadline(created, now),
        };
        let value = sealed.seal(self.config.keyring.current(), &self.config.cookie_name);
        self.session_cookie(value, sealed.expires, now).map(Some)
    }

    async fn commit_stored(
        &self,
        store: &dyn SessionStore,
        loaded: Loaded,
        now: OffsetDateTime,
    ) -> Result<Option<SetCookie>, SessionError> {
        if let Some(retired) = &loaded.retired {
            store.delete(retired, None).await?;
        }
        let write = loaded.dirty || loaded.regenerate;
        let expiry = &self.config.expiry;
        let (id, version, created, expires) = match loaded.origin {
            Origin::Stored { id, version, created, expires } => (id, version, created, expires),
            Origin::New | Origin::Sealed { .. } => {
                if !write || loaded.data.is_empty() {
                    return Ok(loaded.clear_cookie.then(|| self.removal_cookie()));
                }
                let record = Record::new(loaded.data, now, expiry.deadline(now, now), 0);
                let id = create(store, &record).await?;
                return self.id_cookie(&id, record.expires_at, now).map(Some);
            }
        };

        if !write {
            if !expiry.refresh_due(created, expires, now) {
                return Ok(None);
            }
            let expires = expiry.deadline(created, now);
            store.touch(&id, expires).await?;
            return self.id_cookie(&id, expires, now).map(Some);
        }
        if loaded.data.is_empty() {
            store.delete(&id, Some(version)).await?;
            return Ok(Some(self.removal_cookie()));
        }
        let record = Record::new(loaded.data, created, expiry.deadline(created, now), version);
        if loaded.regenerate {
            let new_id = create(store, &record).await?;
            // Only once the new record exists does the old one go, and only if no other
            // request changed it meanwhile; otherwise the new record is withdrawn.
            if let Err(error) = store.delete(&id, Some(version)).await {
                if let Err(cleanup) = store.delete(&new_id, None).await {
                    tracing::warn!(error = %cleanup, "could not withdraw a regenerated session");
                }
                return Err(error.into());
            }
            return self.id_cookie(&new_id, record.expires_at, now).map(Some);
        }
        store.save(&id, &record).await?;
        self.id_cookie(&id, record.expires_at, now).map(Some)
    }

    fn id_cookie(
        &self,
        id: &SessionId,
        expires: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<SetCookie, SessionError> {
        let value = signed_id::sign(self.config.keyring.current(), id.as_str());
        self.session_cookie(value, expires, now)
    }

    fn session_cookie(
        &self,
        value: String,
        expires: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<SetCookie, SessionError> {
        let size = self.config.cookie_name.len() + value.len();
        if size > MAX_COOKIE_SIZE {
            return Err(SessionError::TooLarge { size, limit: MAX_COOKIE_SIZE });
        }
        let mut cookie = self.cookie_builder(value);
        if self.config.expiry.is_persistent() {
            cookie = cookie.max_age(expires - now).expires(expires);
        }
        Ok(SetCookie(cookie.build().to_string()))
    }

    /// Tells the browser to drop the cookie.
    fn removal_cookie(&self) -> SetCookie {
        let cookie = self
            .cookie_builder(String::new())
            .max_age(Duration::ZERO)
            .expires(OffsetDateTime::UNIX_EPOCH);
        SetCookie(cookie.build().to_string())
    }

    fn cookie_builder(&self, value: String) -> cookie::CookieBuilder<'static> {
        let config = &self.config;
        let same_site = match config.same_site {
            SameSite::Strict => cookie::SameSite::Strict,
            SameSite::Lax => cookie::SameSite::Lax,
            SameSite::None => cookie::SameSite::None,
        };
        let mut cookie = Cookie::build((config.cookie_name.clone(), value))
            .http_only(true)
            .secure(config.secure)
            .same_site(same_site)
            .path(config.path.clone());
        if let Some(domain) = &config.domain {
            cookie = cookie.domain(domain.clone());
        }
        cookie
    }
}

/// Stores `record` under a fresh id, retrying on the (astronomically unlikely) collision.
async fn create(store: &dyn SessionStore, record: &Record) -> Result<SessionId, StoreError> {
    for _ in 0..CREATE_ATTEMPTS {
        let id = SessionId::generate();
        match store.create(&id, record).await {
            Ok(()) => return Ok(id),
            Err(StoreError::IdCollision) => tracing::warn!("session id collision; retrying"),
            Err(other) => return Err(other),
        }
    }
    Err(StoreError::IdCollision)
}
