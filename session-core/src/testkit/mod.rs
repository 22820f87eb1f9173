//! Test helpers for adapters and stores (the `testkit` feature): the acceptance suite every
//! [`SessionStore`](crate::SessionStore) must pass, a store wrapper that counts calls and can
//! fail on demand, and a clock tests can move.

mod clock;
mod instrumented;
pub mod store_acceptance;

pub use self::clock::ManualClock;
pub use self::instrumented::{InstrumentedStore, StoreCalls};
use crate::{Backend, Keyring, SessionConfig, SessionManager};

/// The secret [`manager`] uses. Public so that a test can seal what the manager opens; never
/// use it outside tests.
pub const TEST_SECRET: &str = "session-core testkit secret: tests only, never deploy";

/// A manager for `backend` keyed with [`TEST_SECRET`], with plain-http cookies (no `Secure`)
/// and the default expiry.
pub fn manager(backend: Backend) -> SessionManager {
    let config = Keyring::from_secrets(TEST_SECRET, [])
        .map_err(crate::ConfigError::from)
        .and_then(|keyring| {
            SessionConfig::builder().keyring(keyring).backend(backend).secure(false).build()
        })
        .and_then(SessionManager::new);
    match config {
        Ok(manager) => manager,
        Err(error) => panic!("testkit: {error}"),
    }
}

/// Runs a future to completion on a fresh current-thread tokio runtime, so that test macros
/// need no runtime of the caller's.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime.block_on(future),
        Err(error) => panic!("testkit: cannot start a tokio runtime: {error}"),
    }
}

/// Generates one `#[test]` per check of [`store_acceptance`] for a store.
///
/// `$make` is an expression (it may `.await`) that builds a fresh, empty-enough store; it is
/// evaluated once per test.
///
/// ```
/// session_core::store_acceptance_tests!(memory_store, async { session_core::MemoryStore::new() });
/// ```
#[macro_export]
macro_rules! store_acceptance_tests {
    ($module:ident, $make:expr) => {
        #[cfg(test)]
        mod $module {
            #[allow(unused_imports)]
            use super::*;
            $crate::store_acceptance_tests!(@tests $make;
                unknown_id_loads_nothing,
                created_record_round_trips,
                create_never_overwrites,
                save_bumps_the_version,
                stale_save_is_a_conflict,
                save_of_a_missing_record_is_a_conflict,
                expired_records_are_not_served,
                touch_moves_expiry_only,
                delete_is_idempotent,
                conditional_delete_checks_the_version,
            );
        }
    };
    (@tests $make:expr; $($check:ident),* $(,)?) => {
        $(
            #[test]
            fn $check() {
                $crate::testkit::block_on(async {
                    let store = $make.await;
                    $crate::testkit::store_acceptance::$check(&store).await;
                });
            }
        )*
    };
}
