//! The demo shop that every adapter's example serves ([`shop`]), and the conformance suite
//! that holds every adapter to the demo contract ([`conformance`], run with
//! [`conformance_tests!`]).
//!
//! Unpublished: adapters use it in their examples and tests only.
#![forbid(unsafe_code)]

pub mod conformance;
pub mod shop;

#[doc(hidden)]
pub use session_core::testkit::block_on as __block_on;

/// Generates one `#[test]` per check of the [`conformance`] suite, for one adapter and one
/// backend.
///
/// * `sealed:` or `stored:` says whether the fixture's sessions are sealed cookies or
///   server-side; each kind adds the checks that only it can pass (413 for an oversized
///   cookie; conflicts and outages for a store).
/// * `fixture:` is an expression (it may `.await`) giving a fresh
///   [`Fixture`](conformance::Fixture) per test.
/// * `client:` turns the fixture's manager into the adapter's
///   [`DemoClient`](conformance::DemoClient): the demo app built on that manager.
///
/// ```
/// use session_demo::conformance::{DemoClient, Fixture, TestRequest, TestResponse};
/// # struct MyDemo(session_core::SessionManager);
/// # #[async_trait::async_trait]
/// # impl DemoClient for MyDemo {
/// #     async fn send(&self, _: TestRequest) -> TestResponse { unimplemented!() }
/// # }
///
/// session_demo::conformance_tests!(sealed: cookie_sessions,
///     fixture: async { Fixture::cookie() },
///     client: |manager| MyDemo(manager));
/// # fn main() {}
/// ```
#[macro_export]
macro_rules! conformance_tests {
    (sealed: $module:ident, fixture: $fixture:expr, client: $client:expr $(,)?) => {
        $crate::conformance_tests!(@module $module, $fixture, $client;
            oversized_session_is_413_and_the_old_cookie_stays_valid,
        );
    };
    (stored: $module:ident, fixture: $fixture:expr, client: $client:expr $(,)?) => {
        $crate::conformance_tests!(@module $module, $fixture, $client;
            large_sessions_fit_a_store,
            concurrent_writes_lose_nothing,
            store_outage_is_503_then_recovers,
        );
    };
    (@module $module:ident, $fixture:expr, $client:expr; $($extra:ident),* $(,)?) => {
        mod $module {
            #[allow(unused_imports)]
            use super::*;
            $crate::conformance_tests!(@tests $fixture, $client;
                counting,
                log_in_renews_the_id_and_keeps_the_data,
                flash_is_shown_once,
                cart_adds_up_in_insertion_order,
                bad_form_input_is_400_and_changes_nothing,
                bad_cookies_are_fresh_sessions,
                expired_sessions_are_fresh,
                duplicate_cookies_use_the_valid_one,
                log_out_clears_the_cookie_and_the_record,
                unchanged_reads_send_nothing,
                visitors_get_no_cookie_and_no_record,
                $($extra,)*
            );
        }
    };
    (@tests $fixture:expr, $client:expr; $($check:ident),* $(,)?) => {
        $(
            #[test]
            fn $check() {
                $crate::__block_on(async {
                    let fixture: $crate::conformance::Fixture = $fixture.await;
                    let client: ::std::sync::Arc<dyn $crate::conformance::DemoClient> =
                        ::std::sync::Arc::new(($client)(fixture.manager().clone()));
                    $crate::conformance::$check(&fixture, &client).await;
                });
            }
        )*
    };
}
