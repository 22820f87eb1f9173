//! Configuration, from code (a builder) or from the environment (as Architect reads it).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use zeroize::Zeroizing;

use crate::expiry::{Clock, Expiry, SystemClock};
use crate::secure::keyring::{Key, KeyError, Keyring};

/// The cookie name Architect uses, so that an Architect app and a Rust app can share a
/// domain's sessions.
pub const DEFAULT_COOKIE_NAME: &str = "_idx";

/// How long a request waits on a networked store unless configured otherwise.
pub const DEFAULT_STORE_TIMEOUT: Duration = Duration::from_secs(5);

/// Where sessions live.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Backend {
    /// Stateless: the whole session sealed (encrypted and authenticated) in the cookie.
    Cookie,
    /// Server-side, in this process's memory: for one process, development and tests.
    Memory,
    /// Server-side, in the DynamoDB table of this name (provided by `session-dynamo`).
    DynamoDb {
        /// The table's name.
        table: String,
    },
}

impl Backend {
    /// Architect's rule for `SESSION_TABLE_NAME`: unset, empty, `cookie` or `jwe` mean
    /// sealed cookies, `memory` the in-process store, anything else a DynamoDB table.
    pub fn from_table_name(table: Option<&str>) -> Self {
        match table.map(str::trim) {
            None | Some("" | "cookie" | "jwe") => Self::Cookie,
            Some("memory") => Self::Memory,
            Some(table) => Self::DynamoDb { table: table.to_owned() },
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Cookie => f.write_str("sealed cookies"),
            Self::Memory => f.write_str("in-memory store"),
            Self::DynamoDb { table } => write!(f, "DynamoDB table {table}"),
        }
    }
}

/// The cookie's `SameSite` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SameSite {
    /// Sent on same-site requests only.
    Strict,
    /// Also sent on top-level navigations from other sites (the default).
    #[default]
    Lax,
    /// Sent on every request; browsers require `Secure` with it.
    None,
}

/// Configuration was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A secret was refused.
    #[error("{origin}: {source}")]
    Secret {
        /// Where the secret came from (an environment variable, or "secret").
        origin: &'static str,
        /// Why it was refused.
        source: KeyError,
    },
    /// No secret was given, and one is required.
    #[error(
        "no session secret: set SESSION_SECRET (SESSION_REQUIRE_SECRET forbids a random per-process key)"
    )]
    MissingSecret,
    /// An environment variable holds a value that cannot be used. Secrets are never echoed.
    #[error("{name}={value:?}: {reason}")]
    InvalidVar {
        /// The variable.
        name: &'static str,
        /// Its value.
        value: String,
        /// What is expected instead.
        reason: &'static str,
    },
    /// The expiry policy is inconsistent.
    #[error("invalid session expiry: {0}")]
    Expiry(&'static str),
    /// The cookie settings are inconsistent.
    #[error("invalid session cookie: {0}")]
    Cookie(&'static str),
    /// The selected backend needs a store this build does not include.
    #[error("the session backend {backend} is not available: {hint}")]
    BackendUnavailable {
        /// The backend that was asked for.
        backend: Backend,
        /// What to do about it.
        hint: &'static str,
    },
}

/// Everything a [`SessionManager`](crate::SessionManager) needs. Build one with
/// [`SessionConfig::builder`] or [`SessionConfig::from_env`].
#[derive(Clone)]
pub struct SessionConfig {
    pub(crate) keyring: Keyring,
    pub(crate) cookie_name: String,
    pub(crate) secure: bool,
    pub(crate) same_site: SameSite,
    pub(crate) domain: Option<String>,
    pub(crate) path: String,
    pub(crate) expiry: Expiry,
    pub(crate) backend: Backend,
    pub(crate) store_timeout: Duration,
    pub(crate) clock: Arc<dyn Clock>,
}

impl fmt::Debug for SessionConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionConfig")
            .field("keyring", &self.keyring)
            .field("cookie_name", &self.cookie_name)
            .field("secure", &self.secure)
            .field("same_site", &self.same_site)
            .field("domain", &self.domain)
            .field("path", &self.path)
            .field("expiry", &self.expiry)
            .field("backend", &self.backend)
            .field("store_timeout", &self.store_timeout)
            .finish_non_exhaustive()
    }
}

impl SessionConfig {
    /// A builder with the defaults: sealed cookies named `_idx`, `HttpOnly`, `Secure`,
    /// `SameSite=Lax`, `Path=/`, [`Expiry::default`].
    ///
    /// ```
    /// use session_core::{Backend, Keyring, SessionConfig};
    ///
    /// let config = SessionConfig::builder()
    ///     .keyring(Keyring::from_secrets("a secret of at least thirty-two bytes!", [])?)
    ///     .backend(Backend::Memory)
    ///     .secure(false)
    ///     .build()?;
    /// assert_eq!(config.backend(), &Backend::Memory);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder() -> SessionConfigBuilder {
        SessionConfigBuilder::default()
    }

    /// Reads the configuration from the process environment; the README lists every
    /// variable.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup` instead of the process environment, for
    /// tests and for apps that keep their settings elsewhere.
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let mut builder = Self::builder();

        if let Some(secret) = var("SESSION_SECRET").map(Zeroizing::new) {
            let current = Key::from_secret(secret.as_str())
                .map_err(|source| ConfigError::Secret { origin: "SESSION_SECRET", source })?;
            let previous = Zeroizing::new(var("SESSION_SECRET_PREVIOUS").unwrap_or_default());
            let previous = previous
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(Key::from_secret)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|source| ConfigError::Secret {
                    origin: "SESSION_SECRET_PREVIOUS",
                    source,
                })?;
            let keyring = Keyring::with_previous(current, previous);
            builder = builder.keyring(keyring);
        } else if var("SESSION_SECRET_PREVIOUS").is_some() {
            // Previous secrets without a current one: a deploy that lost its secret.
            return Err(ConfigError::MissingSecret);
        }
        if let Some(v) = var("SESSION_REQUIRE_SECRET") {
            builder = builder.require_secret(parse_bool("SESSION_REQUIRE_SECRET", &v)?);
        }
        builder = builder.backend(Backend::from_table_name(var("SESSION_TABLE_NAME").as_deref()));
        if let Some(v) = var("SESSION_COOKIE_NAME") {
            builder = builder.cookie_name(v);
        }
        if let Some(v) = var("SESSION_COOKIE_SECURE") {
            builder = builder.secure(parse_bool("SESSION_COOKIE_SECURE", &v)?);
        }
        if let Some(v) = var("SESSION_SAME_SITE") {
            let same_site = match v.trim().to_ascii_lowercase().as_str() {
                "lax" => SameSite::Lax,
                "strict" => SameSite::Strict,
                "none" => SameSite::None,
                _ => {
                    return Err(invalid("SESSION_SAME_SITE", &v, "expected lax, strict or none"));
                }
            };
            builder = builder.same_site(same_site);
        }
        if let Some(v) = var("SESSION_DOMAIN") {
            builder = builder.domain(v.trim());
        }
        if let Some(v) = var("SESSION_STORE_TIMEOUT_MS") {
            let millis = v.trim().parse::<u64>().ok().filter(|ms| *ms > 0).ok_or_else(|| {
                invalid("SESSION_STORE_TIMEOUT_MS", &v, "expected milliseconds, above 0")
            })?;
            builder = builder.store_timeout(Duration::from_millis(millis));
        }

        let mut expiry = Expiry::default();
        if let Some(v) = var("SESSION_TTL") {
            expiry = expiry.idle(parse_seconds("SESSION_TTL", &v)?);
        }
        if let Some(v) = var("SESSION_ABSOLUTE_TTL") {
            expiry = expiry.absolute(parse_seconds("SESSION_ABSOLUTE_TTL", &v)?);
        }
        if let Some(v) = var("SESSION_REFRESH_INTERVAL") {
            expiry = expiry.refresh_interval(parse_seconds("SESSION_REFRESH_INTERVAL", &v)?);
        }
        if let Some(v) = var("SESSION_COOKIE_PERSISTENT")
            && !parse_bool("SESSION_COOKIE_PERSISTENT", &v)?
        {
            expiry = expiry.browser_session();
        }
        builder.expiry(expiry).build()
    }

    /// The keys that seal and open sessions.
    pub fn keyring(&self) -> &Keyring {
        &self.keyring
    }

    /// How long a request waits on a networked store (retries included) before the store
    /// counts as unavailable.
    pub fn store_timeout(&self) -> Duration {
        self.store_timeout
    }

    /// Where sessions live.
    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// The cookie's name.
    pub fn cookie_name(&self) -> &str {
        &self.cookie_name
    }

    /// The expiry policy.
    pub fn expiry(&self) -> &Expiry {
        &self.expiry
    }

    /// Whether cookies carry `Secure`.
    pub fn secure(&self) -> bool {
        self.secure
    }
}

/// Builds a [`SessionConfig`]; see [`SessionConfig::builder`] for the defaults.
#[derive(Debug)]
#[must_use]
pub struct SessionConfigBuilder {
    keyring: Option<Keyring>,
    require_secret: bool,
    cookie_name: String,
    secure: bool,
    same_site: SameSite,
    domain: Option<String>,
    path: String,
    expiry: Expiry,
    backend: Backend,
    store_timeout: Duration,
    clock: Arc<dyn Clock>,
}

impl Default for SessionConfigBuilder {
    fn default() -> Self {
        Self {
            keyring: None,
            require_secret: false,
            cookie_name: DEFAULT_COOKIE_NAME.to_owned(),
            secure: true,
            same_site: SameSite::Lax,
            domain: None,
            path: "/".to_owned(),
            expiry: Expiry::default(),
            backend: Backend::Cookie,
            store_timeout: DEFAULT_STORE_TIMEOUT,
            clock: Arc::new(SystemClock),
        }
    }
}

impl SessionConfigBuilder {
    /// The keys to seal and open with. Without one, [`build`](Self::build) makes a random key
    /// for this process (sessions then do not survive a restart) and logs a warning, unless
    /// [`require_secret`](Self::require_secret) is set.
    pub fn keyring(mut self, keyring: Keyring) -> Self {
        self.keyring = Some(keyring);
        self
    }

    /// Refuse to build without a keyring instead of falling back to a random key.
    pub fn require_secret(mut self, required: bool) -> Self {
        self.require_secret = required;
        self
    }

    /// Where sessions live (default: sealed cookies).
    pub fn backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// The cookie's name (default `_idx`, as Architect).
    pub fn cookie_name(mut self, name: impl Into<String>) -> Self {
        self.cookie_name = name.into();
        self
    }

    /// Whether the cookie carries `Secure` (default true; turn off only for plain-http
    /// development on localhost).
    pub fn secure(mut self, secure: bool) -> Self {
        self.secure = secure;
        self
    }

    /// The cookie's `SameSite` (default `Lax`).
    pub fn same_site(mut self, same_site: SameSite) -> Self {
        self.same_site = same_site;
        self
    }

    /// The cookie's `Domain` (default none: the exact host).
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.domain = Some(domain.into());
        self
    }

    /// The cookie's `Path` (default `/`).
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// The expiry policy.
    pub fn expiry(mut self, expiry: Expiry) -> Self {
        self.expiry = expiry;
        self
    }

    /// How long a request waits on a networked store, retries included, before the store
    /// counts as unavailable (a 503). Default [`DEFAULT_STORE_TIMEOUT`]; stores that never wait
    /// (the in-memory one) ignore it.
    pub fn store_timeout(mut self, timeout: Duration) -> Self {
        self.store_timeout = timeout;
        self
    }

    /// The clock, for tests of expiry.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Checks the settings and builds the configuration.
    pub fn build(self) -> Result<SessionConfig, ConfigError> {
        self.expiry.validate().map_err(ConfigError::Expiry)?;
        if !is_cookie_token(&self.cookie_name) {
            return Err(ConfigError::Cookie("the name must be a non-empty token (RFC 6265)"));
        }
        if !self.path.starts_with('/') || !self.path.bytes().all(is_attribute_byte) {
            return Err(ConfigError::Cookie(
                "the path must start with / and hold no ; or controls",
            ));
        }
        if let Some(domain) = &self.domain
            && (domain.is_empty() || !domain.bytes().all(is_attribute_byte))
        {
            return Err(ConfigError::Cookie("the domain must be a host name"));
        }
        if self.same_site == SameSite::None && !self.secure {
            return Err(ConfigError::Cookie("SameSite=None requires Secure"));
        }
        let keyring = match self.keyring {
            Some(keyring) => keyring,
            None if self.require_secret => return Err(ConfigError::MissingSecret),
            None => {
                tracing::warn!(
                    "no SESSION_SECRET: using a random key for this process; sessions will not \
                     survive a restart (run `keygen` for a secret)"
                );
                Keyring::generate()
                    .map_err(|source| ConfigError::Secret { origin: "random key", source })?
            }
        };
        Ok(SessionConfig {
            keyring,
            cookie_name: self.cookie_name,
            secure: self.secure,
            same_site: self.same_site,
            domain: self.domain,
            path: self.path,
            expiry: self.expiry,
            backend: self.backend,
            store_timeout: self.store_timeout,
            clock: self.clock,
        })
    }
}

impl From<KeyError> for ConfigError {
    fn from(source: KeyError) -> Self {
        Self::Secret { origin: "secret", source }
    }
}

fn invalid(name: &'static str, value: &str, reason: &'static str) -> ConfigError {
    ConfigError::InvalidVar { name, value: value.to_owned(), reason }
}

fn parse_bool(name: &'static str, value: &str) -> Result<bool, ConfigError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(invalid(name, value, "expected true or false")),
    }
}

fn parse_seconds(name: &'static str, value: &str) -> Result<Duration, ConfigError> {
    match value.trim().parse::<u64>() {
        Ok(secs) if secs > 0 => Ok(Duration::from_secs(secs)),
        _ => Err(invalid(name, value, "expected a positive whole number of seconds")),
    }
}

/// RFC 6265 `token`: what a cookie name may be.
fn is_cookie_token(name: &str) -> bool {
    !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b))
}

fn is_attribute_byte(b: u8) -> bool {
    b.is_ascii_graphic() && b != b';'
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    fn from(vars: &[(&str, &str)]) -> Result<SessionConfig, ConfigError> {
        let vars: HashMap<String, String> =
            vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        SessionConfig::from_vars(|name| vars.get(name).cloned())
    }

    #[test]
    fn table_name_selects_the_backend_as_architect_does() {
        assert_eq!(Backend::from_table_name(None), Backend::Cookie);
        for cookie in ["", "cookie", "jwe"] {
            assert_eq!(Backend::from_table_name(Some(cookie)), Backend::Cookie);
        }
        assert_eq!(Backend::from_table_name(Some("memory")), Backend::Memory);
        assert_eq!(
            Backend::from_table_name(Some("app-production-session")),
            Backend::DynamoDb { table: "app-production-session".into() }
        );
    }

    #[test]
    fn defaults_are_secure_sealed_cookies() {
        let config = from(&[("SESSION_SECRET", SECRET)]).unwrap();
        assert_eq!(config.backend, Backend::Cookie);
        assert!(config.secure);
        assert_eq!(config.same_site, SameSite::Lax);
        assert_eq!(config.cookie_name, "_idx");
        assert_eq!(config.path, "/");
        assert_eq!(config.expiry, Expiry::default());
    }

    #[test]
    fn every_variable_is_read() {
        let config = from(&[
            ("SESSION_SECRET", SECRET),
            (
                "SESSION_SECRET_PREVIOUS",
                "an-older-secret-longer-than-32-bytes, another-old-secret-of-over-32-bytes",
            ),
            ("SESSION_TABLE_NAME", "memory"),
            ("SESSION_COOKIE_NAME", "sid"),
            ("SESSION_COOKIE_SECURE", "false"),
            ("SESSION_SAME_SITE", "Strict"),
            ("SESSION_DOMAIN", "example.com"),
            ("SESSION_TTL", "600"),
            ("SESSION_ABSOLUTE_TTL", "3600"),
            ("SESSION_REFRESH_INTERVAL", "60"),
            ("SESSION_COOKIE_PERSISTENT", "false"),
            ("SESSION_STORE_TIMEOUT_MS", "1500"),
        ])
        .unwrap();
        assert_eq!(config.keyring.len(), 3);
        assert_eq!(config.backend, Backend::Memory);
        assert_eq!(config.cookie_name, "sid");
        assert!(!config.secure);
        assert_eq!(config.same_site, SameSite::Strict);
        assert_eq!(config.domain.as_deref(), Some("example.com"));
        assert_eq!(config.expiry.idle_timeout(), Duration::from_secs(600));
        assert_eq!(config.expiry.absolute_lifetime(), Duration::from_secs(3600));
        assert_eq!(config.expiry.refresh_every(), Duration::from_secs(60));
        assert!(!config.expiry.is_persistent());
        assert_eq!(config.store_timeout(), Duration::from_millis(1500));
        assert!(from(&[("SESSION_STORE_TIMEOUT_MS", "0")]).is_err());
    }

    #[test]
    fn a_short_secret_is_refused_without_echoing_it() {
        let err = from(&[("SESSION_SECRET", "tooshort")]).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("SESSION_SECRET") && message.contains("at least 32"), "{message}");
        assert!(!message.contains("tooshort"));
        let err = from(&[("SESSION_SECRET", SECRET), ("SESSION_SECRET_PREVIOUS", "short")]);
        assert!(matches!(err, Err(ConfigError::Secret { .. })));
    }

    #[test]
    fn no_secret_is_a_random_key_or_an_error_when_required() {
        let a = from(&[]).unwrap();
        let b = from(&[]).unwrap();
        assert_ne!(a.keyring.current().id(), b.keyring.current().id(), "never a fixed key");
        assert!(matches!(
            from(&[("SESSION_REQUIRE_SECRET", "1")]),
            Err(ConfigError::MissingSecret)
        ));
        assert!(from(&[("SESSION_REQUIRE_SECRET", "1"), ("SESSION_SECRET", SECRET)]).is_ok());
        assert!(matches!(
            from(&[("SESSION_SECRET_PREVIOUS", SECRET)]),
            Err(ConfigError::MissingSecret)
        ));
    }

    #[test]
    fn bad_values_name_their_variable() {
        for (name, value) in [
            ("SESSION_COOKIE_SECURE", "maybe"),
            ("SESSION_SAME_SITE", "sometimes"),
            ("SESSION_TTL", "-5"),
            ("SESSION_ABSOLUTE_TTL", "0"),
        ] {
            let err = from(&[("SESSION_SECRET", SECRET), (name, value)]).unwrap_err();
            assert!(err.to_string().starts_with(name), "{err}");
        }
    }

    proptest::proptest! {
        /// Whatever the environment holds, configuration is a value or an error, never a panic,
        /// and an error never echoes a secret.
        #[test]
        fn any_environment_is_a_config_or_an_error(
            values in proptest::collection::vec(proptest::option::of(".{0,40}"), 13)
        ) {
            const NAMES: [&str; 14] = [
                "SESSION_SECRET", "SESSION_SECRET_PREVIOUS", "SESSION_REQUIRE_SECRET",
                "SESSION_TABLE_NAME", "SESSION_COOKIE_NAME", "SESSION_COOKIE_SECURE",
                "SESSION_SAME_SITE", "SESSION_DOMAIN", "SESSION_TTL", "SESSION_ABSOLUTE_TTL",
                "SESSION_STORE_TIMEOUT_MS",
                "SESSION_REFRESH_INTERVAL", "SESSION_COOKIE_PERSISTENT", "SESSION_UNUSED",
            ];
            let vars: Vec<(&str, &str)> = NAMES
                .iter()
                .zip(&values)
                .filter_map(|(name, value)| value.as_deref().map(|v| (*name, v)))
                .collect();
            if let Err(error) = from(&vars) {
                let message = error.to_string();
                for (name, value) in &vars {
                    if name.starts_with("SESSION_SECRET") && value.trim().len() >= 12 {
                        proptest::prop_assert!(!message.contains(value.trim()), "{message}");
                    }
                }
            }
        }
    }

    #[test]
    fn inconsistent_cookie_settings_are_refused() {
        let base = || SessionConfig::builder().keyring(Keyring::from_secrets(SECRET, []).unwrap());
        assert!(base().cookie_name("a b").build().is_err());
        assert!(base().cookie_name("").build().is_err());
        assert!(base().path("no-slash").build().is_err());
        assert!(base().domain("a;b").build().is_err());
        assert!(base().same_site(SameSite::None).secure(false).build().is_err());
        assert!(base().same_site(SameSite::None).build().is_ok());
    }
}
