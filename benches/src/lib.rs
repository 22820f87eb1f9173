//! Placeholder: the criterion suite arrives with its own issue.
#![forbid(unsafe_code)]
