//! Server-side session ids.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::secure;

/// Random bytes in a session id: 256 bits, beyond any guessing.
const ID_BYTES: usize = 32;
/// The longest id [`SessionId::parse`] accepts; generous so that stores shared with other
/// implementations (Architect's ids are 24 characters) still parse.
const MAX_ID_LEN: usize = 128;

/// The id of a server-side session record: 256 random bits from a CSPRNG, in base64url.
///
/// An id is a bearer credential, so `Debug` shows only its first characters.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SessionId(String);

impl SessionId {
    /// A fresh random id.
    pub fn generate() -> Self {
        Self(URL_SAFE_NO_PAD.encode(secure::random_bytes::<ID_BYTES>()))
    }

    /// An id read back from a cookie or a store: non-empty base64url text of at most 128
    /// characters.
    pub fn parse(id: &str) -> Option<Self> {
        let valid = !id.is_empty()
            && id.len() <= MAX_ID_LEN
            && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        valid.then(|| Self(id.to_owned()))
    }

    /// The id as text, as stores key their records.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SessionId({}…)", &self.0[..self.0.len().min(4)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_256_bit_base64url_and_distinct() {
        let a = SessionId::generate();
        assert_eq!(a.as_str().len(), 43);
        assert_eq!(SessionId::parse(a.as_str()), Some(a.clone()));
        assert_ne!(a, SessionId::generate());
    }

    #[test]
    fn parse_refuses_anything_but_base64url() {
        for bad in ["", "a.b", "a/b", "a+b", "a b", &"a".repeat(129)] {
            assert_eq!(SessionId::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn debug_shows_only_a_prefix() {
        let id = SessionId::generate();
        let shown = format!("{id:?}");
        assert!(!shown.contains(id.as_str()));
        assert!(shown.contains(&id.as_str()[..4]));
    }
}
