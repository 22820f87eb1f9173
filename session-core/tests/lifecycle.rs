//! The request lifecycle, through the public API adapters use: `start` with the request's
//! cookies, the handler's calls, `finish` for the `Set-Cookie` and the store writes.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use session_core::testkit::{InstrumentedStore, ManualClock, StoreCalls};
use session_core::{
    Backend, Expiry, Keyring, MemoryStore, Session, SessionConfig, SessionError, SessionManager,
    SetCookie,
};
use time::macros::datetime;

const SECRET: &str = "the current secret, at least 32 bytes long";
const OLD_SECRET: &str = "the previous secret, at least 32 bytes long";
const MINUTE: Duration = Duration::from_secs(60);

/// One app: a manager, its clock and, for server-side sessions, its instrumented store.
struct App {
    sessions: SessionManager,
    clock: Arc<ManualClock>,
    store: Option<InstrumentedStore<MemoryStore>>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Cookie,
    Memory,
}

const BOTH: [Kind; 2] = [Kind::Cookie, Kind::Memory];

fn expiry() -> Expiry {
    Expiry::default().idle(30 * MINUTE).absolute(240 * MINUTE).refresh_interval(5 * MINUTE)
}

impl App {
    fn new(kind: Kind) -> Self {
        Self::with(kind, Keyring::from_secrets(SECRET, []).unwrap(), expiry())
    }

    fn with(kind: Kind, keyring: Keyring, expiry: Expiry) -> Self {
        let clock = Arc::new(ManualClock::new(datetime!(2026-06-01 12:00 UTC)));
        let config = SessionConfig::builder()
            .keyring(keyring)
            .expiry(expiry)
            .clock(clock.clone())
            .backend(match kind {
                Kind::Cookie => Backend::Cookie,
                Kind::Memory => Backend::Memory,
            })
            .build()
            .unwrap();
        match kind {
            Kind::Cookie => {
                Self { sessions: SessionManager::new(config).unwrap(), clock, store: None }
            }
            Kind::Memory => {
                let store = InstrumentedStore::new(MemoryStore::with_clock(clock.clone()));
                let sessions = SessionManager::with_store(config, Arc::new(store.clone()));
                Self { sessions, clock, store: Some(store) }
            }
        }
    }

    /// Same keys and store, another keyring: what a redeploy with rotated secrets sees.
    fn rekeyed(&self, keyring: Keyring) -> Self {
        let config = SessionConfig::builder()
            .keyring(keyring)
            .expiry(expiry())
            .clock(self.clock.clone())
            .build()
            .unwrap();
        let sessions = match &self.store {
            None => SessionManager::new(config).unwrap(),
            Some(store) => SessionManager::with_store(config, Arc::new(store.clone())),
        };
        Self { sessions, clock: self.clock.clone(), store: self.store.clone() }
    }

    /// One request carrying `cookies` (values of `Cookie` headers), running `handler`.
    async fn request<R>(
        &self,
        cookies: &[&str],
        handler: impl AsyncFnOnce(&Session) -> R,
    ) -> (R, Result<Option<SetCookie>, SessionError>) {
        let session = self.sessions.start(cookies.iter().copied());
        let out = handler(&session).await;
        (out, self.sessions.finish(&session).await)
    }

    fn calls(&self) -> StoreCalls {
        self.store.as_ref().map(InstrumentedStore::calls).unwrap_or_default()
    }

    fn records(&self) -> usize {
        self.store.as_ref().map_or(0, |s| s.inner().len())
    }
}

/// `name=value` of a `Set-Cookie`, as the browser sends it back.
fn pair(set_cookie: &SetCookie) -> String {
    set_cookie.as_str().split(';').next().unwrap().to_owned()
}

fn has_attr(set_cookie: &SetCookie, attr: &str) -> bool {
    set_cookie.as_str().split(';').skip(1).any(|a| a.trim() == attr)
}

/// Starts a session holding `count = 1`; returns the cookie pair.
async fn counted(app: &App) -> String {
    let (_, set) = app.request(&[], async |s| s.insert("count", 1).await.unwrap()).await;
    pair(&set.unwrap().unwrap())
}

/// A request that only reads `count`: the value, and what `finish` answered.
async fn read_count(
    app: &App,
    cookie: &str,
) -> (Option<i64>, Result<Option<SetCookie>, SessionError>) {
    app.request(&[cookie], async |s| s.get::<i64>("count").await.unwrap()).await
}

async fn count(app: &App, cookie: &str) -> Option<i64> {
    read_count(app, cookie).await.0
}

#[tokio::test]
async fn a_visitor_who_never_writes_gets_no_cookie_and_no_record() {
    for kind in BOTH {
        let app = App::new(kind);
        let (value, set) = app
            .request(&[], async |s| {
                s.flashes().await.unwrap();
                s.get::<String>("user").await.unwrap()
            })
            .await;
        assert_eq!(value, None);
        assert_eq!(set.unwrap(), None, "{kind:?}");
        assert_eq!(app.records(), 0);
        assert_eq!(app.calls().writes(), 0);
    }
}

#[tokio::test]
async fn a_write_sets_a_secure_cookie_that_opens_on_the_next_request() {
    for kind in BOTH {
        let app = App::new(kind);
        let (_, set) = app.request(&[], async |s| s.insert("user", "ada").await.unwrap()).await;
        let set = set.unwrap().unwrap();
        assert!(set.as_str().starts_with("_idx="), "{set}");
        for attr in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/", "Max-Age=1800"] {
            assert!(has_attr(&set, attr), "{kind:?}: {attr} in {set}");
        }
        assert!(set.as_str().contains("Expires="));
        let (user, again) =
            app.request(&[&pair(&set)], async |s| s.get::<String>("user").await.unwrap()).await;
        assert_eq!(user.as_deref(), Some("ada"));
        assert_eq!(again.unwrap(), None, "a read sends nothing back");
    }
}

#[tokio::test]
async fn an_unchanged_session_causes_no_write_and_no_cookie() {
    for kind in BOTH {
        let app = App::new(kind);
        let cookie = counted(&app).await;
        let before = app.calls();
        let (_, set) = app
            .request(&[&cookie], async |s| {
                let n: i64 = s.get("count").await.unwrap().unwrap();
                s.insert("count", n).await.unwrap(); // the same value: no change
                s.remove("missing").await.unwrap();
            })
            .await;
        assert_eq!(set.unwrap(), None, "{kind:?}");
        assert_eq!(app.calls().writes(), before.writes(), "{kind:?}: no store write");
    }
}

#[tokio::test]
async fn an_untouched_session_is_not_even_opened() {
    let app = App::new(Kind::Memory);
    let cookie = counted(&app).await;
    let before = app.calls();
    let (_, set) = app.request(&[&cookie], async |_| ()).await;
    assert_eq!(set.unwrap(), None);
    assert_eq!(app.calls(), before, "no store call at all");
}

#[tokio::test]
async fn counting_changes_are_written_each_time() {
    for kind in BOTH {
        let app = App::new(kind);
        let mut cookie = counted(&app).await;
        for expected in 2..=4 {
            let (_, set) = app
                .request(&[&cookie], async |s| {
                    let n: i64 = s.get("count").await.unwrap().unwrap_or(0);
                    s.insert("count", n + 1).await.unwrap();
                })
                .await;
            if let Some(set) = set.unwrap() {
                cookie = pair(&set);
            }
            assert_eq!(count(&app, &cookie).await, Some(expected), "{kind:?}");
        }
        assert!(app.records() <= 1, "one record per session");
    }
}

#[tokio::test]
async fn bad_cookies_are_fresh_sessions_never_errors() {
    for kind in BOTH {
        let app = App::new(kind);
        let good = counted(&app).await;
        let value = good.strip_prefix("_idx=").unwrap();
        let foreign = {
            let other = App::with(kind, Keyring::from_secrets(OLD_SECRET, []).unwrap(), expiry());
            counted(&other).await
        };
        let mut tampered = value.as_bytes().to_vec();
        let middle = tampered.len() / 2;
        tampered[middle] = if tampered[middle] == b'A' { b'B' } else { b'A' };
        let tampered = format!("_idx={}", String::from_utf8(tampered).unwrap());
        let truncated = format!("_idx={}", &value[..value.len() - 5]);
        let bad = [
            "_idx=garbage".to_owned(),
            "_idx=".to_owned(),
            "_idx=v4.local.".to_owned(),
            "_idx=v4.local.AAAA.BBBB".to_owned(),
            "_idx=%zz%".to_owned(),
            "_idx=a.b".to_owned(),
            "_idx=\u{1F600}".to_owned(),
            truncated,
            tampered,
            foreign,
            value.to_owned(), // no name
            format!("other={value}"),
        ];
        for cookie in &bad {
            let before = app.calls().loads;
            let (empty, set) = app.request(&[cookie], async |s| s.is_empty().await).await;
            assert!(empty.unwrap(), "{kind:?}: {cookie:?} opens as an empty session");
            assert_eq!(set.unwrap(), None);
            assert_eq!(app.calls().loads, before, "{kind:?}: {cookie:?} needs no store call");
        }
        assert_eq!(count(&app, &good).await, Some(1), "the good cookie still works");
    }
}

#[tokio::test]
async fn a_cookie_naming_a_deleted_record_is_a_fresh_session() {
    let app = App::new(Kind::Memory);
    let cookie = counted(&app).await;
    let (_, logout) = app.request(&[&cookie], async |s| s.destroy().await.unwrap()).await;
    assert!(logout.unwrap().is_some());
    assert_eq!(count(&app, &cookie).await, None);
}

#[tokio::test]
async fn of_duplicate_cookies_the_first_that_opens_wins() {
    for kind in BOTH {
        let app = App::new(kind);
        let first = counted(&app).await;
        let (_, set) = app.request(&[], async |s| s.insert("count", 2).await.unwrap()).await;
        let second = pair(&set.unwrap().unwrap());
        let header = format!("_idx=junk; {first}; {second}");
        assert_eq!(count(&app, &header).await, Some(1), "{kind:?}");
        assert_eq!(count(&app, &format!("{second}; {first}")).await, Some(2));
        // Split over several Cookie headers, as HTTP/2 clients send them.
        assert_eq!(count(&app, "_idx=junk").await, None);
        let (n, _) = app
            .request(&["_idx=junk", &second], async |s| s.get::<i64>("count").await.unwrap())
            .await;
        assert_eq!(n, Some(2));
    }
}

#[tokio::test]
async fn a_cookie_over_4096_bytes_is_refused_and_the_old_one_stays_valid() {
    let app = App::new(Kind::Cookie);
    let cookie = counted(&app).await;
    let (_, set) = app
        .request(&[&cookie], async |s| {
            s.insert("count", 2).await.unwrap();
            s.insert("notes", "x".repeat(5000)).await.unwrap();
        })
        .await;
    let error = set.unwrap_err();
    assert!(matches!(error, SessionError::TooLarge { limit: 4096, .. }), "{error}");
    assert_eq!(error.http_status(), 413);
    assert_eq!(count(&app, &cookie).await, Some(1), "the previous session is unchanged");

    // Just under the limit is fine; a server-side session has no such limit.
    let (_, set) =
        app.request(&[], async |s| s.insert("notes", "x".repeat(2500)).await.unwrap()).await;
    assert!(set.unwrap().unwrap().as_str().len() > 3000);
    let server = App::new(Kind::Memory);
    let (_, set) =
        server.request(&[], async |s| s.insert("notes", "x".repeat(5000)).await.unwrap()).await;
    assert!(set.unwrap().unwrap().as_str().len() < 200);
}

#[tokio::test]
async fn flash_messages_are_shown_once() {
    for kind in BOTH {
        let app = App::new(kind);
        let (_, set) = app
            .request(&[], async |s| {
                s.flash("Welcome, ada").await.unwrap();
                s.flash("2 items in cart").await.unwrap();
            })
            .await;
        let mut cookie = pair(&set.unwrap().unwrap());
        let (listed, set) = app.request(&[&cookie], async |s| s.flashes().await.unwrap()).await;
        assert_eq!(listed, ["Welcome, ada", "2 items in cart"]);
        assert_eq!(set.unwrap(), None, "listing does not consume");
        let (taken, set) = app.request(&[&cookie], async |s| s.take_flashes().await.unwrap()).await;
        assert_eq!(taken, ["Welcome, ada", "2 items in cart"]);
        if let Some(set) = set.unwrap() {
            cookie = pair(&set);
        }
        let (again, _) = app.request(&[&cookie], async |s| s.take_flashes().await.unwrap()).await;
        assert!(again.is_empty(), "{kind:?}: shown once");
    }
}

#[tokio::test]
async fn regenerate_gives_a_new_identity_and_keeps_the_data() {
    for kind in BOTH {
        let app = App::new(kind);
        let old = counted(&app).await;
        let (_, set) = app
            .request(&[&old], async |s| {
                s.insert("user", "ada").await.unwrap();
                s.regenerate().await.unwrap();
            })
            .await;
        let new = pair(&set.unwrap().unwrap());
        assert_ne!(new, old);
        assert_eq!(count(&app, &new).await, Some(1), "{kind:?}: data kept");
        if kind == Kind::Memory {
            assert_eq!(count(&app, &old).await, None, "the old id no longer opens");
            assert_eq!(app.records(), 1, "the old record is gone");
        }
        // Regenerating without another change still re-issues.
        let (_, set) = app.request(&[&new], async |s| s.regenerate().await.unwrap()).await;
        assert_ne!(pair(&set.unwrap().unwrap()), new);
    }
}

#[tokio::test]
async fn destroy_deletes_the_record_and_clears_the_cookie() {
    for kind in BOTH {
        let app = App::new(kind);
        let cookie = counted(&app).await;
        let (_, set) = app.request(&[&cookie], async |s| s.destroy().await.unwrap()).await;
        let set = set.unwrap().unwrap();
        assert_eq!(pair(&set), "_idx=");
        assert!(has_attr(&set, "Max-Age=0"), "{set}");
        assert_eq!(app.records(), 0, "{kind:?}");
        // A visitor without a cookie who "logs out" gets nothing.
        let (_, set) = app.request(&[], async |s| s.destroy().await.unwrap()).await;
        assert_eq!(set.unwrap(), None);
    }
}

#[tokio::test]
async fn writing_after_destroy_starts_a_new_session() {
    for kind in BOTH {
        let app = App::new(kind);
        let old = counted(&app).await;
        let (_, set) = app
            .request(&[&old], async |s| {
                s.destroy().await.unwrap();
                s.flash("Goodbye").await.unwrap();
            })
            .await;
        let new = pair(&set.unwrap().unwrap());
        let (data, _) = app
            .request(&[&new], async |s| {
                (s.get::<i64>("count").await.unwrap(), s.flashes().await.unwrap())
            })
            .await;
        assert_eq!(data, (None, vec!["Goodbye".to_owned()]), "{kind:?}");
        if kind == Kind::Memory {
            assert_eq!(count(&app, &old).await, None);
            assert_eq!(app.records(), 1);
        }
    }
}

#[tokio::test]
async fn clearing_every_key_drops_the_cookie_and_record() {
    for kind in BOTH {
        let app = App::new(kind);
        let cookie = counted(&app).await;
        let (_, set) = app.request(&[&cookie], async |s| s.clear().await.unwrap()).await;
        assert!(has_attr(&set.unwrap().unwrap(), "Max-Age=0"));
        assert_eq!(app.records(), 0, "{kind:?}");
    }
}

#[tokio::test]
async fn idle_sessions_expire() {
    for kind in BOTH {
        let app = App::new(kind);
        let cookie = counted(&app).await;
        app.clock.advance(29 * MINUTE);
        // Reading refreshes the idle timer (a refresh is due after 5 minutes) ...
        let (_, set) = read_count(&app, &cookie).await;
        let refreshed = set.unwrap().map(|s| pair(&s)).unwrap_or(cookie.clone());
        app.clock.advance(2 * MINUTE);
        assert_eq!(count(&app, &refreshed).await, Some(1), "{kind:?}: refreshed");
        // ... and an untouched session dies 30 minutes after its last use.
        app.clock.advance(31 * MINUTE);
        assert_eq!(count(&app, &refreshed).await, None, "{kind:?}: idle");
    }
}

#[tokio::test]
async fn the_absolute_lifetime_ends_even_an_active_session() {
    for kind in BOTH {
        let app = App::new(kind);
        let mut cookie = counted(&app).await;
        let mut died_at = None;
        for _ in 0..30 {
            app.clock.advance(10 * MINUTE);
            let (n, set) = app
                .request(&[&cookie], async |s| {
                    let n = s.get::<i64>("count").await.unwrap();
                    if let Some(n) = n {
                        s.insert("count", n + 1).await.unwrap();
                    }
                    n
                })
                .await;
            if let Some(set) = set.unwrap() {
                cookie = pair(&set);
            }
            if n.is_none() {
                died_at = Some(app.clock.now_minutes_since_start());
                break;
            }
        }
        // A write every 10 minutes keeps the idle timer fresh; the 4-hour lifetime ends it.
        assert_eq!(died_at, Some(240), "{kind:?}");
    }
}

/// Minutes since the test clock's start, for readable assertions.
trait Minutes {
    fn now_minutes_since_start(&self) -> i64;
}

impl Minutes for ManualClock {
    fn now_minutes_since_start(&self) -> i64 {
        use session_core::Clock as _;
        (self.now() - datetime!(2026-06-01 12:00 UTC)).whole_minutes()
    }
}

#[tokio::test]
async fn a_read_only_session_is_refreshed_at_most_once_per_interval() {
    for kind in BOTH {
        let app = App::new(kind);
        let cookie = counted(&app).await;
        app.clock.advance(4 * MINUTE);
        let (_, set) = read_count(&app, &cookie).await;
        assert_eq!(set.unwrap(), None, "{kind:?}: not yet due");
        app.clock.advance(MINUTE);
        let writes = app.calls().writes();
        let (_, set) = read_count(&app, &cookie).await;
        let set = set.unwrap().expect("due after 5 minutes");
        assert!(has_attr(&set, "Max-Age=1800"), "{set}");
        if kind == Kind::Memory {
            assert_eq!(app.calls().touches, 1, "a refresh touches, it does not save");
            assert_eq!(app.calls().writes(), writes + 1);
        }
        let (_, set) = read_count(&app, &pair(&set)).await;
        assert_eq!(set.unwrap(), None, "{kind:?}: just refreshed");
    }
}

#[tokio::test]
async fn browser_session_cookies_carry_no_max_age() {
    for kind in BOTH {
        let app =
            App::with(kind, Keyring::from_secrets(SECRET, []).unwrap(), expiry().browser_session());
        let (_, set) = app.request(&[], async |s| s.insert("count", 1).await.unwrap()).await;
        let set = set.unwrap().unwrap();
        assert!(!set.as_str().contains("Max-Age") && !set.as_str().contains("Expires"), "{set}");
        assert_eq!(count(&app, &pair(&set)).await, Some(1));
    }
}

#[tokio::test]
async fn rotation_opens_old_cookies_and_reseals_them_when_written() {
    for kind in BOTH {
        let before = App::new(kind);
        let old_cookie = counted(&before).await;
        // Redeploy: a new secret first, the old one kept for opening.
        let rotated = before.rekeyed(Keyring::from_secrets(OLD_SECRET, [SECRET]).unwrap());
        assert_eq!(count(&rotated, &old_cookie).await, Some(1), "{kind:?}: old key opens");
        let (_, set) = rotated.request(&[&old_cookie], async |s| s.get::<i64>("count").await).await;
        assert_eq!(set.unwrap(), None, "{kind:?}: reading does not re-seal");
        let (_, set) =
            rotated.request(&[&old_cookie], async |s| s.insert("count", 2).await.unwrap()).await;
        let new_cookie = pair(&set.unwrap().unwrap());
        // Once the old secret is dropped, only the re-sealed cookie opens.
        let retired = before.rekeyed(Keyring::from_secrets(OLD_SECRET, []).unwrap());
        assert_eq!(
            count(&retired, &new_cookie).await,
            Some(2),
            "{kind:?}: re-sealed with the new key"
        );
        assert_eq!(count(&retired, &old_cookie).await, None);
    }
}

#[tokio::test]
async fn a_stale_write_is_a_conflict_not_a_lost_update() {
    let app = App::new(Kind::Memory);
    let cookie = counted(&app).await;
    // Two requests load the same session before either writes.
    let a = app.sessions.start([cookie.as_str()]);
    let b = app.sessions.start([cookie.as_str()]);
    assert_eq!(a.get::<i64>("count").await.unwrap(), Some(1));
    assert_eq!(b.get::<i64>("count").await.unwrap(), Some(1));
    a.insert("cart", ["apple"]).await.unwrap();
    b.insert("count", 2).await.unwrap();
    assert!(app.sessions.finish(&a).await.is_ok());
    let error = app.sessions.finish(&b).await.unwrap_err();
    assert!(error.is_conflict(), "{error}");
    assert_eq!(error.http_status(), 409);
    let (cart, _) =
        app.request(&[&cookie], async |s| s.get::<Vec<String>>("cart").await.unwrap()).await;
    assert_eq!(cart, Some(vec!["apple".to_owned()]), "the first write survives");
    assert_eq!(count(&app, &cookie).await, Some(1), "the losing write is not stored");
}

#[tokio::test]
async fn regenerating_a_session_changed_meanwhile_is_a_conflict() {
    let app = App::new(Kind::Memory);
    let cookie = counted(&app).await;
    let login = app.sessions.start([cookie.as_str()]);
    login.insert("user", "ada").await.unwrap();
    login.regenerate().await.unwrap();
    app.request(&[&cookie], async |s| s.insert("count", 5).await.unwrap()).await.1.unwrap();
    let error = app.sessions.finish(&login).await.unwrap_err();
    assert!(error.is_conflict());
    assert_eq!(app.records(), 1, "the regenerated record was withdrawn");
    assert_eq!(count(&app, &cookie).await, Some(5), "the concurrent change survives");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_increments_are_all_stored_or_refused() {
    let app = Arc::new(App::new(Kind::Memory));
    let cookie = Arc::new(counted(&app).await);
    let tasks: Vec<_> = (0..24)
        .map(|_| {
            let (app, cookie) = (app.clone(), cookie.clone());
            tokio::spawn(async move {
                let (_, result) = app
                    .request(&[cookie.as_str()], async |s| {
                        let n: i64 = s.get("count").await.unwrap().unwrap();
                        tokio::task::yield_now().await;
                        s.insert("count", n + 1).await.unwrap();
                    })
                    .await;
                match result {
                    Ok(_) => true,
                    Err(e) if e.is_conflict() => false,
                    Err(e) => panic!("unexpected {e}"),
                }
            })
        })
        .collect();
    let mut acknowledged = 0;
    for task in tasks {
        acknowledged += i64::from(task.await.unwrap());
    }
    assert!(acknowledged >= 1);
    assert_eq!(
        count(&app, &cookie).await,
        Some(1 + acknowledged),
        "every acknowledged write is stored"
    );
}

#[tokio::test]
async fn an_unavailable_store_is_a_503_and_recovers() {
    let app = App::new(Kind::Memory);
    let cookie = counted(&app).await;
    let store = app.store.as_ref().unwrap();
    store.set_unavailable(true);
    let (read, _) = app.request(&[&cookie], async |s| s.get::<i64>("count").await).await;
    let error = read.unwrap_err();
    assert_eq!(error.http_status(), 503, "{error}");
    assert!(error.is_unavailable());
    let (_, set) = app.request(&[], async |s| s.insert("count", 1).await.unwrap()).await;
    assert_eq!(set.unwrap_err().http_status(), 503);
    store.set_unavailable(false);
    assert_eq!(count(&app, &cookie).await, Some(1), "serves again once the store is back");
}

#[tokio::test]
async fn a_session_cannot_be_used_after_its_response_is_committed() {
    let app = App::new(Kind::Cookie);
    let session = app.sessions.start([]);
    session.insert("count", 1).await.unwrap();
    assert!(app.sessions.finish(&session).await.unwrap().is_some());
    assert!(matches!(session.insert("count", 2).await, Err(SessionError::Committed)));
    assert_eq!(app.sessions.finish(&session).await.unwrap(), None);
}

#[tokio::test]
async fn a_wrong_type_is_a_decode_error_naming_the_key() {
    let app = App::new(Kind::Cookie);
    let cookie = counted(&app).await;
    let (result, _) = app.request(&[&cookie], async |s| s.get::<String>("count").await).await;
    let error = result.unwrap_err();
    assert!(error.to_string().contains("\"count\""), "{error}");
    assert_eq!(error.http_status(), 500);
}

#[tokio::test]
async fn typed_sessions_round_trip() {
    #[derive(serde::Serialize, serde::Deserialize, Default, PartialEq, Debug)]
    struct Shop {
        #[serde(default)]
        user: Option<String>,
        #[serde(default)]
        cart: Vec<(String, u32)>,
    }
    for kind in BOTH {
        let app = App::new(kind);
        let (_, set) = app
            .request(&[], async |s| {
                let mut shop: Shop = s.to_struct().await.unwrap();
                shop.cart.push(("apple".into(), 2));
                s.replace_with_struct(&shop).await.unwrap();
            })
            .await;
        let cookie = pair(&set.unwrap().unwrap());
        let (shop, _) =
            app.request(&[&cookie], async |s| s.to_struct::<Shop>().await.unwrap()).await;
        assert_eq!(shop, Shop { user: None, cart: vec![("apple".into(), 2)] });
    }
}

#[test]
fn a_dynamodb_backend_without_its_store_is_a_clear_error() {
    let config = SessionConfig::builder()
        .keyring(Keyring::from_secrets(SECRET, []).unwrap())
        .backend(Backend::from_table_name(Some("app-production-session")))
        .build()
        .unwrap();
    let error = SessionManager::new(config).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("DynamoDB table app-production-session"), "{message}");
    assert!(message.contains("dynamodb"), "says how to get it: {message}");
}

/// Adapters need handles they can move across threads and futures that are `Send`.
#[test]
fn sessions_and_their_futures_are_send_and_sync() {
    fn send_sync<T: Send + Sync + Clone>(_: &T) {}
    fn send<T: Send>(_: T) {}
    let app = App::new(Kind::Memory);
    let session = app.sessions.start([]);
    send_sync(&session);
    send_sync(&app.sessions);
    send(session.get::<u32>("count"));
    send(session.insert("count", 1));
    send(session.take_flashes());
    send(session.regenerate());
    send(app.sessions.finish(&session));
}

#[tokio::test]
async fn after_a_server_error_the_changes_are_dropped_and_the_cookie_kept() {
    for kind in BOTH {
        let app = App::new(kind);
        let cookie = counted(&app).await;
        let writes = app.calls().writes();

        let session = app.sessions.start([cookie.as_str()]);
        session.insert("count", 2).await.unwrap();
        session.regenerate().await.unwrap();
        assert_eq!(app.sessions.finish_response(&session, 500).await.unwrap(), None, "{kind:?}");
        assert_eq!(app.calls().writes(), writes, "{kind:?}: no store write after a 5xx");
        assert_eq!(count(&app, &cookie).await, Some(1), "{kind:?}: the old session is intact");

        // Any other status commits as `finish` does.
        let session = app.sessions.start([cookie.as_str()]);
        session.insert("count", 3).await.unwrap();
        let set = app.sessions.finish_response(&session, 404).await.unwrap().unwrap();
        assert_eq!(count(&app, &pair(&set)).await, Some(3), "{kind:?}");
    }
}

/// The store calls each kind of request costs, as the README's DynamoDB table states them.
#[tokio::test]
async fn each_kind_of_request_costs_the_store_calls_the_readme_lists() {
    let app = App::new(Kind::Memory);
    let calls = |loads, creates, saves, touches, deletes| StoreCalls {
        loads,
        creates,
        saves,
        touches,
        deletes,
    };
    let cost = async |cookies: &[&str], handler: &dyn Fn(&Session) -> _| {
        let before = app.calls();
        let session = app.sessions.start(cookies.iter().copied());
        let () = handler(&session).await;
        let set = app.sessions.finish(&session).await.unwrap();
        let after = app.calls();
        let diff = StoreCalls {
            loads: after.loads - before.loads,
            creates: after.creates - before.creates,
            saves: after.saves - before.saves,
            touches: after.touches - before.touches,
            deletes: after.deletes - before.deletes,
        };
        (diff, set)
    };
    type Handler = std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>;
    let read = |s: &Session| -> Handler {
        let s = s.clone();
        Box::pin(async move {
            s.get::<i64>("count").await.unwrap();
        })
    };
    let write = |s: &Session| -> Handler {
        let s = s.clone();
        Box::pin(async move {
            let count = s.get::<i64>("count").await.unwrap().unwrap_or(0);
            s.insert("count", count + 1).await.unwrap();
        })
    };
    let log_in = |s: &Session| -> Handler {
        let s = s.clone();
        Box::pin(async move {
            s.insert("user", "ada").await.unwrap();
            s.regenerate().await.unwrap();
        })
    };
    let log_out = |s: &Session| -> Handler {
        let s = s.clone();
        Box::pin(async move { s.destroy().await.unwrap() })
    };

    assert_eq!(cost(&[], &read).await.0, calls(0, 0, 0, 0, 0), "a visitor");
    assert_eq!(cost(&["_idx=forged.cookie"], &read).await.0, calls(0, 0, 0, 0, 0), "forged");
    let (first, set) = cost(&[], &write).await;
    assert_eq!(first, calls(0, 1, 0, 0, 0), "first write");
    let cookie = pair(&set.unwrap());
    assert_eq!(cost(&[&cookie], &read).await.0, calls(1, 0, 0, 0, 0), "unchanged read");
    app.clock.advance(6 * MINUTE);
    assert_eq!(cost(&[&cookie], &read).await.0, calls(1, 0, 0, 1, 0), "refresh due");
    assert_eq!(cost(&[&cookie], &write).await.0, calls(1, 0, 1, 0, 0), "a write");
    let (login, set) = cost(&[&cookie], &log_in).await;
    assert_eq!(login, calls(1, 1, 0, 0, 1), "log-in");
    let cookie = pair(&set.unwrap());
    assert_eq!(cost(&[&cookie], &log_out).await.0, calls(1, 0, 0, 0, 1), "log-out");
}

#[tokio::test]
async fn a_typed_read_of_a_visitor_is_the_default_and_of_a_session_its_data() {
    #[derive(Debug, Default, PartialEq, serde::Deserialize)]
    struct Visit {
        count: i64,
    }
    let app = App::new(Kind::Cookie);
    let (visit, set) = app.request(&[], async |s| s.to_struct_or_default::<Visit>().await).await;
    assert_eq!((visit.unwrap(), set.unwrap()), (Visit::default(), None));
    let cookie = counted(&app).await;
    let (visit, _) =
        app.request(&[&cookie], async |s| s.to_struct_or_default::<Visit>().await).await;
    assert_eq!(visit.unwrap(), Visit { count: 1 });
}
