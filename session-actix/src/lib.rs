//! Placeholder: the actix-web adapter arrives with its own issue.
#![forbid(unsafe_code)]
