//! The extractors handlers take: [`Session`], and [`TypedSession`] for a session kept as one
//! serde struct.

use std::ops::{Deref, DerefMut};

use axum_core::extract::FromRequestParts;
use http::request::Parts;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::Error;

/// The request's session, from [`SessionLayer`](crate::SessionLayer).
///
/// It derefs to [`session_core::Session`]: `get`, `insert`, `remove`, `flash`,
/// `take_flashes`, `regenerate`, `destroy` and the rest. Nothing is loaded until a handler
/// uses it; what the handler changes is written after it returns.
///
/// Without the layer, extraction fails with [`Error::MissingLayer`] (a 500).
///
/// ```
/// use axum::response::Redirect;
/// use session_axum::Session;
///
/// async fn log_in(session: Session) -> Result<Redirect, session_axum::Error> {
///     session.insert("user", "ada").await?;
///     session.regenerate().await?; // a new id at log-in
///     session.flash("Welcome, ada").await?;
///     Ok(Redirect::to("/"))
/// }
/// # let _ = axum::Router::<()>::new().route("/login", axum::routing::post(log_in));
/// ```
#[derive(Clone, Debug)]
pub struct Session(session_core::Session);

impl Session {
    /// The framework-agnostic session.
    pub fn into_inner(self) -> session_core::Session {
        self.0
    }
}

impl Deref for Session {
    type Target = session_core::Session;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Session {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<session_core::Session>()
            .cloned()
            .map(Self)
            .ok_or(Error::MissingLayer)
    }
}

/// The whole session as one serde struct `T`: decoded when extracted (a session without data
/// is `T::default()`), written back by [`save`](Self::save).
///
/// A session whose data does not decode as `T` is [`Error::Session`] (500); mark new fields
/// `#[serde(default)]` so that sessions written by an older version still decode.
///
/// ```
/// use serde::{Deserialize, Serialize};
/// use session_axum::TypedSession;
///
/// #[derive(Default, Serialize, Deserialize)]
/// struct Visit {
///     #[serde(default)]
///     count: u64,
/// }
///
/// async fn count(mut visit: TypedSession<Visit>) -> Result<String, session_axum::Error> {
///     visit.count += 1;
///     visit.save().await?;
///     Ok(visit.count.to_string())
/// }
/// # let _ = axum::Router::<()>::new().route("/", axum::routing::post(count));
/// ```
#[derive(Debug)]
pub struct TypedSession<T> {
    session: session_core::Session,
    value: T,
}

impl<T: Serialize> TypedSession<T> {
    /// Writes the value back into the session (a no-op when it did not change).
    pub async fn save(&self) -> Result<(), Error> {
        Ok(self.session.replace_with_struct(&self.value).await?)
    }

    /// The untyped session, for `regenerate`, `destroy` or flash messages.
    pub fn session(&self) -> &session_core::Session {
        &self.session
    }

    /// The value, without saving it.
    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<T> Deref for TypedSession<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> DerefMut for TypedSession<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.value
    }
}

impl<S, T> FromRequestParts<S> for TypedSession<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Default + Send,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state).await?.into_inner();
        let value = session.to_struct_or_default().await?;
        Ok(Self { session, value })
    }
}
