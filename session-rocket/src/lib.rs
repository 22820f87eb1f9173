//! Placeholder: the Rocket adapter arrives with its own issue.
#![forbid(unsafe_code)]
