//! DynamoDB specifics against DynamoDB Local: the item layout, TTL enforced on read, conditional
//! writes through the lifecycle, table creation, the CLI, and an unreachable endpoint.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType,
    ScalarAttributeType,
};
use session_core::testkit::TEST_SECRET;
use session_core::{
    Backend, Keyring, SessionConfig, SessionError, SessionId, SessionManager, SessionStore,
    StoreError,
};
use session_dynamo::testkit::{TEST_TABLE, local_client, local_store, shared_endpoint};
use session_dynamo::{CreateTableError, DynamoStore};

fn manager(store: DynamoStore) -> SessionManager {
    let config = SessionConfig::builder()
        .keyring(Keyring::from_secrets(TEST_SECRET, []).unwrap())
        .backend(Backend::from_table_name(Some(TEST_TABLE)))
        .build()
        .unwrap();
    SessionManager::with_store(config, Arc::new(store))
}

fn id_of(set_cookie: &str) -> String {
    let pair = set_cookie.split(';').next().unwrap();
    let value = pair.split_once('=').unwrap().1;
    value.split_once('.').unwrap().0.to_owned()
}

fn pair(set_cookie: &str) -> &str {
    set_cookie.split(';').next().unwrap()
}

async fn raw_item(id: &str) -> Option<HashMap<String, AttributeValue>> {
    let client = local_client(&shared_endpoint());
    let key = AttributeValue::S(id.to_owned());
    let out = client
        .get_item()
        .table_name(TEST_TABLE)
        .key("_idx", key)
        .consistent_read(true)
        .send()
        .await
        .unwrap();
    out.item
}

#[tokio::test]
async fn an_item_is_laid_out_as_architect_keys_it() {
    let sessions = manager(local_store().await);
    let session = sessions.start([]);
    session.insert("cart", serde_json::json!([{"item": "äpfel", "qty": 2}])).await.unwrap();
    session.insert("user", "ada").await.unwrap();
    let set_cookie = sessions.finish(&session).await.unwrap().unwrap();

    let item = raw_item(&id_of(set_cookie.as_str())).await.unwrap();
    assert!(matches!(&item["_idx"], AttributeValue::S(id) if *id == id_of(set_cookie.as_str())));
    assert!(matches!(&item["_version"], AttributeValue::N(v) if v == "0"));
    let AttributeValue::N(ttl) = &item["_ttl"] else { panic!("_ttl is a number") };
    let ttl: i64 = ttl.parse().unwrap();
    let in_a_week = time::OffsetDateTime::now_utc().unix_timestamp() + 7 * 24 * 3600;
    assert!((in_a_week - ttl).abs() < 60, "_ttl is epoch seconds, a week ahead");
    let AttributeValue::M(data) = &item["data"] else { panic!("data is a map") };
    assert_eq!(data["user"], AttributeValue::S("ada".into()));
    let AttributeValue::L(cart) = &data["cart"] else { panic!("the cart is a list") };
    let AttributeValue::M(line) = &cart[0] else { panic!("a line is a map") };
    assert_eq!(line["qty"], AttributeValue::N("2".into()));
}

#[tokio::test]
async fn an_item_past_its_ttl_is_not_served() {
    let store = local_store().await;
    let id = SessionId::generate();
    let past = time::OffsetDateTime::now_utc().unix_timestamp() - 10;
    let client = local_client(&shared_endpoint());
    client
        .put_item()
        .table_name(TEST_TABLE)
        .item("_idx", AttributeValue::S(id.as_str().to_owned()))
        .item("_ttl", AttributeValue::N(past.to_string()))
        .item("_created", AttributeValue::N((past - 60).to_string()))
        .item("_version", AttributeValue::N("3".into()))
        .item(
            "data",
            AttributeValue::M(HashMap::from([("n".into(), AttributeValue::N("1".into()))])),
        )
        .send()
        .await
        .unwrap();
    assert!(raw_item(id.as_str()).await.is_some(), "DynamoDB has not deleted it yet");
    assert!(store.load(&id).await.unwrap().is_none());
    assert!(matches!(store.delete(&id, Some(3)).await, Err(StoreError::Conflict)));
}

#[tokio::test]
async fn a_write_based_on_a_stale_load_is_a_conflict_through_the_lifecycle() {
    let sessions = manager(local_store().await);
    let session = sessions.start([]);
    session.insert("n", 1).await.unwrap();
    let cookie = sessions.finish(&session).await.unwrap().unwrap();

    let a = sessions.start([pair(cookie.as_str())]);
    let b = sessions.start([pair(cookie.as_str())]);
    a.insert("n", 2).await.unwrap();
    b.insert("n", 3).await.unwrap();
    assert!(sessions.finish(&a).await.is_ok());
    let lost = sessions.finish(&b).await.unwrap_err();
    assert!(lost.is_conflict(), "{lost}");
    let read = sessions.start([pair(cookie.as_str())]);
    assert_eq!(read.get::<i64>("n").await.unwrap(), Some(2));
}

#[tokio::test]
async fn regenerate_leaves_no_old_item() {
    let sessions = manager(local_store().await);
    let session = sessions.start([]);
    session.insert("user", "ada").await.unwrap();
    let before = sessions.finish(&session).await.unwrap().unwrap();

    let session = sessions.start([pair(before.as_str())]);
    session.regenerate().await.unwrap();
    let after = sessions.finish(&session).await.unwrap().unwrap();
    assert_ne!(id_of(before.as_str()), id_of(after.as_str()));
    assert!(raw_item(&id_of(before.as_str())).await.is_none(), "the old item is deleted");
    assert!(raw_item(&id_of(after.as_str())).await.is_some());

    let session = sessions.start([pair(after.as_str())]);
    session.destroy().await.unwrap();
    sessions.finish(&session).await.unwrap();
    assert!(raw_item(&id_of(after.as_str())).await.is_none(), "destroy deletes");
}

#[tokio::test]
async fn create_table_twice_succeeds_and_a_table_keyed_otherwise_is_refused() {
    let client = local_client(&shared_endpoint());
    let name = format!("sessions-{}", &SessionId::generate().as_str()[..12]);
    let store = DynamoStore::new(client.clone(), name.as_str());
    let first = store.create_table().await.unwrap();
    assert!(first.created && first.enabled_ttl, "{first}");
    let second = store.create_table().await.unwrap();
    assert!(!second.created && !second.enabled_ttl, "{second}");

    let other = format!("other-{}", &SessionId::generate().as_str()[..12]);
    client
        .create_table()
        .table_name(&other)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("pk")
                .attribute_type(ScalarAttributeType::N)
                .build()
                .unwrap(),
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("pk")
                .key_type(KeyType::Hash)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let error = DynamoStore::new(client, other.as_str()).create_table().await.unwrap_err();
    assert!(matches!(&error, CreateTableError::WrongKey { found, .. } if found.contains("pk")));
    assert!(error.to_string().contains("_idx"), "{error}");
}

#[test]
fn the_cli_creates_a_table_and_says_what_it_did() {
    let name = format!("cli-{}", &SessionId::generate().as_str()[..12]);
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_session-dynamo"))
            .args(["create-table", &name, "--endpoint", &shared_endpoint()])
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_REGION", "us-east-1")
            .env_remove("AWS_PROFILE")
            .output()
            .unwrap()
    };
    let first = run();
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(stdout.contains(&name) && stdout.contains("created"), "{stdout}");
    let second = run();
    assert!(second.status.success());
    assert!(String::from_utf8_lossy(&second.stdout).contains("already existed"));

    let usage = std::process::Command::new(env!("CARGO_BIN_EXE_session-dynamo")).output().unwrap();
    assert_eq!(usage.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&usage.stderr).contains("usage"));
}

#[tokio::test]
async fn an_unreachable_endpoint_is_unavailable_with_its_source_kept() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = local_client(&format!("http://127.0.0.1:{port}"));
    let store = DynamoStore::new(client, TEST_TABLE).with_timeout(Duration::from_secs(2));
    let sessions = manager(store);
    let session = sessions.start([]);
    session.insert("n", 1).await.unwrap();
    let error = sessions.finish(&session).await.unwrap_err();
    assert!(error.is_unavailable(), "{error:?}");
    assert_eq!(error.http_status(), 503);
    assert!(matches!(error, SessionError::Store(StoreError::Unavailable(_))));
    assert!(std::error::Error::source(&error).and_then(std::error::Error::source).is_some());
}

#[tokio::test]
async fn missing_credentials_are_a_misconfiguration_not_an_outage() {
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
        .region(aws_sdk_dynamodb::config::Region::new("us-east-1"))
        .endpoint_url(shared_endpoint())
        .build();
    let store = DynamoStore::new(aws_sdk_dynamodb::Client::from_conf(config), TEST_TABLE);
    let error = store.load(&SessionId::generate()).await.unwrap_err();
    assert!(matches!(error, StoreError::Backend(_)), "{error:?}");
    assert_eq!(SessionError::from(error).http_status(), 500);
}
