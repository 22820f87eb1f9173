//! What a session operation can fail with, and how an adapter answers each failure.

use crate::store::StoreError;

/// A session operation failed.
///
/// A bad cookie is never one of these: it is a fresh session. Adapters answer these with
/// [`SessionError::http_status`] and [`SessionError::public_message`], which never reveal
/// internals; the full error, with its source chain, is for logs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// A stored value is not of the type the handler asked for.
    #[error("session value {key:?} could not be decoded as the requested type")]
    Decode {
        /// The key that was read.
        key: String,
        /// serde's error.
        #[source]
        source: serde_json::Error,
    },
    /// A value could not be serialized as JSON (or a typed session is not a JSON object).
    #[error("session value {key:?} could not be encoded as JSON")]
    Encode {
        /// The key that was written (`*` for a whole typed session).
        key: String,
        /// serde's error.
        #[source]
        source: serde_json::Error,
    },
    /// The sealed cookie would exceed what browsers keep. Nothing was sent: the client keeps
    /// its previous session.
    #[error("the session cookie would be {size} bytes, over the {limit}-byte limit")]
    TooLarge {
        /// Bytes of name and value the cookie would have had.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The store failed; see [`StoreError`].
    #[error("session store: {0}")]
    Store(#[source] StoreError),
    /// The session was used after its response was committed; the change could not be kept.
    #[error("the session was used after its response was committed")]
    Committed,
}

impl From<StoreError> for SessionError {
    fn from(error: StoreError) -> Self {
        Self::Store(error)
    }
}

impl SessionError {
    /// The HTTP status an adapter answers with: 413 too large, 409 a concurrent change,
    /// 503 an unavailable store, 500 anything else.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::TooLarge { .. } => 413,
            Self::Store(StoreError::Conflict) => 409,
            Self::Store(e) if e.is_unavailable() => 503,
            _ => 500,
        }
    }

    /// A one-line message for the response body, without internal details.
    pub fn public_message(&self) -> &'static str {
        match self.http_status() {
            413 => "The session is too large to store.",
            409 => "The session was changed by another request; please try again.",
            503 => "Sessions are unavailable right now; please try again shortly.",
            _ => "The session could not be processed.",
        }
    }

    /// The error and its whole source chain on one line (`a: b: c`), for logs.
    pub fn report(&self) -> String {
        let mut line = self.to_string();
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            let text = cause.to_string();
            // `Store` already shows its store error in its own message.
            if !line.ends_with(&text) {
                line.push_str(": ");
                line.push_str(&text);
            }
            source = cause.source();
        }
        line
    }

    /// Logs the failure as an adapter answers it: server errors (5xx) at error level, the rest
    /// (a conflict, a cookie too large) at info, each with [`report`](Self::report).
    pub fn log(&self) {
        let status = self.http_status();
        if status >= 500 {
            tracing::error!(status, error = self.report(), "session");
        } else {
            tracing::info!(status, error = self.report(), "session");
        }
    }

    /// Whether this is a concurrent-write conflict.
    pub fn is_conflict(&self) -> bool {
        self.http_status() == 409
    }

    /// Whether the store was unavailable.
    pub fn is_unavailable(&self) -> bool {
        self.http_status() == 503
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    #[test]
    fn statuses_and_messages_map_each_failure() {
        let too_large = SessionError::TooLarge { size: 5000, limit: 4096 };
        assert_eq!(too_large.http_status(), 413);
        let conflict = SessionError::from(StoreError::Conflict);
        assert_eq!(conflict.http_status(), 409);
        assert!(conflict.is_conflict());
        let down = SessionError::from(StoreError::unavailable("connection refused"));
        assert_eq!(down.http_status(), 503);
        assert!(down.is_unavailable());
        assert!(!down.public_message().contains("refused"), "no internals in responses");
        assert_eq!(SessionError::from(StoreError::backend("no table")).http_status(), 500);
    }

    #[test]
    fn store_errors_keep_their_source() {
        let down = SessionError::from(StoreError::unavailable("connection refused"));
        let store = down.source().unwrap();
        assert_eq!(store.source().unwrap().to_string(), "connection refused");
        assert_eq!(
            down.report(),
            "session store: the session store is unavailable: connection refused"
        );
    }
}
