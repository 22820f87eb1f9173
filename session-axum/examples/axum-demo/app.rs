//! The demo's routes: each handler takes the `Session` extractor and calls the shop, which is
//! the same in every framework's demo.

use axum::Router;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use session_axum::{Session, SessionLayer};
use session_demo::shop::{self, Flashes, ShopError};

/// The demo app, with its sessions.
pub(crate) fn router(sessions: SessionLayer) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/api/session", get(api_session))
        .route("/count", post(count))
        .route("/login", post(log_in))
        .route("/logout", post(log_out))
        .route("/cart", post(add_to_cart))
        .layer(sessions)
}

async fn index(session: Session) -> Result<Html<String>, Failure> {
    let view = shop::view(&session, Flashes::Take).await.map_err(ShopError::from)?;
    Ok(Html(shop::page(&view)))
}

async fn api_session(session: Session) -> Result<Response, Failure> {
    let view = shop::view(&session, Flashes::Keep).await.map_err(ShopError::from)?;
    Ok(([(CONTENT_TYPE, "application/json")], shop::json(&view)).into_response())
}

async fn count(session: Session) -> Result<Redirect, Failure> {
    shop::count(&session).await.map_err(ShopError::from)?;
    Ok(Redirect::to("/"))
}

async fn log_in(session: Session, form: Bytes) -> Result<Redirect, Failure> {
    shop::log_in(&session, &form).await?;
    Ok(Redirect::to("/"))
}

async fn log_out(session: Session) -> Result<Redirect, Failure> {
    shop::log_out(&session).await.map_err(ShopError::from)?;
    Ok(Redirect::to("/"))
}

async fn add_to_cart(session: Session, form: Bytes) -> Result<Redirect, Failure> {
    shop::add_to_cart(&session, &form).await?;
    Ok(Redirect::to("/"))
}

/// A failed request: bad input (400) or a session error (its own status, logged).
struct Failure(ShopError);

impl From<ShopError> for Failure {
    fn from(error: ShopError) -> Self {
        Self(error)
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        match self.0 {
            ShopError::Session(error) => session_axum::Error::from(error).into_response(),
            bad @ ShopError::BadInput(_) => {
                let status = StatusCode::from_u16(bad.status()).unwrap_or(StatusCode::BAD_REQUEST);
                (status, bad.message()).into_response()
            }
        }
    }
}
