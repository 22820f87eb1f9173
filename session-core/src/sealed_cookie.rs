//! The value of a sealed-cookie session: the session and its timestamps as JSON, sealed as a
//! PASETO v4.local token. `docs/FORMAT.md` specifies it byte by byte.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::data::SessionData;
use crate::expiry::Expiry;
use crate::secure::keyring::{Key, KeyId, Keyring};
use crate::secure::{paseto, random_bytes};

/// A session as sealed into a cookie, and as it comes out again.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SealedCookie {
    pub(crate) data: SessionData,
    /// When the session began: the absolute lifetime counts from here.
    pub(crate) created: OffsetDateTime,
    /// When this value was sealed: the idle timeout counts from here.
    pub(crate) issued: OffsetDateTime,
    /// The deadline computed when it was sealed.
    pub(crate) expires: OffsetDateTime,
}

/// Why a cookie value did not open. Only ever logged: to the client every reason looks the
/// same, a fresh session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rejected {
    /// Not a v4.local token, or a footer that is not ours.
    Malformed,
    /// Sealed with a key this keyring does not hold.
    UnknownKey,
    /// Tampered with, truncated, or sealed for another cookie name.
    Invalid,
    /// Authentic, but the payload is not a session.
    BadPayload,
    /// Authentic and well formed, but past one of its limits.
    Expired,
}

/// The JSON payload inside the token; field order is the wire order.
#[derive(Serialize, Deserialize)]
struct Claims<T> {
    iat: String,
    exp: String,
    created: String,
    data: T,
}

#[derive(Serialize, Deserialize)]
struct Footer<'a> {
    #[serde(borrow)]
    kid: &'a str,
}

impl SealedCookie {
    /// Seals with the keyring's current key and a fresh nonce. `cookie_name` is the implicit
    /// assertion: a value sealed for one cookie does not open as another.
    pub(crate) fn seal(&self, key: &Key, cookie_name: &str) -> String {
        self.seal_with_nonce(key, cookie_name, &random_bytes::<{ paseto::NONCE_LEN }>())
    }

    pub(crate) fn seal_with_nonce(
        &self,
        key: &Key,
        cookie_name: &str,
        nonce: &[u8; paseto::NONCE_LEN],
    ) -> String {
        let claims = Claims {
            iat: timestamp(self.issued),
            exp: timestamp(self.expires),
            created: timestamp(self.created),
            data: &self.data,
        };
        // Strings and raw JSON always serialize.
        let payload = serde_json::to_vec(&claims).unwrap_or_default();
        let kid = key.id().to_string();
        let footer = serde_json::to_vec(&Footer { kid: &kid }).unwrap_or_default();
        paseto::encrypt(&key.keys().seal, nonce, &payload, &footer, cookie_name.as_bytes())
            // Only fails for invalid key or nonce lengths, which the types rule out; an empty
            // value never opens, so this fails closed.
            .unwrap_or_default()
    }

    /// Opens a cookie value; the key it names must be in the keyring.
    pub(crate) fn open(
        keyring: &Keyring,
        cookie_name: &str,
        value: &str,
        expiry: &Expiry,
        now: OffsetDateTime,
    ) -> Result<Self, Rejected> {
        let token = paseto::Token::parse(value).map_err(|_| Rejected::Malformed)?;
        let footer: Footer<'_> =
            serde_json::from_slice(token.untrusted_footer()).map_err(|_| Rejected::Malformed)?;
        let kid = KeyId::parse(footer.kid).ok_or(Rejected::Malformed)?;
        let key = keyring.find(kid).ok_or(Rejected::UnknownKey)?;
        let payload = token
            .decrypt(&key.keys().seal, cookie_name.as_bytes())
            .map_err(|_| Rejected::Invalid)?;

        let claims: Claims<SessionData> =
            serde_json::from_slice(&payload).map_err(|_| Rejected::BadPayload)?;
        let sealed = Self {
            data: claims.data,
            created: parse_timestamp(&claims.created)?,
            issued: parse_timestamp(&claims.iat)?,
            expires: parse_timestamp(&claims.exp)?,
        };
        if !expiry.is_live(sealed.created, sealed.issued, sealed.expires, now) {
            return Err(Rejected::Expired);
        }
        Ok(sealed)
    }
}

fn timestamp(t: OffsetDateTime) -> String {
    // Every timestamp we make is UTC with whole seconds, which RFC 3339 always formats.
    t.format(&Rfc3339).unwrap_or_default()
}

fn parse_timestamp(s: &str) -> Result<OffsetDateTime, Rejected> {
    OffsetDateTime::parse(s, &Rfc3339).map_err(|_| Rejected::BadPayload)
}

#[cfg(test)]
mod tests {
    use time::Duration;
    use time::macros::datetime;

    use super::*;

    const SECRET: &str = "an example secret of at least 32 bytes";
    const NAME: &str = "_idx";
    const T0: OffsetDateTime = datetime!(2026-01-01 00:00 UTC);

    /// The vector `docs/FORMAT.md` documents. If this changes, the wire format changed:
    /// every cookie in the wild would stop opening.
    const PINNED: &str = "v4.local.AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9RZohoFEv1H_2ILC31NmGopFriD2Lpqzr9xC7IZm0YgA2oDXbX746HBrQk3p9PmcJZ6rpFypnY-g5owlGJWrApysA19q0B_gan-_bdr9mE7yGCl3TeLLIidjBUaWk3WugHQeYK9VfF-1tnHEhXJrRsBemJfy0oLwlu_SsabrtcMRajL_2zgqn8zxPv-mqHrWZIcD03ZnlevyCYNIi3CF1yvw1NIcI3yaAnSnGQgTo5DhWVHapD324MaqIJjvYp.eyJraWQiOiJQM2thQ1djSiJ9";

    fn pinned_session() -> SealedCookie {
        SealedCookie {
            data: SessionData::from_json(
                r#"{"cart":[{"item":"apple","qty":2}],"count":1,"user":"ada"}"#,
            )
            .unwrap(),
            created: T0,
            issued: T0,
            expires: T0 + Duration::days(7),
        }
    }

    fn nonce() -> [u8; 32] {
        std::array::from_fn(|i| i as u8)
    }

    #[test]
    fn the_pinned_vector_is_what_docs_format_md_says() {
        let key = Key::from_secret(SECRET).unwrap();
        let sealed = pinned_session().seal_with_nonce(&key, NAME, &nonce());
        assert_eq!(sealed, PINNED);
        let format_md = include_str!("../../docs/FORMAT.md");
        assert!(format_md.contains(PINNED), "docs/FORMAT.md shows the pinned value");
    }

    #[test]
    fn the_pinned_vector_opens_to_its_session() {
        let keyring = Keyring::new(Key::from_secret(SECRET).unwrap());
        let opened = SealedCookie::open(&keyring, NAME, PINNED, &Expiry::default(), T0).unwrap();
        assert_eq!(opened, pinned_session());
    }

    #[test]
    fn a_value_sealed_for_another_cookie_name_does_not_open() {
        let keyring = Keyring::new(Key::from_secret(SECRET).unwrap());
        let opened = SealedCookie::open(&keyring, "other", PINNED, &Expiry::default(), T0);
        assert_eq!(opened, Err(Rejected::Invalid));
    }

    #[test]
    fn unknown_keys_and_expired_values_are_rejected() {
        let other = Keyring::from_secrets("another secret, at least 32 bytes long", []).unwrap();
        let opened = SealedCookie::open(&other, NAME, PINNED, &Expiry::default(), T0);
        assert_eq!(opened, Err(Rejected::UnknownKey));

        let keyring = Keyring::new(Key::from_secret(SECRET).unwrap());
        let week_later = T0 + Duration::days(7);
        let opened = SealedCookie::open(&keyring, NAME, PINNED, &Expiry::default(), week_later);
        assert_eq!(opened, Err(Rejected::Expired));
    }

    #[test]
    fn a_previous_key_still_opens() {
        let keyring =
            Keyring::from_secrets("the new secret, at least 32 bytes long", [SECRET]).unwrap();
        assert!(SealedCookie::open(&keyring, NAME, PINNED, &Expiry::default(), T0).is_ok());
    }
}
