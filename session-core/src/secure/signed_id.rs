//! The cookie of a server-side session: its id and a MAC over it, so that a forged or
//! mistyped id is rejected without a store call.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use orion::hazardous::mac::blake2b::{Blake2b, SecretKey as MacKey};

use super::keyring::{Key, Keyring};

/// Bytes of MAC; 43 base64url characters in the cookie.
const MAC_LEN: usize = 32;
const MAC_TEXT_LEN: usize = 43;
const _: () = assert!(MAC_TEXT_LEN == (MAC_LEN * 4).div_ceil(3));

/// `id.mac`, with the MAC made by the keyring's current key.
pub(crate) fn sign(key: &Key, id: &str) -> String {
    let mut value = String::with_capacity(id.len() + 1 + MAC_TEXT_LEN);
    value.push_str(id);
    value.push('.');
    // `mac` only fails for a key of the wrong length, which the types rule out; a value with
    // an empty MAC never verifies, so even then this fails closed.
    if let Some(tag) = mac(key, id) {
        URL_SAFE_NO_PAD.encode_string(tag.unprotected_as_ref::<[u8]>(), &mut value);
    }
    value
}

/// The id in `value`, if some key in the keyring made its MAC.
pub(crate) fn verify<'v>(keyring: &Keyring, value: &'v str) -> Option<&'v str> {
    let (id, mac_text) = value.rsplit_once('.')?;
    if mac_text.len() != MAC_TEXT_LEN {
        return None;
    }
    let mut claimed = [0u8; MAC_LEN];
    match URL_SAFE_NO_PAD.decode_slice(mac_text, &mut claimed) {
        Ok(MAC_LEN) => {}
        _ => return None,
    }
    // `Tag == [u8]` is orion's constant-time comparison.
    keyring.iter().any(|key| mac(key, id).is_some_and(|tag| tag == claimed[..])).then_some(id)
}

fn mac(key: &Key, id: &str) -> Option<orion::hazardous::mac::blake2b::Tag> {
    let key = MacKey::try_from(&key.keys().id_mac[..]).ok()?;
    let mut state = Blake2b::new(&key, MAC_LEN).ok()?;
    state.update(id.as_bytes()).ok()?;
    state.finalize().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(secrets: &[&str]) -> Keyring {
        Keyring::from_secrets(secrets[0], secrets[1..].iter().copied()).unwrap()
    }

    const A: &str = "secret A, at least thirty-two bytes long";
    const B: &str = "secret B, at least thirty-two bytes long";

    #[test]
    fn a_signed_id_verifies_with_any_key_of_the_keyring() {
        let keys = ring(&[A]);
        let value = sign(keys.current(), "some-id");
        assert_eq!(verify(&keys, &value), Some("some-id"));
        let rotated = ring(&[B, A]);
        assert_eq!(verify(&rotated, &value), Some("some-id"));
        assert_eq!(verify(&ring(&[B]), &value), None);
    }

    #[test]
    fn forged_or_altered_values_are_rejected() {
        let keys = ring(&[A]);
        let value = sign(keys.current(), "some-id");
        let (id, mac) = value.rsplit_once('.').unwrap();
        assert_eq!(verify(&keys, &format!("other-id.{mac}")), None);
        assert_eq!(verify(&keys, &format!("{id}.{}", &mac[1..])), None);
        assert_eq!(verify(&keys, &format!("{id}.{mac}=")), None);
        assert_eq!(verify(&keys, id), None);
        assert_eq!(verify(&keys, ""), None);
    }
}
