//! The errors handlers and extractors answer with.

use axum_core::response::{IntoResponse, Response};
use http::StatusCode;
use session_core::SessionError;

/// A session failure in an axum app; a handler can return it with `?`.
///
/// Answered with the status session-core assigns ([`SessionError::http_status`]: 413 too
/// large, 409 a concurrent change, 503 an unavailable store, 500 otherwise) and one line of
/// text that reveals no internals; the full error, with its sources, is logged.
///
/// Match on it to answer otherwise, say with a page of your own when the store is down:
///
/// ```
/// use axum::http::StatusCode;
/// use session_axum::{Error, Session};
///
/// async fn cart(session: Session) -> Result<String, (StatusCode, &'static str)> {
///     match session.get::<Vec<String>>("cart").await {
///         Ok(cart) => Ok(format!("{} items", cart.unwrap_or_default().len())),
///         Err(error) if error.is_unavailable() => {
///             Err((StatusCode::SERVICE_UNAVAILABLE, "The shop is resting; try again soon."))
///         }
///         Err(error) => Err((Error::from(error).status(), "Something went wrong.")),
///     }
/// }
/// # let _ = axum::Router::<()>::new().route("/cart", axum::routing::get(cart));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The session failed.
    #[error(transparent)]
    Session(#[from] SessionError),
    /// A handler asked for a session but the router has no [`SessionLayer`](crate::SessionLayer).
    #[error("no SessionLayer: add `.layer(SessionLayer::from_env()?)` to the router")]
    MissingLayer,
}

impl Error {
    /// The status this error is answered with.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Session(error) => StatusCode::from_u16(error.http_status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            Self::MissingLayer => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        match &self {
            Self::Session(error) => {
                error.log();
                (status, error.public_message()).into_response()
            }
            // A wiring mistake, not a runtime fault: the message tells the developer the fix.
            Self::MissingLayer => {
                tracing::error!("{self}");
                (status, "Session extractor used without SessionLayer on the router.")
                    .into_response()
            }
        }
    }
}
