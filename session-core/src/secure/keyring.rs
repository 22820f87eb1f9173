//! Secrets, the keys derived from them, and the keyring that rotates them.

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use orion::hazardous::kdf::hkdf::{Hkdf, SHA256};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::paseto;

/// The shortest secret accepted, in bytes.
pub const MIN_SECRET_LEN: usize = 32;

/// Length of every derived key.
const DERIVED_KEY_LEN: usize = 32;
/// Bytes of key id; eight base64url characters in the cookie.
const KEY_ID_LEN: usize = 6;
/// Bytes of randomness in a secret that [`Key::generate`] or `keygen` makes.
pub(crate) const GENERATED_SECRET_LEN: usize = 32;

// The sealing key is used directly as a PASETO v4.local key.
const _: () = assert!(DERIVED_KEY_LEN == paseto::KEY_LEN);
const _: () = assert!(GENERATED_SECRET_LEN >= MIN_SECRET_LEN);

/// Fixed HKDF salt: versioned so that a future format derives unrelated keys.
const KDF_SALT: &[u8] = b"session-core/v1";
const SEAL_INFO: &[u8] = b"sealed-cookie";
const ID_MAC_INFO: &[u8] = b"session-id-mac";
const KEY_ID_INFO: &[u8] = b"key-id";

/// A secret was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The secret is shorter than [`MIN_SECRET_LEN`] bytes.
    #[error(
        "session secret is {len} bytes; at least {MIN_SECRET_LEN} are required (run `keygen` for one)"
    )]
    TooShort {
        /// Length of the refused secret, in bytes.
        len: usize,
    },
    /// The operating system's random number generator failed.
    #[error("the operating system's random number generator failed")]
    Random,
    /// Key derivation failed (it cannot for the lengths used here; kept to fail closed).
    #[error("session key derivation failed")]
    Derivation,
}

/// The short public id of a key, carried in every sealed value so that opening picks its key
/// directly instead of trying each one.
///
/// Derived from the secret with a one-way function: it identifies a key without revealing it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyId([u8; KEY_ID_LEN]);

impl KeyId {
    /// Parses the form [`fmt::Display`] prints.
    pub fn parse(s: &str) -> Option<Self> {
        let mut bytes = [0u8; KEY_ID_LEN];
        match URL_SAFE_NO_PAD.decode_slice(s, &mut bytes) {
            Ok(KEY_ID_LEN) => Some(Self(bytes)),
            _ => None,
        }
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&URL_SAFE_NO_PAD.encode(self.0))
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}

/// The keys derived from one secret, one per purpose, so that no two uses share key material
/// and the secret itself is never used as a key.
#[derive(Zeroize, ZeroizeOnDrop)]
pub(crate) struct DerivedKeys {
    pub(crate) seal: [u8; DERIVED_KEY_LEN],
    pub(crate) id_mac: [u8; DERIVED_KEY_LEN],
}

/// One secret's keys. The secret itself is not kept: only the keys derived from it, which are
/// zeroized when the `Key` is dropped and never printed.
pub struct Key {
    id: KeyId,
    keys: DerivedKeys,
}

impl Key {
    /// Derives a key from a secret of at least [`MIN_SECRET_LEN`] bytes.
    ///
    /// ```
    /// use session_core::Key;
    ///
    /// let key = Key::from_secret("a secret of at least thirty-two bytes!")?;
    /// assert!(Key::from_secret("too short").is_err());
    /// # Ok::<(), session_core::KeyError>(())
    /// ```
    pub fn from_secret(secret: impl AsRef<[u8]>) -> Result<Self, KeyError> {
        let secret = secret.as_ref();
        if secret.len() < MIN_SECRET_LEN {
            return Err(KeyError::TooShort { len: secret.len() });
        }
        let mut id = [0u8; KEY_ID_LEN];
        let mut keys = DerivedKeys { seal: [0; DERIVED_KEY_LEN], id_mac: [0; DERIVED_KEY_LEN] };
        // HKDF-SHA256 only fails for output lengths far beyond these.
        let derive = |info: &[u8], out: &mut [u8]| {
            Hkdf::<SHA256>::derive_key(KDF_SALT, secret, Some(info), out)
                .map_err(|_| KeyError::Derivation)
        };
        derive(SEAL_INFO, &mut keys.seal)?;
        derive(ID_MAC_INFO, &mut keys.id_mac)?;
        derive(KEY_ID_INFO, &mut id)?;
        Ok(Self { id: KeyId(id), keys })
    }

    /// A key from fresh OS randomness, valid for this process only.
    pub fn generate() -> Result<Self, KeyError> {
        let secret = Zeroizing(generate_secret_bytes()?);
        Self::from_secret(&secret.0)
    }

    /// This key's public id.
    pub fn id(&self) -> KeyId {
        self.id
    }

    pub(crate) fn keys(&self) -> &DerivedKeys {
        &self.keys
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key").field("id", &self.id).finish_non_exhaustive()
    }
}

/// Wipes a stack buffer on every path out of a function.
struct Zeroizing([u8; GENERATED_SECRET_LEN]);

impl Drop for Zeroizing {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// Fresh random secret bytes straight from the operating system.
pub(crate) fn generate_secret_bytes() -> Result<[u8; GENERATED_SECRET_LEN], KeyError> {
    let mut bytes = [0u8; GENERATED_SECRET_LEN];
    orion::util::secure_rand_bytes(&mut bytes).map_err(|_| KeyError::Random)?;
    Ok(bytes)
}

/// A fresh secret, as printed by the `keygen` binary: 32 random bytes in base64url.
pub fn generate_secret() -> Result<String, KeyError> {
    let mut bytes = Zeroizing(generate_secret_bytes()?);
    let secret = URL_SAFE_NO_PAD.encode(bytes.0);
    bytes.0.zeroize();
    Ok(secret)
}

/// The keys an application accepts: the first seals, every one opens.
///
/// Rotation: put the new secret first and keep the old one after it. Sessions sealed with the
/// old key still open, and are re-sealed with the new one the next time they are written. Drop
/// the old secret once every session has been rewritten or has expired.
///
/// ```
/// use session_core::Keyring;
///
/// let keyring = Keyring::from_secrets(
///     "the new secret, at least thirty-two bytes",
///     ["the old secret, at least thirty-two bytes"],
/// )?;
/// assert_eq!(keyring.len(), 2);
/// # Ok::<(), session_core::KeyError>(())
/// ```
#[derive(Clone)]
pub struct Keyring {
    keys: Arc<[Key]>,
}

impl Keyring {
    /// A keyring with one key.
    pub fn new(current: Key) -> Self {
        Self { keys: Arc::from(vec![current]) }
    }

    /// A keyring that seals with `current` and also opens what `previous` sealed.
    ///
    /// A previous key with the same id as an earlier one (the same secret twice) is dropped.
    pub fn with_previous(current: Key, previous: impl IntoIterator<Item = Key>) -> Self {
        let mut keys = vec![current];
        for key in previous {
            if keys.iter().all(|k| k.id != key.id) {
                keys.push(key);
            }
        }
        Self { keys: Arc::from(keys) }
    }

    /// Derives a keyring from the current secret and any previous ones.
    pub fn from_secrets<S: AsRef<[u8]>>(
        current: S,
        previous: impl IntoIterator<Item = S>,
    ) -> Result<Self, KeyError> {
        let previous = previous.into_iter().map(Key::from_secret).collect::<Result<Vec<_>, _>>()?;
        Ok(Self::with_previous(Key::from_secret(current)?, previous))
    }

    /// A keyring with one random key that lives as long as this process.
    pub fn generate() -> Result<Self, KeyError> {
        Ok(Self::new(Key::generate()?))
    }

    /// The key that seals.
    pub fn current(&self) -> &Key {
        // `keys` is never empty: every constructor puts `current` first.
        &self.keys[0]
    }

    /// The key with this id, if the keyring holds it.
    pub fn find(&self, id: KeyId) -> Option<&Key> {
        self.keys.iter().find(|k| k.id == id)
    }

    /// Every key, the current one first.
    pub fn iter(&self) -> impl Iterator<Item = &Key> {
        self.keys.iter()
    }

    /// How many keys the keyring holds (never zero).
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Always false: a keyring holds at least its current key.
    pub fn is_empty(&self) -> bool {
        false
    }
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.keys.iter().map(|k| k.id)).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn short_secrets_are_refused_with_their_length() {
        assert_eq!(Key::from_secret("x".repeat(31)).unwrap_err(), KeyError::TooShort { len: 31 });
        let message = Key::from_secret("short").unwrap_err().to_string();
        assert!(message.contains("at least 32"), "{message}");
        assert!(Key::from_secret("x".repeat(32)).is_ok());
    }

    #[test]
    fn derivation_is_deterministic_and_separates_purposes() {
        let a = Key::from_secret(SECRET).unwrap();
        let b = Key::from_secret(SECRET).unwrap();
        assert_eq!(a.id(), b.id());
        assert_eq!(a.keys().seal, b.keys().seal);
        assert_ne!(a.keys().seal, a.keys().id_mac);
        assert_ne!(&a.keys().seal[..], SECRET.as_bytes(), "the raw secret is never a key");
        let other = Key::from_secret(format!("{SECRET}!")).unwrap();
        assert_ne!(a.id(), other.id());
        assert_ne!(a.keys().seal, other.keys().seal);
    }

    #[test]
    fn debug_never_shows_key_material() {
        let key = Key::from_secret(SECRET).unwrap();
        let shown = format!("{key:?} {:?}", Keyring::new(Key::from_secret(SECRET).unwrap()));
        assert!(shown.contains(&key.id().to_string()));
        assert!(!shown.contains(SECRET));
        assert!(!shown.contains("seal") && !shown.contains("id_mac"), "{shown}");
    }

    #[test]
    fn key_ids_round_trip_through_text() {
        let id = Key::from_secret(SECRET).unwrap().id();
        assert_eq!(id.to_string().len(), 8);
        assert_eq!(KeyId::parse(&id.to_string()), Some(id));
        assert_eq!(KeyId::parse("short"), None);
        assert_eq!(KeyId::parse("toolongforanid"), None);
    }

    #[test]
    fn keyring_seals_with_the_first_and_finds_all() {
        let old = "an old secret that is long enough!!";
        let ring = Keyring::from_secrets(SECRET, [old, SECRET]).unwrap();
        assert_eq!(ring.len(), 2, "the duplicate secret is dropped");
        assert_eq!(ring.current().id(), Key::from_secret(SECRET).unwrap().id());
        let old_id = Key::from_secret(old).unwrap().id();
        assert_eq!(ring.find(old_id).map(Key::id), Some(old_id));
    }

    #[test]
    fn generated_secrets_are_long_random_and_accepted() {
        let a = generate_secret().unwrap();
        let b = generate_secret().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(Key::from_secret(&a).is_ok());
        assert_ne!(Key::generate().unwrap().id(), Key::generate().unwrap().id());
    }
}
