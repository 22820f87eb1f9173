//! `session-dynamo create-table NAME [--endpoint URL]`: creates a sessions table (on-demand,
//! key `_idx` String, TTL on `_ttl`), as Architect's `npx create` does, and says what it did.

use std::process::ExitCode;

use aws_sdk_dynamodb::error::DisplayErrorContext;
use session_dynamo::DynamoStore;

const USAGE: &str = "usage: session-dynamo create-table NAME [--endpoint URL]

Creates the DynamoDB table NAME for sessions: on-demand billing, partition key _idx (String),
TTL on _ttl. Succeeds if the table already exists with that key. Region and credentials come
from the standard AWS configuration (AWS_REGION, AWS_PROFILE, ...); --endpoint (or
AWS_ENDPOINT_URL_DYNAMODB) points at another endpoint, such as DynamoDB Local.";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (table, endpoint) = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["create-table", table] => (table.to_owned(), None),
        ["create-table", table, "--endpoint", url] | ["create-table", "--endpoint", url, table] => {
            (table.to_owned(), Some(url.to_owned()))
        }
        ["-h" | "--help" | "help"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
    if let Some(url) = &endpoint {
        loader = loader.endpoint_url(url);
    }
    let client = aws_sdk_dynamodb::Client::new(&loader.load().await);
    let store = DynamoStore::new(client, table.as_str());
    match store.create_table().await {
        Ok(setup) => {
            println!("table {table}: {setup}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("session-dynamo: table {table}: {}", DisplayErrorContext(&error));
            ExitCode::FAILURE
        }
    }
}
