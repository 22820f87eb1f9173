//! All of the cryptography, in three short files: PASETO v4.local sealing ([`paseto`]), keys
//! and their rotation ([`keyring`]), and the MAC that makes a server-side session id
//! unforgeable ([`signed_id`]). Everything else in the crate handles only opaque strings.

pub(crate) mod keyring;
pub(crate) mod paseto;
pub(crate) mod signed_id;

use rand::Rng as _;

/// Random bytes for nonces and session ids.
///
/// A thread-local ChaCha CSPRNG seeded (and periodically reseeded) from the operating system,
/// so that a seal costs no system call.
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}
