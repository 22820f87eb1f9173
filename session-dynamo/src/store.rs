//! [`DynamoStore`]: one item per session, written only under a condition, so that no write
//! silently replaces another.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::AttributeValue;
use session_core::{Record, SessionId, SessionStore, StoreError};
use time::OffsetDateTime;
use tokio::sync::OnceCell;

use crate::attribute;
use crate::error::{TimedOut, store_error};

/// The partition key (String): the session id, as Architect names it.
pub const ID_ATTRIBUTE: &str = "_idx";
/// When the item expires (Number, epoch seconds): the table's TTL attribute, as Architect
/// names it.
pub const TTL_ATTRIBUTE: &str = "_ttl";
/// The item's version (Number), bumped by every save.
pub const VERSION_ATTRIBUTE: &str = "_version";
/// When the session began (Number, epoch seconds), for its absolute lifetime.
pub const CREATED_ATTRIBUTE: &str = "_created";
/// The session object (Map).
pub const DATA_ATTRIBUTE: &str = "data";

/// How long a request waits on DynamoDB, retries included, unless configured otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// Server-side sessions in a DynamoDB table keyed on `_idx` (String), with TTL on `_ttl`.
///
/// * `load` is a consistent `GetItem`; an item past its `_ttl` is absent, since DynamoDB
///   deletes expired items only up to about two days late.
/// * `create` is a `PutItem` on `attribute_not_exists(_idx)` (or an expired `_ttl`); `save` a `PutItem` on the
///   `_version` it loaded, so a stale save is [`StoreError::Conflict`], never a lost update;
///   `touch` an `UpdateItem` of `_ttl` alone; `delete` a `DeleteItem`.
/// * Throttling and transient faults are retried by the SDK's retry configuration; an
///   unreachable or overloaded table, or no answer within the [timeout](Self::with_timeout),
///   is [`StoreError::Unavailable`] with the SDK's error as its source.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use std::sync::Arc;
/// use session_core::{SessionConfig, SessionManager};
/// use session_dynamo::DynamoStore;
///
/// // The standard AWS configuration chain: region, credentials, AWS_ENDPOINT_URL_DYNAMODB.
/// let store = DynamoStore::from_env("my-app-sessions");
/// store.create_table().await?; // once, at deploy time
/// let sessions = SessionManager::with_store(SessionConfig::from_env()?, Arc::new(store));
/// # Ok(()) }
/// ```
pub struct DynamoStore {
    client: OnceCell<Client>,
    table: String,
    timeout: Duration,
}

impl DynamoStore {
    /// A store on `table`, with a client you already have.
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client: OnceCell::new_with(Some(client)),
            table: table.into(),
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// A store on `table`, with a client from the standard AWS configuration chain (region,
    /// credentials, `AWS_ENDPOINT_URL_DYNAMODB`), loaded on first use so that building the
    /// store needs no runtime.
    pub fn from_env(table: impl Into<String>) -> Self {
        Self { client: OnceCell::new(), table: table.into(), timeout: DEFAULT_TIMEOUT }
    }

    /// How long one store operation may take, retries included, before it fails as
    /// unavailable (default [`DEFAULT_TIMEOUT`]).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The table's name.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// The DynamoDB client, loading it from the environment on first use.
    pub async fn client(&self) -> &Client {
        self.client
            .get_or_init(|| async {
                let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
                Client::new(&config)
            })
            .await
    }

    /// A `PutItem` of `item` on `condition`, which may use `#idx`, `#ttl`, `#version` and
    /// `:now` besides `values`; `if_condition_failed` when the condition does not hold.
    async fn put_if<const N: usize>(
        &self,
        item: HashMap<String, AttributeValue>,
        condition: &str,
        values: [(&str, AttributeValue); N],
        if_condition_failed: StoreError,
    ) -> Result<(), StoreError> {
        let mut values: HashMap<String, AttributeValue> =
            values.into_iter().map(|(name, value)| (name.to_owned(), value)).collect();
        values.insert(":now".to_owned(), now());
        self.bounded("PutItem", async {
            let result = self
                .client()
                .await
                .put_item()
                .table_name(&self.table)
                .set_item(Some(item))
                .condition_expression(condition)
                .set_expression_attribute_names(Some(names_in(condition)))
                .set_expression_attribute_values(Some(values))
                .send()
                .await;
            conditional(result, Err(if_condition_failed))
        })
        .await
    }

    /// Runs one operation under the store's timeout.
    async fn bounded<T>(
        &self,
        operation: &'static str,
        run: impl Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        match tokio::time::timeout(self.timeout, run).await {
            Ok(result) => result,
            Err(_) => Err(StoreError::unavailable(TimedOut { operation, timeout: self.timeout })),
        }
    }
}

impl fmt::Debug for DynamoStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DynamoStore")
            .field("table", &self.table)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// The item that stores `record` under `id`, at `version`.
fn item(
    id: &SessionId,
    record: &Record,
    version: u64,
) -> Result<HashMap<String, AttributeValue>, StoreError> {
    let data = attribute::to_map(&record.data).map_err(|e| StoreError::Codec(e.into()))?;
    Ok(HashMap::from([
        (ID_ATTRIBUTE.to_owned(), AttributeValue::S(id.as_str().to_owned())),
        (TTL_ATTRIBUTE.to_owned(), epoch(record.expires_at)),
        (VERSION_ATTRIBUTE.to_owned(), AttributeValue::N(version.to_string())),
        (CREATED_ATTRIBUTE.to_owned(), epoch(record.created_at)),
        (DATA_ATTRIBUTE.to_owned(), AttributeValue::M(data)),
    ]))
}

/// The attribute names of the `#` placeholders `expression` uses; DynamoDB refuses names an
/// expression does not use.
fn names_in(expression: &str) -> HashMap<String, String> {
    [("#idx", ID_ATTRIBUTE), ("#ttl", TTL_ATTRIBUTE), ("#version", VERSION_ATTRIBUTE)]
        .into_iter()
        .filter(|(placeholder, _)| expression.contains(placeholder))
        .map(|(placeholder, name)| (placeholder.to_owned(), name.to_owned()))
        .collect()
}

fn key(id: &SessionId) -> AttributeValue {
    AttributeValue::S(id.as_str().to_owned())
}

fn epoch(time: OffsetDateTime) -> AttributeValue {
    AttributeValue::N(time.unix_timestamp().to_string())
}

fn now() -> AttributeValue {
    epoch(OffsetDateTime::now_utc())
}

/// The outcome of a conditional write: `Ok(())` when it was carried out, `if_condition_failed`
/// when its condition did not hold (an answer, not a fault), the store error otherwise.
fn conditional<O, E, R>(
    result: Result<O, SdkError<E, R>>,
    if_condition_failed: Result<(), StoreError>,
) -> Result<(), StoreError>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: fmt::Debug + Send + Sync + 'static,
{
    match result {
        Ok(_) => Ok(()),
        Err(error)
            if error.as_service_error().and_then(|e| e.code())
                == Some("ConditionalCheckFailedException") =>
        {
            if_condition_failed
        }
        Err(error) => Err(store_error(error)),
    }
}

/// The record an item holds.
fn record_of(mut item: HashMap<String, AttributeValue>) -> Result<Record, StoreError> {
    let codec = |what: &str| StoreError::Codec(format!("session item: {what}").into());
    let mut number = |name: &str| -> Result<i64, StoreError> {
        match item.remove(name) {
            Some(AttributeValue::N(n)) => n.parse().map_err(|_| codec(name)),
            _ => Err(codec(name)),
        }
    };
    let expires = number(TTL_ATTRIBUTE)?;
    let created = number(CREATED_ATTRIBUTE)?;
    let version =
        u64::try_from(number(VERSION_ATTRIBUTE)?).map_err(|_| codec(VERSION_ATTRIBUTE))?;
    let time =
        |secs: i64, name: &str| OffsetDateTime::from_unix_timestamp(secs).map_err(|_| codec(name));
    let data = match item.remove(DATA_ATTRIBUTE) {
        Some(AttributeValue::M(map)) => attribute::from_map(map).map_err(StoreError::Codec)?,
        _ => return Err(codec(DATA_ATTRIBUTE)),
    };
    Ok(Record::new(data, time(created, CREATED_ATTRIBUTE)?, time(expires, TTL_ATTRIBUTE)?, version))
}

#[async_trait]
impl SessionStore for DynamoStore {
    async fn load(&self, id: &SessionId) -> Result<Option<Record>, StoreError> {
        self.bounded("GetItem", async {
            let output = self
                .client()
                .await
                .get_item()
                .table_name(&self.table)
                .key(ID_ATTRIBUTE, key(id))
                .consistent_read(true)
                .send()
                .await
                .map_err(store_error)?;
            let Some(item) = output.item else { return Ok(None) };
            let record = record_of(item)?;
            // DynamoDB deletes expired items lazily; until it does, they are not sessions.
            Ok((record.expires_at > OffsetDateTime::now_utc()).then_some(record))
        })
        .await
    }

    async fn create(&self, id: &SessionId, record: &Record) -> Result<(), StoreError> {
        // An expired item DynamoDB has not deleted yet is free, as if it were gone.
        let condition = "attribute_not_exists(#idx) OR #ttl <= :now";
        self.put_if(item(id, record, record.version)?, condition, [], StoreError::IdCollision).await
    }

    async fn save(&self, id: &SessionId, record: &Record) -> Result<u64, StoreError> {
        let version = record.version + 1;
        let loaded = (":loaded", AttributeValue::N(record.version.to_string()));
        let condition = "#version = :loaded AND #ttl > :now";
        self.put_if(item(id, record, version)?, condition, [loaded], StoreError::Conflict).await?;
        Ok(version)
    }

    async fn touch(&self, id: &SessionId, expires_at: OffsetDateTime) -> Result<(), StoreError> {
        self.bounded("UpdateItem", async {
            let result = self
                .client()
                .await
                .update_item()
                .table_name(&self.table)
                .key(ID_ATTRIBUTE, key(id))
                .update_expression("SET #ttl = :ttl")
                .condition_expression("attribute_exists(#idx) AND #ttl > :now")
                .expression_attribute_names("#idx", ID_ATTRIBUTE)
                .expression_attribute_names("#ttl", TTL_ATTRIBUTE)
                .expression_attribute_values(":ttl", epoch(expires_at))
                .expression_attribute_values(":now", now())
                .send()
                .await;
            // A record that is gone, or expired, stays so.
            conditional(result, Ok(()))
        })
        .await
    }

    async fn delete(
        &self,
        id: &SessionId,
        expected_version: Option<u64>,
    ) -> Result<(), StoreError> {
        self.bounded("DeleteItem", async {
            let mut request = self
                .client()
                .await
                .delete_item()
                .table_name(&self.table)
                .key(ID_ATTRIBUTE, key(id));
            if let Some(expected) = expected_version {
                request = request
                    .condition_expression("#version = :expected AND #ttl > :now")
                    .expression_attribute_names("#version", VERSION_ATTRIBUTE)
                    .expression_attribute_names("#ttl", TTL_ATTRIBUTE)
                    .expression_attribute_values(
                        ":expected",
                        AttributeValue::N(expected.to_string()),
                    )
                    .expression_attribute_values(":now", now());
            }
            conditional(request.send().await, Err(StoreError::Conflict))
        })
        .await
    }
}
