//! Placeholder: the axum adapter arrives with its own issue.
#![forbid(unsafe_code)]
