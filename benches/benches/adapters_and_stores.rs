//! What the axum layer adds to a request, and what a store round trip costs, each side by side
//! with its baseline: `cargo bench -p benches --bench adapters_and_stores`.
//!
//! The DynamoDB rows need DynamoDB Local: start it with `./scripts/dynamodb-local 8000` and set
//! `SESSION_TEST_DYNAMODB_ENDPOINT=http://127.0.0.1:8000`; without it they are left out.
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use axum::http::header::COOKIE;
use axum::routing::get;
use criterion::{Criterion, criterion_group, criterion_main};
use session_axum::{Session, SessionLayer};
use session_core::testkit::manager;
use session_core::{Backend, MemoryStore, Record, SessionData, SessionId, SessionStore};
use session_dynamo::testkit::{ENDPOINT_VAR, local_store};
use time::OffsetDateTime;
use tower::ServiceExt;

async fn plain() -> &'static str {
    "0"
}

async fn read_count(session: Session) -> String {
    session.get::<u64>("count").await.unwrap().unwrap_or(0).to_string()
}

fn request(cookie: Option<&str>) -> Request<Body> {
    let mut request = Request::get("/");
    if let Some(cookie) = cookie {
        request = request.header(COOKIE, cookie);
    }
    request.body(Body::empty()).unwrap()
}

/// One GET through a router: without the layer, then with it for a visitor and for a small
/// session in a sealed cookie and in memory.
fn axum_request(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let mut group = c.benchmark_group("axum_get");
    let bare = Router::new().route("/", get(plain));
    group.bench_function("no_layer", |b| {
        b.to_async(&runtime).iter(|| async { bare.clone().oneshot(request(None)).await.unwrap() })
    });
    for (name, backend) in [("cookie", Backend::Cookie), ("memory", Backend::Memory)] {
        let sessions = manager(backend);
        let app = Router::new()
            .route("/", get(read_count))
            .layer(SessionLayer::from_manager(sessions.clone()));
        if name == "cookie" {
            group.bench_function("layer_visitor", |b| {
                b.to_async(&runtime)
                    .iter(|| async { app.clone().oneshot(request(None)).await.unwrap() })
            });
        }
        let cookie = runtime.block_on(async {
            let session = sessions.start([]);
            session.insert("count", 41).await.unwrap();
            let set_cookie = sessions.finish(&session).await.unwrap().unwrap();
            set_cookie.as_str().split(';').next().unwrap().to_owned()
        });
        group.bench_function(format!("layer_{name}_read"), |b| {
            b.to_async(&runtime).iter(|| async {
                let response = app.clone().oneshot(request(Some(&cookie))).await.unwrap();
                assert!(response.headers().get("set-cookie").is_none());
                response
            })
        });
    }
    group.finish();
}

/// `load` of a small record: the in-memory store against DynamoDB Local over loopback.
fn store_round_trip(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let now = OffsetDateTime::now_utc();
    let data = SessionData::from_json(r#"{"user":"ada","count":41}"#).unwrap();
    let record = Record::new(data, now, now + time::Duration::hours(1), 0);
    let mut stores: Vec<(&str, Arc<dyn SessionStore>)> =
        vec![("memory", Arc::new(MemoryStore::new()))];
    if std::env::var(ENDPOINT_VAR).is_ok() {
        stores.push(("dynamodb_local", Arc::new(runtime.block_on(local_store()))));
    } else {
        eprintln!("{ENDPOINT_VAR} is not set: leaving out the DynamoDB Local rows");
    }
    let mut group = c.benchmark_group("store_load");
    for (name, store) in stores {
        let id = SessionId::generate();
        runtime.block_on(store.create(&id, &record)).unwrap();
        group.bench_function(name, |b| {
            b.to_async(&runtime).iter(|| async { black_box(store.load(&id).await.unwrap()) })
        });
    }
    group.finish();
}

criterion_group!(benches, axum_request, store_round_trip);
criterion_main!(benches);
