//! Property tests: sealing round-trips any session, no altered bit ever opens, and no cookie
//! header, however malformed, makes the lifecycle panic or fail.
#![allow(clippy::unwrap_used)]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use proptest::prelude::*;
use serde_json::{Value, json};
use session_core::testkit::{block_on, manager as sessions};
use session_core::{Backend, SessionData, SessionManager};

/// Any JSON value a session might hold, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        ".{0,20}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(".{0,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Seals `entries` through the lifecycle and returns the cookie pair.
fn seal(sessions: &SessionManager, entries: &[(String, Value)]) -> String {
    block_on(async {
        let session = sessions.start([]);
        for (key, value) in entries {
            session.insert(key, value).await.unwrap();
        }
        let set_cookie = sessions.finish(&session).await.unwrap().unwrap();
        set_cookie.as_str().split(';').next().unwrap().to_owned()
    })
}

fn open(sessions: &SessionManager, cookie_header: &str) -> SessionData {
    block_on(async { sessions.start([cookie_header]).data().await.unwrap() })
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(prop::test_runner::FileFailurePersistence::WithSource(
            "regressions",
        ))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_session_round_trips_through_a_sealed_cookie(
        entries in prop::collection::btree_map(".{1,12}", json_value(), 1..6)
    ) {
        let sessions = sessions(Backend::Cookie);
        let entries: Vec<_> = entries.into_iter().collect();
        let data = open(&sessions, &seal(&sessions, &entries));
        for (key, value) in &entries {
            prop_assert_eq!(data.get::<Value>(key).unwrap(), Some(value.clone()));
        }
        prop_assert_eq!(data.len(), entries.len());
    }

    #[test]
    fn a_flipped_bit_anywhere_in_a_sealed_cookie_is_rejected(
        bit in 0usize..4096,
        in_footer in any::<bool>(),
    ) {
        let sessions = sessions(Backend::Cookie);
        let cookie = seal(&sessions, &[("user".into(), json!("ada")), ("count".into(), json!(1))]);
        let token = cookie.strip_prefix("_idx=v4.local.").unwrap();
        let (body, footer) = token.split_once('.').unwrap();
        let mut bytes = URL_SAFE_NO_PAD.decode(if in_footer { footer } else { body }).unwrap();
        let bit = bit % (bytes.len() * 8);
        bytes[bit / 8] ^= 1 << (bit % 8);
        let flipped = URL_SAFE_NO_PAD.encode(&bytes);
        let altered = if in_footer {
            format!("_idx=v4.local.{body}.{flipped}")
        } else {
            format!("_idx=v4.local.{flipped}.{footer}")
        };
        prop_assert!(open(&sessions, &altered).is_empty());
    }

    #[test]
    fn a_flipped_bit_in_a_signed_session_id_is_rejected(bit in 0usize..1024) {
        let sessions = sessions(Backend::Memory);
        let cookie = seal(&sessions, &[("count".into(), json!(1))]);
        let mut bytes = cookie.into_bytes();
        let at = "_idx=".len() + bit % (bytes.len() - "_idx=".len());
        bytes[at] ^= 1 << (bit % 7);
        let altered = String::from_utf8_lossy(&bytes).into_owned();
        prop_assert!(open(&sessions, &altered).is_empty());
    }

    #[test]
    fn arbitrary_cookie_headers_never_panic_or_fail(
        headers in prop::collection::vec(any::<String>(), 0..4),
        value in ".{0,200}",
    ) {
        for backend in [Backend::Cookie, Backend::Memory] {
            let sessions = sessions(backend);
            let mut headers = headers.clone();
            headers.push(format!("_idx={value}"));
            headers.push(format!("_idx=v4.local.{value}"));
            block_on(async {
                let session = sessions.start(headers.iter().map(String::as_str));
                assert!(session.is_empty().await.unwrap());
                assert!(session.take_flashes().await.unwrap().is_empty());
                assert!(sessions.finish(&session).await.unwrap().is_none());
            });
        }
    }
}
