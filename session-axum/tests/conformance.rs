//! The demo contract's conformance suite, run against the axum demo app in process, with
//! sealed-cookie, in-memory and DynamoDB (Local) sessions.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;

use session_demo::conformance::Fixture;

use crate::support::AxumDemo;

session_demo::conformance_tests!(sealed: cookie_sessions,
    fixture: async { Fixture::cookie() },
    client: AxumDemo::new);

session_demo::conformance_tests!(stored: memory_sessions,
    fixture: async { Fixture::memory() },
    client: AxumDemo::new);

session_demo::conformance_tests!(stored: dynamo_sessions,
    fixture: async { Fixture::with_store(Arc::new(session_dynamo::testkit::local_store().await)) },
    client: AxumDemo::new);
