//! The demo contract as in-process tests, written once and run by every adapter against its
//! demo app, for every backend; generate them with
//! [`conformance_tests!`](crate::conformance_tests).
//!
//! An adapter plugs in with a [`DemoClient`]: a way to send a [`TestRequest`] to its app (no
//! sockets). A backend plugs in with a [`Fixture`]: the [`SessionManager`] the app is built on,
//! whose store is wrapped so that the checks can count its writes and switch it off.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use session_core::testkit::{InstrumentedStore, ManualClock, StoreCalls, TEST_SECRET};
use session_core::{
    Backend, Keyring, MemoryStore, SessionConfig, SessionId, SessionManager, SessionStore,
};
use time::OffsetDateTime;

use crate::shop::{CartLine, View};

/// The HTTP method of a [`TestRequest`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
}

impl Method {
    /// The method's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
        }
    }
}

/// A request to the demo app.
#[derive(Debug, Clone)]
pub struct TestRequest {
    /// The method.
    pub method: Method,
    /// The path, such as `/api/session`.
    pub path: &'static str,
    /// The `Cookie` header, if any.
    pub cookie: Option<String>,
    /// A urlencoded form, sent as `application/x-www-form-urlencoded` (POSTs without one
    /// have an empty body).
    pub form: Option<String>,
}

/// The demo app's answer.
#[derive(Debug, Clone)]
pub struct TestResponse {
    /// The status code.
    pub status: u16,
    /// Every header, names in lower case, repeated headers repeated.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
}

impl TestResponse {
    /// The first value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Every `Set-Cookie` value.
    pub fn set_cookies(&self) -> Vec<&str> {
        self.headers.iter().filter(|(n, _)| n == "set-cookie").map(|(_, v)| v.as_str()).collect()
    }
}

/// Sends requests to one adapter's demo app, in process.
#[async_trait]
pub trait DemoClient: Send + Sync + 'static {
    /// Sends `request` and returns the full response. Transport failures panic: they are
    /// test-harness bugs, not app behaviour.
    async fn send(&self, request: TestRequest) -> TestResponse;
}

/// The sessions an app under test is built on: a manager keyed with
/// [`TEST_SECRET`], a clock the checks move, and for server-side
/// sessions the store, instrumented.
#[derive(Debug)]
pub struct Fixture {
    manager: SessionManager,
    clock: Arc<ManualClock>,
    store: Option<InstrumentedStore<Arc<dyn SessionStore>>>,
}

impl Fixture {
    /// Sealed-cookie sessions.
    pub fn cookie() -> Self {
        Self::build(None)
    }

    /// Server-side sessions in a fresh [`MemoryStore`].
    pub fn memory() -> Self {
        Self::with_store(Arc::new(MemoryStore::new()))
    }

    /// Server-side sessions in `store`.
    pub fn with_store(store: Arc<dyn SessionStore>) -> Self {
        Self::build(Some(InstrumentedStore::new(store)))
    }

    fn build(store: Option<InstrumentedStore<Arc<dyn SessionStore>>>) -> Self {
        let clock = Arc::new(ManualClock::new(OffsetDateTime::now_utc()));
        let manager = manager(TEST_SECRET, clock.clone(), store.clone());
        Self { manager, clock, store }
    }

    /// The manager to build the app under test on.
    pub fn manager(&self) -> &SessionManager {
        &self.manager
    }

    /// A manager on the same backend and store but with another key: what a different app,
    /// or an attacker with a key of their own, would issue.
    fn foreign_manager(&self) -> SessionManager {
        manager(
            "a different secret, also of at least 32 bytes",
            self.clock.clone(),
            self.store.clone(),
        )
    }

    fn store(&self) -> Option<&InstrumentedStore<Arc<dyn SessionStore>>> {
        self.store.as_ref()
    }

    fn calls(&self) -> StoreCalls {
        self.store.as_ref().map(InstrumentedStore::calls).unwrap_or_default()
    }

    fn cookie_name(&self) -> &str {
        self.manager.config().cookie_name()
    }
}

fn manager(
    secret: &str,
    clock: Arc<ManualClock>,
    store: Option<InstrumentedStore<Arc<dyn SessionStore>>>,
) -> SessionManager {
    let config = Keyring::from_secrets(secret, [])
        .map_err(session_core::ConfigError::from)
        .and_then(|keyring| {
            let backend = if store.is_some() { Backend::Memory } else { Backend::Cookie };
            SessionConfig::builder().keyring(keyring).backend(backend).clock(clock).build()
        });
    let config = match config {
        Ok(config) => config,
        Err(error) => panic!("conformance fixture: {error}"),
    };
    match store {
        Some(store) => SessionManager::with_store(config, Arc::new(store)),
        None => match SessionManager::new(config) {
            Ok(manager) => manager,
            Err(error) => panic!("conformance fixture: {error}"),
        },
    }
}

/// A browser: keeps the session cookie the app sets and sends it back.
struct Browser<'a> {
    client: &'a dyn DemoClient,
    name: String,
    cookie: Option<String>,
}

impl<'a> Browser<'a> {
    fn new(fx: &Fixture, client: &'a dyn DemoClient) -> Self {
        Self { client, name: fx.cookie_name().to_owned(), cookie: None }
    }

    /// A browser that holds `cookie` (a `name=value` pair, or any raw `Cookie` header).
    fn holding(fx: &Fixture, client: &'a dyn DemoClient, cookie: &str) -> Self {
        Self { cookie: Some(cookie.to_owned()), ..Self::new(fx, client) }
    }

    async fn send(
        &mut self,
        method: Method,
        path: &'static str,
        form: Option<&str>,
    ) -> TestResponse {
        let request = TestRequest {
            method,
            path,
            cookie: self.cookie.clone(),
            form: form.map(str::to_owned),
        };
        let response = self.client.send(request).await;
        for set_cookie in response.set_cookies() {
            let pair = set_cookie.split(';').next().unwrap_or_default().trim();
            let Some((name, _)) = pair.split_once('=') else { continue };
            if name != self.name {
                continue;
            }
            let removed = set_cookie.split(';').any(|a| a.trim().eq_ignore_ascii_case("Max-Age=0"));
            self.cookie = if removed { None } else { Some(pair.to_owned()) };
        }
        response
    }

    async fn get(&mut self, path: &'static str) -> TestResponse {
        self.send(Method::Get, path, None).await
    }

    async fn post(&mut self, path: &'static str, form: &str) -> TestResponse {
        self.send(Method::Post, path, Some(form)).await
    }

    /// `GET /api/session`, checked and decoded.
    async fn view(&mut self) -> View {
        let response = self.get("/api/session").await;
        assert_eq!(response.status, 200, "GET /api/session: {}", response.body);
        let content_type = response.header("content-type").unwrap_or_default();
        assert!(content_type.starts_with("application/json"), "content type {content_type:?}");
        match serde_json::from_str(&response.body) {
            Ok(view) => view,
            Err(error) => panic!("GET /api/session body {:?}: {error}", response.body),
        }
    }

    fn cookie(&self) -> String {
        self.cookie.clone().unwrap_or_else(|| panic!("the browser holds no session cookie"))
    }
}

/// A 303 to `/`, as every successful POST answers.
fn assert_see_other(response: &TestResponse, what: &str) {
    assert_eq!(response.status, 303, "{what}: {}", response.body);
    assert_eq!(response.header("location"), Some("/"), "{what}");
}

/// An error answer: `status`, one line of text, and no cookie.
fn assert_one_line_error(response: &TestResponse, status: u16, what: &str) {
    assert_eq!(response.status, status, "{what}: {}", response.body);
    let body = response.body.trim_end();
    assert!(!body.is_empty() && !body.contains('\n'), "{what}: one-line body, got {body:?}");
    assert!(response.set_cookies().is_empty(), "{what}: no Set-Cookie on an error");
}

/// The session id a server-side session cookie names.
fn id_of(pair: &str) -> SessionId {
    let value = pair.split_once('=').map_or(pair, |(_, value)| value);
    let id = value.split_once('.').map_or(value, |(id, _)| id);
    SessionId::parse(id).unwrap_or_else(|| panic!("not a server-side session cookie: {pair:?}"))
}

/// Counting: each `POST /count` adds one; the cookie carries the secure defaults.
pub async fn counting(fx: &Fixture, client: &Arc<dyn DemoClient>) {
    let mut browser = Browser::new(fx, client.as_ref());
    assert_eq!(browser.view().await, View::default());
    for n in 1..=3 {
        let response = browser.post("/count", "").await;
        assert_see_other(&response, "POST /count");
        if n == 1 {
            let set_cookie = response.set_cookies().first().copied().unwrap_or_default();
            for attribute in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
                assert!(
                    set_cookie.split(';').any(|a| a.trim() == attribute),
                    "{attribute} missing from {set_cookie:?}"
                );
            }
        }
        assert_eq!(browser.view().await.count, n);
    }
}

/// Log-in gives the session a new identity and keeps its data; the old cookie is worth
/// nothing afterwards on a server-side store.
pub async fn log_in_renews_the_id_and_keeps_the_data(fx: &Fixture, client: &Arc<dyn DemoClient>) {
    let mut browser = Browser::new(fx, client.as_ref());
    assert_see_other(&browser.post("/count", "").await, "POST /count");
    let before = browser.cookie();

    let response = browser.post("/login", "user=ada").await;
    assert_see_other(&response, "POST /login");
    let after = browser.cookie();
    assert_ne!(before, after, "log-in sets a new cookie value");
    let view = browser.view().await;
    assert_eq!((view.count, view.user.as_deref()), (1, Some("ada")));
    assert_eq!(view.flash, ["Welcome, ada"]);

    if let Some(store) = fx.store() {
        assert_ne!(id_of(&before), id_of(&after), "a new id");
        let old = store.inner().load(&id_of(&before)).await;
        assert!(matches!(old, Ok(None)), "the old record is deleted: {old:?}");
        let mut old_browser = Browser::holding(fx, client.as_ref(), &before);
        assert_eq!(old_browser.view().await, View::default(), "the old id is a fresh session");
    }
}

/// A flash message is shown once by the page, and listed without being consumed by the API.
pub async fn flash_is_shown_once(fx: &Fixture, client: &Arc<dyn DemoClient>) {
    let mut browser = Browser::new(fx, client.as_ref());
    assert_see_other(&browser.post("/login", "user=grace").await, "POST /login");
    for _ in 0..2 {
        assert_eq!(browser.view().await.flash, ["Welcome, grace"], "the API does not consume");
    }
    let page = browser.get("/").await;
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").unwrap_or_default().starts_with("text/html"));
    assert!(page.body.contains("Welcome, grace"), "the page shows the flash");
    let page = browser.get("/").await;
    assert!(!page.body.contains("Welcome, grace"), "shown once, then gone");
    assert!(page.body.contains("grace"), "the user is still logged in");
    assert_eq!(browser.view().await.flash, Vec::<String>::new());
}

/// The cart adds quantities per item and keeps the order items were first added in.
pub async fn cart_adds_up_in_insertion_order(fx: &Fixture, client: &Arc<dyn DemoClient>) {
    let mut browser = Browser::new(fx, client.as_ref());
    for form in ["item=pear&qty=2", "item=apple&qty=1", "item=pear&qty=3", "item=fig+jam&qty=99"] {
        assert_see_other(&browser.post("/cart", form).await, form);
    }
    let line = |item: &str, qty| CartLine { item: item.to_owned(), qty };
    let cart = [line("pear", 5), line("apple", 1), line("fig jam", 99)];
    assert_eq!(browser.view().await.cart, cart);
    let page = browser.get("/").await.body;
    assert!(
        page.contains("fig jam") && page.contains("105"),
        "the page shows the cart and its total"
    );
}

/// Invalid forms are answered 400 with one line, and the session is unchanged: no cookie, no
/// store write.
pub async fn bad_form_input_is_400_and_changes_nothing(fx: &Fixture, client: &Arc<dyn DemoClient>) {
    let mut browser = Browser::new(fx, client.as_ref());
    assert_see_other(&browser.post("/cart", "item=apple&qty=2").await, "POST /cart");
    let before = browser.view().await;
    let cookie = browser.cookie();
    let writes = fx.calls().writes();

    let long = "x".repeat(65);
    let bad = [
        ("/login", String::new()),
        ("/login", "user=".to_owned()),
        ("/login", "user=+++".to_owned()),
        ("/login", format!("user={long}")),
        ("/cart", "qty=1".to_owned()),
        ("/cart", "item=&qty=1".to_owned()),
        ("/cart", format!("item={long}&qty=1")),
        ("/cart", "item=apple".to_owned()),
        ("/cart", "item=apple&qty=0".to_owned()),
        ("/cart", "item=apple&qty=100".to_owned()),
        ("/cart", "item=apple&qty=-1".to_owned()),
        ("/cart", "item=apple&qty=1.5".to_owned()),
        ("/cart", "item=apple&qty=two".to_owned()),
    ];
    for (path, form) in bad {
        let response = browser.post(path, &form).await;
        assert_one_line_error(&response, 400, &format!("POST {path} {form:?}"));
    }
    assert_eq!(browser.cookie(), cookie);
    assert_eq!(browser.view().await, before);
    assert_eq!(fx.calls().writes(), writes, "no store write");
}

/// Garbage, truncated, tampered, foreign-key and dangling cookies are a fresh session: never an
/// error, and a write starts a new, working session.
pub async fn bad_cookies_are_fresh_sessions(fx: &Fixture, client: &Arc<dyn DemoClient>) {
    let name = fx.cookie_name().to_owned();
    let mut browser = Browser::new(fx, client.as_ref());
    for _ in 0..2 {
        assert_see_other(&browser.post("/count", "").await, "POST /count");
    }
    let valid = browser.cookie();
    let value = valid.split_once('=').map_or("", |(_, v)| v).to_owned();

    let mut bad = vec![
        ("garbage", format!("{name}=not-a-session")),
        ("empty", format!("{name}=")),
        ("dots", format!("{name}=...")),
        ("huge", format!("{name}={}", "A".repeat(6000))),
        ("truncated", format!("{name}={}", &value[..value.len() - 7])),
        ("half", format!("{name}={}", &value[..value.len() / 2])),
        ("tampered", format!("{name}={}", tamper(&value))),
    ];
    // Sealed or signed with another key, by an app of its own.
    let foreign = fx.foreign_manager();
    let session = foreign.start([]);
    session.insert("count", 41).await.unwrap_or_else(|e| panic!("foreign session: {e}"));
    match foreign.finish(&session).await {
        Ok(Some(set_cookie)) => {
            let pair = set_cookie.as_str().split(';').next().unwrap_or_default().to_owned();
            bad.push(("foreign key", pair));
        }
        other => panic!("foreign session: {other:?}"),
    }
    // A well-signed cookie whose record is gone.
    if let Some(store) = fx.store() {
        let mut other = Browser::new(fx, client.as_ref());
        assert_see_other(&other.post("/count", "").await, "POST /count");
        let dangling = other.cookie();
        store.inner().delete(&id_of(&dangling), None).await.unwrap_or_else(|e| panic!("{e}"));
        bad.push(("dangling record", dangling));
    }

    for (what, cookie) in bad {
        let mut browser = Browser::holding(fx, client.as_ref(), &cookie);
        let response = browser.get("/").await;
        assert_eq!(response.status, 200, "{what}: GET /");
        assert!(response.set_cookies().is_empty(), "{what}: a read sets no cookie");
        assert_eq!(browser.view().await, View::default(), "{what}: a fresh session");
        assert_see_other(&browser.post("/count", "").await, &format!("{what}: POST /count"));
        assert_ne!(browser.cookie(), cookie, "{what}: a new cookie");
        assert_eq!(browser.view().await.count, 1, "{what}: the new session works");
    }
    // The valid cookie was never disturbed.
    assert_eq!(Browser::holding(fx, client.as_ref(), &valid).view().await.count, 2);
}

/// A cookie past its idle timeout is a fresh session.
pub async fn expired_sessions_are_fresh(fx: &Fixture, client: &Arc<dyn DemoClient>) {
    let mut browser = Browser::new(fx, client.as_ref());
    assert_see_other(&browser.post("/count", "").await, "POST /count");
    let idle = fx.manager.config().expiry().idle_timeout();
    fx.clock.advance(idle + Duration::from_secs(60));
    let response = browser.get("/api/session").await;
    assert_eq!(response.status, 200);
    assert!(response.body.contains("\"count\":0"), "expired: {}", response.body);
    assert_see_other(&browser.post("/count", "").await, "POST /count");
    assert_eq!(browser.view().await.count, 1, "a new session starts");
}

/// With several cookies of the session's name (a stale one for a parent domain, say), the
/// valid one is used, wherever it is.
pub async fn duplicate_cookies_use_the_valid_one(fx: &Fixture, client: &Arc<dyn DemoClient>) {
    let name = fx.cookie_name().to_owned();
    let mut browser = Browser::new(fx, client.as_ref());
    for _ in 0..3 {
        assert_see_other(&browser.post("/count", "").await, "POST /count");
    }
    let valid = browser.cookie();
    for header in [
        format!("{name}=stale; {valid}"),
        format!("{valid}; {name}=stale"),
        format!("a=b; {valid}"),
    ] {
        let mut browser = Browser::holding(fx, client.as_ref(), &header);
        assert_eq!(browser.view().await.count, 3, "{header}");
    }
}

/// A sealed cookie that would grow over 4096 bytes is refused with 413, and the cookie the
/// client holds still opens the session as it was.
pub async fn oversized_session_is_413_and_the_old_cookie_stays_valid(
    fx: &Fixture,
    client: &Arc<dyn DemoClient>,
) {
    let mut browser = Browser::new(fx, client.as_ref());
    for n in 0..200 {
        let form = format!("item={n:03}{}&qty=1", "x".repeat(61));
        let response = browser.post("/cart", &form).await;
        if response.status == 413 {
            assert_one_line_error(&response, 413, "the oversized write");
            assert!(n > 10, "a few dozen items fit in a cookie; refused at item {n}");
            let view = browser.view().await;
            assert_eq!(view.cart.len(), n, "the previous session is intact");
            assert_see_other(&browser.post("/count", "").await, "a small change still works");
            return;
        }
        assert_see_other(&response, "POST /cart");
        assert!(browser.cookie().len() <= 4096);
    }
    panic!("200 items of 64 characters never exceeded the cookie limit");
}

/// Server-side sessions keep data of any size; the cookie holds only the id.
pub async fn large_sessions_fit_a_store(fx: &Fixture, client: &Arc<dyn DemoClient>) {
    let mut browser = Browser::new(fx, client.as_ref());
    let mut size = None;
    for n in 0..80 {
        let form = format!("item={n:03}{}&qty=1", "x".repeat(61));
        assert_see_other(&browser.post("/cart", &form).await, "POST /cart");
        let cookie = browser.cookie();
        assert_eq!(*size.get_or_insert(cookie.len()), cookie.len(), "the cookie is an id");
    }
    assert_eq!(browser.view().await.cart.len(), 80);
}

/// Log-out deletes the record and clears the cookie; the old cookie is then worth nothing.
pub async fn log_out_clears_the_cookie_and_the_record(fx: &Fixture, client: &Arc<dyn DemoClient>) {
    let mut browser = Browser::new(fx, client.as_ref());
    assert_see_other(&browser.post("/login", "user=ada").await, "POST /login");
    let cookie = browser.cookie();

    let response = browser.post("/logout", "").await;
    assert_see_other(&response, "POST /logout");
    let cleared = response.set_cookies().into_iter().any(|c| {
        c.starts_with(&format!("{}=", fx.cookie_name()))
            && c.split(';').any(|a| a.trim().eq_ignore_ascii_case("Max-Age=0"))
    });
    assert!(cleared, "the cookie is cleared: {:?}", response.set_cookies());
    assert_eq!(browser.cookie, None);
    assert_eq!(browser.view().await, View::default());

    if let Some(store) = fx.store() {
        let record = store.inner().load(&id_of(&cookie)).await;
        assert!(matches!(record, Ok(None)), "the record is deleted: {record:?}");
    }
    // For sealed cookies the old value stays valid until it expires: the contract only asks
    // that the browser drop it, which it does.
}

/// A request that only reads an existing session sends no cookie and writes nothing.
pub async fn unchanged_reads_send_nothing(fx: &Fixture, client: &Arc<dyn DemoClient>) {
    let mut browser = Browser::new(fx, client.as_ref());
    assert_see_other(&browser.post("/count", "").await, "POST /count");
    let writes = fx.calls().writes();
    for path in ["/api/session", "/", "/api/session"] {
        let response = browser.get(path).await;
        assert_eq!(response.status, 200);
        assert!(response.set_cookies().is_empty(), "GET {path}: no Set-Cookie");
    }
    assert_eq!(fx.calls().writes(), writes, "no store write");
}

/// A visitor who only reads gets no cookie and leaves no record.
pub async fn visitors_get_no_cookie_and_no_record(fx: &Fixture, client: &Arc<dyn DemoClient>) {
    let mut browser = Browser::new(fx, client.as_ref());
    for path in ["/", "/api/session", "/"] {
        let response = browser.get(path).await;
        assert_eq!(response.status, 200);
        assert!(response.set_cookies().is_empty(), "GET {path}: no Set-Cookie");
    }
    let response = browser.post("/logout", "").await;
    assert_see_other(&response, "POST /logout");
    assert!(response.set_cookies().is_empty(), "log-out without a session sets no cookie");
    assert_eq!(fx.calls().writes(), 0, "no store write");
}

/// Concurrent writes to one server-side session: every request answered 303 has its change
/// stored; the others lost the race and were told so with 409.
pub async fn concurrent_writes_lose_nothing(fx: &Fixture, client: &Arc<dyn DemoClient>) {
    const REQUESTS: usize = 24;
    let mut browser = Browser::new(fx, client.as_ref());
    assert_see_other(&browser.post("/count", "").await, "POST /count");
    let cookie = browser.cookie();

    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..REQUESTS {
        let client = client.clone();
        let cookie = cookie.clone();
        tasks.spawn(async move {
            let request = TestRequest {
                method: Method::Post,
                path: "/count",
                cookie: Some(cookie),
                form: None,
            };
            client.send(request).await
        });
    }
    let mut acknowledged = 0;
    while let Some(joined) = tasks.join_next().await {
        let response = joined.unwrap_or_else(|e| panic!("request task failed: {e}"));
        match response.status {
            303 => acknowledged += 1,
            409 => assert_one_line_error(&response, 409, "a lost race"),
            other => panic!("a concurrent POST /count answered {other}: {}", response.body),
        }
    }
    assert!(acknowledged >= 1, "at least one concurrent write wins");
    let count = browser.view().await.count;
    assert_eq!(count, 1 + acknowledged as u64, "every acknowledged write is stored");
}

/// With the store down, requests that need it get 503 with one line, and the app serves
/// again once the store is back.
pub async fn store_outage_is_503_then_recovers(fx: &Fixture, client: &Arc<dyn DemoClient>) {
    let Some(store) = fx.store() else { panic!("store_outage needs a server-side fixture") };
    let mut browser = Browser::new(fx, client.as_ref());
    assert_see_other(&browser.post("/count", "").await, "POST /count");
    let cookie = browser.cookie();

    store.set_unavailable(true);
    for (method, path) in
        [(Method::Get, "/"), (Method::Get, "/api/session"), (Method::Post, "/count")]
    {
        let response = browser.send(method, path, None).await;
        assert_one_line_error(
            &response,
            503,
            &format!("{} {path} with the store down", method.as_str()),
        );
    }
    let mut visitor = Browser::new(fx, client.as_ref());
    let response = visitor.post("/count", "").await;
    assert_one_line_error(&response, 503, "a new session with the store down");

    store.set_unavailable(false);
    assert_eq!(browser.cookie(), cookie, "the client's cookie was kept");
    assert_see_other(&browser.post("/count", "").await, "POST /count after recovery");
    assert_eq!(browser.view().await.count, 2);
}

/// Flips one character in the middle of `value`.
fn tamper(value: &str) -> String {
    let mut chars: Vec<char> = value.chars().collect();
    let middle = chars.len() / 2;
    chars[middle] = if chars[middle] == 'A' { 'B' } else { 'A' };
    chars.into_iter().collect()
}
