//! Creating the sessions table: on-demand billing, key `_idx` (String), TTL on `_ttl`.

use std::fmt;
use std::time::Duration;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType, TableStatus,
    TimeToLiveSpecification, TimeToLiveStatus,
};

use crate::store::{DynamoStore, ID_ATTRIBUTE, TTL_ATTRIBUTE};

/// How long [`DynamoStore::create_table`] waits for a new table to become active.
const ACTIVE_WITHIN: Duration = Duration::from_secs(120);

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What [`DynamoStore::create_table`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct TableSetup {
    /// The table was created now (otherwise it existed, with the right key).
    pub created: bool,
    /// TTL on `_ttl` was enabled now (otherwise it already was).
    pub enabled_ttl: bool,
}

impl fmt::Display for TableSetup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.created {
            "created (on-demand billing, key _idx String)"
        } else {
            "already existed with key _idx String"
        })?;
        f.write_str(if self.enabled_ttl {
            "; TTL on _ttl enabled"
        } else {
            "; TTL on _ttl already enabled"
        })
    }
}

/// [`DynamoStore::create_table`] failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CreateTableError {
    /// The table exists but is not keyed as a sessions table.
    #[error(
        "table {table} exists with key {found}, but a sessions table is keyed on _idx (String) alone"
    )]
    WrongKey {
        /// The table.
        table: String,
        /// Its key, as DynamoDB describes it.
        found: String,
    },
    /// The table's TTL is on another attribute.
    #[error("table {table} has TTL on {found}, but sessions expire through _ttl")]
    WrongTtl {
        /// The table.
        table: String,
        /// The attribute its TTL is on.
        found: String,
    },
    /// The table did not become active in time.
    #[error("table {table} is still {status} after {waited:?}")]
    NotActive {
        /// The table.
        table: String,
        /// Its last status.
        status: String,
        /// How long we waited.
        waited: Duration,
    },
    /// A DynamoDB call failed.
    #[error("DynamoDB {operation} failed")]
    Sdk {
        /// The operation, such as `CreateTable`.
        operation: &'static str,
        /// The SDK's error.
        #[source]
        source: BoxError,
    },
}

fn sdk(operation: &'static str, source: impl Into<BoxError>) -> CreateTableError {
    CreateTableError::Sdk { operation, source: source.into() }
}

impl DynamoStore {
    /// Creates the table for sessions, as Architect's `npx create` does: on-demand billing,
    /// partition key `_idx` (String), TTL on `_ttl`. Waits until the table is active.
    ///
    /// Succeeds when the table already exists with that key (enabling TTL if it is off), and
    /// fails with [`CreateTableError::WrongKey`] when it exists with another.
    ///
    /// Needs `dynamodb:CreateTable`, `DescribeTable`, `DescribeTimeToLive` and
    /// `UpdateTimeToLive` on the table.
    pub async fn create_table(&self) -> Result<TableSetup, CreateTableError> {
        let client = self.client().await;
        let table = self.table();
        let attribute = AttributeDefinition::builder()
            .attribute_name(ID_ATTRIBUTE)
            .attribute_type(ScalarAttributeType::S)
            .build()
            .map_err(|e| sdk("CreateTable", e))?;
        let key = KeySchemaElement::builder()
            .attribute_name(ID_ATTRIBUTE)
            .key_type(KeyType::Hash)
            .build()
            .map_err(|e| sdk("CreateTable", e))?;
        let created = match client
            .create_table()
            .table_name(table)
            .billing_mode(BillingMode::PayPerRequest)
            .attribute_definitions(attribute)
            .key_schema(key)
            .send()
            .await
        {
            Ok(_) => true,
            Err(SdkError::ServiceError(e)) if e.err().is_resource_in_use_exception() => false,
            Err(error) => return Err(sdk("CreateTable", error)),
        };
        wait_until_active(client, table).await?;
        let enabled_ttl = enable_ttl(client, table).await?;
        Ok(TableSetup { created, enabled_ttl })
    }
}

/// Waits for the table to be active, then checks its key.
async fn wait_until_active(client: &Client, table: &str) -> Result<(), CreateTableError> {
    let started = tokio::time::Instant::now();
    loop {
        let description = client
            .describe_table()
            .table_name(table)
            .send()
            .await
            .map_err(|e| sdk("DescribeTable", e))?
            .table
            .ok_or_else(|| sdk("DescribeTable", "no table description in the answer"))?;
        let keys = description.key_schema();
        let attributes = description.attribute_definitions();
        let is_sessions_key = matches!(keys, [k] if k.attribute_name() == ID_ATTRIBUTE && *k.key_type() == KeyType::Hash)
            && attributes.iter().any(|a| {
                a.attribute_name() == ID_ATTRIBUTE && *a.attribute_type() == ScalarAttributeType::S
            });
        if !is_sessions_key {
            let found = keys
                .iter()
                .map(|k| {
                    let kind = attributes
                        .iter()
                        .find(|a| a.attribute_name() == k.attribute_name())
                        .map_or("?", |a| a.attribute_type().as_str());
                    format!("{} ({kind}, {})", k.attribute_name(), k.key_type().as_str())
                })
                .collect::<Vec<_>>()
                .join(" + ");
            return Err(CreateTableError::WrongKey { table: table.to_owned(), found });
        }
        let status = description.table_status;
        if status == Some(TableStatus::Active) {
            return Ok(());
        }
        if started.elapsed() > ACTIVE_WITHIN {
            let status = status.map_or_else(|| "unknown".to_owned(), |s| s.as_str().to_owned());
            return Err(CreateTableError::NotActive {
                table: table.to_owned(),
                status,
                waited: ACTIVE_WITHIN,
            });
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// Turns TTL on for `_ttl` unless it already is; whether it did.
async fn enable_ttl(client: &Client, table: &str) -> Result<bool, CreateTableError> {
    let ttl = client
        .describe_time_to_live()
        .table_name(table)
        .send()
        .await
        .map_err(|e| sdk("DescribeTimeToLive", e))?
        .time_to_live_description;
    let status = ttl.as_ref().and_then(|t| t.time_to_live_status().cloned());
    let attribute = ttl.as_ref().and_then(|t| t.attribute_name()).unwrap_or_default();
    match status {
        Some(TimeToLiveStatus::Enabled | TimeToLiveStatus::Enabling)
            if attribute == TTL_ATTRIBUTE =>
        {
            return Ok(false);
        }
        Some(TimeToLiveStatus::Enabled | TimeToLiveStatus::Enabling) => {
            return Err(CreateTableError::WrongTtl {
                table: table.to_owned(),
                found: attribute.to_owned(),
            });
        }
        _ => {}
    }
    let specification = TimeToLiveSpecification::builder()
        .attribute_name(TTL_ATTRIBUTE)
        .enabled(true)
        .build()
        .map_err(|e| sdk("UpdateTimeToLive", e))?;
    client
        .update_time_to_live()
        .table_name(table)
        .time_to_live_specification(specification)
        .send()
        .await
        .map_err(|e| sdk("UpdateTimeToLive", e))?;
    Ok(true)
}
