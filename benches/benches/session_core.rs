//! What a request costs in session-core, and the choices behind it, each measured side by side
//! with the alternative it beat: `cargo bench -p benches --bench session_core`.
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use rand::Rng as _;
use session_core::testkit::manager;
use session_core::{Backend, SessionData};

/// A session of about 2 KB: a user, a counter and a 30-line cart.
fn two_kb_session() -> String {
    let cart: Vec<_> = (0..32)
        .map(|i| serde_json::json!({"item": format!("item-number-{i:03}"), "qty": i % 9 + 1, "note": "gift wrap, please"}))
        .collect();
    serde_json::json!({"user": "ada", "count": 41, "cart": cart}).to_string()
}

/// Nonces: a thread-local CSPRNG (what sealing uses) against a system call per nonce.
fn nonce(c: &mut Criterion) {
    let mut group = c.benchmark_group("nonce_32_bytes");
    group.bench_function("thread_local_csprng", |b| {
        b.iter(|| {
            let mut nonce = [0u8; 32];
            rand::rng().fill_bytes(&mut nonce);
            black_box(nonce)
        })
    });
    group.bench_function("os_getrandom_per_nonce", |b| {
        b.iter(|| {
            let mut nonce = [0u8; 32];
            orion::util::secure_rand_bytes(&mut nonce).unwrap();
            black_box(nonce)
        })
    });
    group.finish();
}

/// Opening a session: raw values decoded on demand against a full `Value` tree.
fn decode(c: &mut Criterion) {
    let json = two_kb_session();
    assert!((1900..2200).contains(&json.len()), "{}", json.len());
    let mut group = c.benchmark_group("decode_2kb_session");
    group.bench_function("lazy_raw_values", |b| {
        b.iter(|| SessionData::from_json(black_box(&json)).unwrap())
    });
    group.bench_function("value_tree", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&json)).unwrap())
    });
    group.finish();
}

/// A whole request's session work: `start`, the handler's calls, `finish`.
fn request(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let data = SessionData::from_json(&two_kb_session()).unwrap();
    let mut group = c.benchmark_group("request");
    for (name, backend) in [("cookie", Backend::Cookie), ("memory", Backend::Memory)] {
        let sessions = manager(backend);
        let cookie = runtime.block_on(async {
            let session = sessions.start([]);
            session.replace_with_struct(&data).await.unwrap();
            let set = sessions.finish(&session).await.unwrap().unwrap();
            set.as_str().split(';').next().unwrap().to_owned()
        });
        group.bench_function(format!("{name}/visitor_read"), |b| {
            b.to_async(&runtime).iter(|| async {
                let session = sessions.start([]);
                black_box(session.get::<u64>("count").await.unwrap());
                assert!(sessions.finish(&session).await.unwrap().is_none());
            })
        });
        group.bench_function(format!("{name}/read_2kb"), |b| {
            b.to_async(&runtime).iter(|| async {
                let session = sessions.start([cookie.as_str()]);
                black_box(session.get::<u64>("count").await.unwrap());
                assert!(sessions.finish(&session).await.unwrap().is_none());
            })
        });
        group.bench_function(format!("{name}/write_2kb"), |b| {
            let mut n = 0u64;
            b.to_async(&runtime).iter(|| {
                n += 1;
                let (sessions, cookie) = (&sessions, &cookie);
                async move {
                    let session = sessions.start([cookie.as_str()]);
                    session.insert("count", n).await.unwrap();
                    black_box(sessions.finish(&session).await.unwrap());
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, nonce, decode, request);
criterion_main!(benches);
