//! What the layer and extractors add to session-core's lifecycle: wiring errors, the 5xx rule,
//! cookies split over several headers, and the typed extractor.
#![allow(clippy::unwrap_used)]

use axum::Router;
use axum::body::Body;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{Request, StatusCode};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use session_axum::{Session, SessionLayer, TypedSession};
use session_core::Backend;
use session_core::testkit::manager;
use tower::ServiceExt;

async fn send(
    app: &Router,
    method: &str,
    path: &str,
    cookies: &[&str],
) -> (StatusCode, Option<String>, String) {
    let mut request = Request::builder().method(method).uri(path);
    for cookie in cookies {
        request = request.header(COOKIE, *cookie);
    }
    let response = app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let set_cookie = response
        .headers()
        .get(SET_COOKIE)
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned());
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, set_cookie, String::from_utf8(body.to_vec()).unwrap())
}

async fn write(session: Session) -> Result<&'static str, session_axum::Error> {
    session.insert("n", 1).await?;
    Ok("written")
}

async fn read(session: Session) -> Result<String, session_axum::Error> {
    Ok(format!("{:?}", session.get::<i64>("n").await?))
}

async fn write_then_fail(session: Session) -> Result<(), (StatusCode, &'static str)> {
    session.insert("n", 2).await.unwrap();
    Err((StatusCode::INTERNAL_SERVER_ERROR, "boom"))
}

fn app(backend: Backend) -> Router {
    Router::new()
        .route("/write", post(write))
        .route("/read", get(read))
        .route("/fail", post(write_then_fail))
        .layer(SessionLayer::from_manager(manager(backend)))
}

#[tokio::test]
async fn a_handler_without_the_layer_gets_a_500_that_names_it() {
    let app = Router::new().route("/read", get(read));
    let (status, set_cookie, body) = send(&app, "GET", "/read", &[]).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(set_cookie, None);
    assert!(body.contains("SessionLayer"), "{body}");
}

#[tokio::test]
async fn a_server_error_keeps_the_session_as_the_request_found_it() {
    for backend in [Backend::Cookie, Backend::Memory] {
        let app = app(backend.clone());
        let (_, cookie, _) = send(&app, "POST", "/write", &[]).await;
        let cookie = cookie.unwrap();
        let (status, set_cookie, body) = send(&app, "POST", "/fail", &[&cookie]).await;
        assert_eq!(
            (status, set_cookie, body.as_str()),
            (StatusCode::INTERNAL_SERVER_ERROR, None, "boom")
        );
        let (_, _, body) = send(&app, "GET", "/read", &[&cookie]).await;
        assert_eq!(body, "Some(1)", "{backend:?}: the failed request's change was dropped");
    }
}

#[tokio::test]
async fn cookies_split_over_several_headers_are_all_read() {
    let app = app(Backend::Cookie);
    let (_, cookie, _) = send(&app, "POST", "/write", &[]).await;
    let cookie = cookie.unwrap();
    let (status, set_cookie, body) = send(&app, "GET", "/read", &["theme=dark", &cookie]).await;
    assert_eq!((status, set_cookie, body.as_str()), (StatusCode::OK, None, "Some(1)"));
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Visit {
    #[serde(default)]
    count: u64,
    #[serde(default)]
    pages: Vec<String>,
}

async fn visit(mut visit: TypedSession<Visit>) -> Result<String, session_axum::Error> {
    visit.count += 1;
    let page = format!("p{}", visit.count);
    visit.pages.push(page);
    visit.save().await?;
    Ok(format!("{} {:?}", visit.count, visit.pages))
}

async fn peek(visit: TypedSession<Visit>) -> String {
    format!("{}", visit.count)
}

#[tokio::test]
async fn a_typed_session_round_trips_and_an_unchanged_one_is_not_written() {
    let app = Router::new()
        .route("/visit", post(visit))
        .route("/peek", get(peek))
        .layer(SessionLayer::from_manager(manager(Backend::Cookie)));
    let (_, set_cookie, body) = send(&app, "GET", "/peek", &[]).await;
    assert_eq!((set_cookie, body.as_str()), (None, "0"), "a visitor is the default, unwritten");
    let (_, cookie, _) = send(&app, "POST", "/visit", &[]).await;
    let (_, cookie, body) = send(&app, "POST", "/visit", &[&cookie.unwrap()]).await;
    assert_eq!(body, r#"2 ["p1", "p2"]"#);
    let (_, set_cookie, body) = send(&app, "GET", "/peek", &[&cookie.unwrap()]).await;
    assert_eq!((set_cookie, body.as_str()), (None, "2"));
}
