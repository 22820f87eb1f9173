//! How SDK failures become the core's store errors: unreachable or overloaded is
//! "unavailable" (a 503, worth retrying), anything else a backend failure; the SDK error is
//! kept as the source either way.

use std::time::Duration;

use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use session_core::StoreError;

/// The store did not answer within its timeout.
#[derive(Debug, thiserror::Error)]
#[error("DynamoDB {operation} did not answer within {timeout:?}")]
pub(crate) struct TimedOut {
    pub(crate) operation: &'static str,
    pub(crate) timeout: Duration,
}

/// Error codes DynamoDB uses for "too much right now": the SDK has already retried them.
const OVERLOADED: &[&str] = &[
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "ThrottlingException",
    "InternalServerError",
    "ServiceUnavailable",
    "InternalFailure",
];

/// The core's error for an SDK failure.
pub(crate) fn store_error<E, R>(error: SdkError<E, R>) -> StoreError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let unavailable = match &error {
        SdkError::TimeoutError(_) | SdkError::ResponseError(_) => true,
        // Connection refused or reset, or no answer: the store is away. Other dispatch
        // failures (no credentials, a signing error) are configuration, not an outage.
        SdkError::DispatchFailure(failure) => failure.is_io() || failure.is_timeout(),
        SdkError::ServiceError(service) => {
            service.err().code().is_some_and(|code| OVERLOADED.contains(&code))
        }
        _ => false,
    };
    if unavailable { StoreError::unavailable(error) } else { StoreError::backend(error) }
}
