//! DynamoDB going away under a running app: requests get 503 within the store's timeout, and
//! the same app serves again once DynamoDB is back.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use session_core::testkit::TEST_SECRET;
use session_core::{Backend, Keyring, SessionConfig, SessionManager};
use session_demo::conformance::{DemoClient, Method, TestRequest, TestResponse};
use session_dynamo::DynamoStore;
use session_dynamo::testkit::{DynamoLocal, local_client};

use crate::support::AxumDemo;

const TIMEOUT: Duration = Duration::from_secs(2);

async fn send(app: &AxumDemo, method: Method, path: &'static str, cookie: &str) -> TestResponse {
    let cookie = (!cookie.is_empty()).then(|| cookie.to_owned());
    app.send(TestRequest { method, path, cookie, form: None }).await
}

fn cookie_of(response: &TestResponse) -> String {
    response.set_cookies()[0].split(';').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_request_gets_503_while_dynamodb_is_down_and_the_app_recovers() {
    let mut local = DynamoLocal::start();
    let store = DynamoStore::new(local_client(&local.endpoint()), "outage").with_timeout(TIMEOUT);
    store.create_table().await.unwrap();
    let store = Arc::new(store);
    let config = SessionConfig::builder()
        .keyring(Keyring::from_secrets(TEST_SECRET, []).unwrap())
        .backend(Backend::from_table_name(Some("outage")))
        .build()
        .unwrap();
    let app = AxumDemo::new(SessionManager::with_store(config, store.clone()));

    let response = send(&app, Method::Post, "/count", "").await;
    assert_eq!(response.status, 303);
    let cookie = cookie_of(&response);

    local.stop();
    for (method, path) in [(Method::Post, "/count"), (Method::Get, "/api/session")] {
        let started = Instant::now();
        let response = send(&app, method, path, &cookie).await;
        assert_eq!(response.status, 503, "{path}: {}", response.body);
        assert!(!response.body.trim().contains('\n') && response.set_cookies().is_empty());
        // Not a timing measurement: the timeout must bound the wait (slack for a busy CI box).
        assert!(started.elapsed() < TIMEOUT + Duration::from_secs(5), "{:?}", started.elapsed());
    }

    // Back, with an empty database (it runs in memory): the old session is gone, so the
    // cookie is a fresh session, and new sessions work.
    local.restart();
    store.create_table().await.unwrap();
    let response = send(&app, Method::Get, "/api/session", &cookie).await;
    assert_eq!(response.status, 200, "{}", response.body);
    assert!(response.body.contains("\"count\":0"), "{}", response.body);
    let response = send(&app, Method::Post, "/count", &cookie).await;
    assert_eq!(response.status, 303, "{}", response.body);
    let response = send(&app, Method::Get, "/api/session", &cookie_of(&response)).await;
    assert!(response.body.contains("\"count\":1"), "{}", response.body);
}
