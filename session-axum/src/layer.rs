//! The tower layer that brings a session to every request and commits it after the handler.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum_core::body::Body;
use axum_core::response::IntoResponse;
use bytes::Bytes;
use http::header::{COOKIE, SET_COOKIE};
use http::{HeaderValue, Request, Response};
use session_core::{ConfigError, SessionConfig, SessionManager};
use tower_layer::Layer;
use tower_service::Service;

use crate::error::Error;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Adds sessions to a router: `Router::new().route(…).layer(SessionLayer::from_env()?)`.
///
/// Clones share one [`SessionManager`] (its keys and store).
///
/// ```
/// use axum::Router;
/// use session_axum::{SessionConfig, SessionLayer};
/// use session_axum::session_core::{Backend, Keyring};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// // From code: in-memory sessions, keyed with a secret you keep elsewhere.
/// let config = SessionConfig::builder()
///     .keyring(Keyring::from_secrets("a secret of at least thirty-two bytes!", [])?)
///     .backend(Backend::Memory)
///     .build()?;
/// let app: Router = Router::new().layer(SessionLayer::new(config)?);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct SessionLayer {
    manager: SessionManager,
}

impl SessionLayer {
    /// Sessions as `config` says.
    ///
    /// A DynamoDB backend needs this crate's `dynamodb` feature (its client then comes from
    /// the standard AWS configuration, loaded on first use); without it, such a config fails
    /// with [`ConfigError::BackendUnavailable`].
    pub fn new(config: SessionConfig) -> Result<Self, ConfigError> {
        #[cfg(feature = "dynamodb")]
        let manager = session_dynamo::session_manager(config)?;
        #[cfg(not(feature = "dynamodb"))]
        let manager = SessionManager::new(config)?;
        Ok(Self::from_manager(manager))
    }

    /// Sessions configured from the environment (`SESSION_SECRET`, `SESSION_TABLE_NAME`, …;
    /// see [`SessionConfig::from_env`]).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::new(SessionConfig::from_env()?)
    }

    /// Sessions from a manager built elsewhere (with a store of your own, say).
    pub fn from_manager(manager: SessionManager) -> Self {
        Self { manager }
    }

    /// The manager: its configuration and store.
    pub fn manager(&self) -> &SessionManager {
        &self.manager
    }
}

impl<S> Layer<S> for SessionLayer {
    type Service = SessionService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        SessionService { inner, manager: self.manager.clone() }
    }
}

/// The service [`SessionLayer`] wraps around the router.
#[derive(Clone, Debug)]
pub struct SessionService<S> {
    inner: S,
    manager: SessionManager,
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for SessionService<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    ReqBody: Send + 'static,
    ResBody: http_body::Body<Data = Bytes> + Send + 'static,
    ResBody::Error: Into<BoxError>,
{
    type Response = Response<Body>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        // HTTP/2 clients may split cookies over several headers; all are read.
        let cookies = request.headers().get_all(COOKIE).iter().filter_map(|v| v.to_str().ok());
        let session = self.manager.start(cookies);
        request.extensions_mut().insert(session.clone());

        // The clone that was made ready is the one that must be called.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let manager = self.manager.clone();
        Box::pin(async move {
            let response = inner.call(request).await?;
            let (mut parts, body) = response.into_parts();
            match manager.finish_response(&session, parts.status.as_u16()).await {
                Ok(None) => {}
                Ok(Some(set_cookie)) => match HeaderValue::try_from(set_cookie.as_str()) {
                    Ok(value) => {
                        parts.headers.append(SET_COOKIE, value);
                    }
                    Err(error) => {
                        // Our own cookie encoding always yields a valid header value.
                        tracing::error!(%error, "session cookie is not a valid header value");
                        let status = http::StatusCode::INTERNAL_SERVER_ERROR;
                        return Ok((status, "The session could not be processed.").into_response());
                    }
                },
                Err(error) => return Ok(Error::Session(error).into_response()),
            }
            Ok(Response::from_parts(parts, Body::new(body)))
        })
    }
}
