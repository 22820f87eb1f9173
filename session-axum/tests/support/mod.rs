//! The axum demo app as the conformance suite's `DemoClient`, shared by the test files.
#![allow(dead_code)]

#[path = "../../examples/axum-demo/app.rs"]
mod app;

use async_trait::async_trait;
use axum::Router;
use axum::body::Body;
use axum::http::Request;
use axum::http::header::{CONTENT_TYPE, COOKIE};
use session_axum::{SessionLayer, SessionManager};
use session_demo::conformance::{DemoClient, TestRequest, TestResponse};
use tower::ServiceExt;

/// The axum demo app, called in process.
pub(crate) struct AxumDemo(Router);

impl AxumDemo {
    pub(crate) fn new(manager: SessionManager) -> Self {
        Self(app::router(SessionLayer::from_manager(manager)))
    }
}

#[async_trait]
impl DemoClient for AxumDemo {
    async fn send(&self, request: TestRequest) -> TestResponse {
        let mut builder = Request::builder().method(request.method.as_str()).uri(request.path);
        if let Some(cookie) = &request.cookie {
            builder = builder.header(COOKIE, cookie);
        }
        if request.form.is_some() {
            builder = builder.header(CONTENT_TYPE, "application/x-www-form-urlencoded");
        }
        let body = Body::from(request.form.unwrap_or_default());
        let response = self.0.clone().oneshot(builder.body(body).unwrap()).await.unwrap();
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| (name.as_str().to_owned(), value.to_str().unwrap().to_owned()))
            .collect();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        TestResponse { status, headers, body: String::from_utf8(body.to_vec()).unwrap() }
    }
}
