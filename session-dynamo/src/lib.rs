//! Placeholder: the DynamoDB store arrives with its own issue.
#![forbid(unsafe_code)]
