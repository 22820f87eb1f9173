//! When a session ends: an idle timeout, an absolute lifetime, and the rolling refresh that
//! keeps an active session alive without a write on every request.

use std::fmt;
use std::time::Duration as StdDuration;

use time::{Duration, OffsetDateTime};

/// The source of the current time, replaceable in tests.
pub trait Clock: Send + Sync + fmt::Debug + 'static {
    /// The current time.
    fn now(&self) -> OffsetDateTime;
}

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// How long sessions live.
///
/// A session ends at whichever comes first: `idle` after its last use, or `absolute` after it
/// began. Both are enforced when a session is read, whatever the cookie's `Max-Age` says.
/// "Last use" advances when the session is written, or at most once per `refresh_interval`
/// for a session that is only read (the rolling refresh).
///
/// ```
/// use std::time::Duration;
/// use session_core::Expiry;
///
/// let expiry = Expiry::default()
///     .idle(Duration::from_secs(30 * 60))
///     .absolute(Duration::from_secs(12 * 60 * 60))
///     .refresh_interval(Duration::from_secs(60))
///     .browser_session();
/// assert!(!expiry.is_persistent());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expiry {
    idle: Duration,
    absolute: Duration,
    refresh_interval: Duration,
    persistent: bool,
}

impl Default for Expiry {
    /// Idle 7 days (Architect's session lifetime), absolute 30 days, refresh at most hourly,
    /// and a persistent cookie.
    fn default() -> Self {
        Self {
            idle: Duration::days(7),
            absolute: Duration::days(30),
            refresh_interval: Duration::hours(1),
            persistent: true,
        }
    }
}

impl Expiry {
    /// Ends a session this long after its last use.
    pub fn idle(mut self, idle: StdDuration) -> Self {
        self.idle = to_duration(idle);
        self
    }

    /// Ends a session this long after it began, however active it is.
    pub fn absolute(mut self, absolute: StdDuration) -> Self {
        self.absolute = to_duration(absolute);
        self
    }

    /// A session that is only read is re-issued (and its idle timer restarted) at most once
    /// per this interval.
    pub fn refresh_interval(mut self, interval: StdDuration) -> Self {
        self.refresh_interval = to_duration(interval);
        self
    }

    /// Cookies without `Max-Age` or `Expires`, which browsers drop when they close. The idle
    /// and absolute limits still apply.
    pub fn browser_session(mut self) -> Self {
        self.persistent = false;
        self
    }

    /// Cookies with `Max-Age` and `Expires` (the default).
    pub fn persistent(mut self) -> Self {
        self.persistent = true;
        self
    }

    /// Whether cookies carry `Max-Age` and `Expires`.
    pub fn is_persistent(&self) -> bool {
        self.persistent
    }

    /// The idle timeout.
    pub fn idle_timeout(&self) -> StdDuration {
        to_std(self.idle)
    }

    /// The absolute lifetime.
    pub fn absolute_lifetime(&self) -> StdDuration {
        to_std(self.absolute)
    }

    /// The rolling-refresh interval.
    pub fn refresh_every(&self) -> StdDuration {
        to_std(self.refresh_interval)
    }

    pub(crate) fn validate(&self) -> Result<(), &'static str> {
        if self.idle <= Duration::ZERO || self.absolute <= Duration::ZERO {
            return Err("idle timeout and absolute lifetime must be positive");
        }
        if self.refresh_interval >= self.idle {
            return Err("the refresh interval must be shorter than the idle timeout");
        }
        Ok(())
    }

    /// When a session that began at `created` and is used `now` expires.
    pub(crate) fn deadline(&self, created: OffsetDateTime, now: OffsetDateTime) -> OffsetDateTime {
        (now + self.idle).min(created + self.absolute)
    }

    /// Whether a session that began at `created`, was last used at `last_used` and was given
    /// `expires` as its deadline is still live `now`, under the limits configured today.
    pub(crate) fn is_live(
        &self,
        created: OffsetDateTime,
        last_used: OffsetDateTime,
        expires: OffsetDateTime,
        now: OffsetDateTime,
    ) -> bool {
        now < expires && now < last_used + self.idle && now < created + self.absolute
    }

    /// Whether re-issuing now would push the deadline out by at least the refresh interval.
    pub(crate) fn refresh_due(
        &self,
        created: OffsetDateTime,
        expires: OffsetDateTime,
        now: OffsetDateTime,
    ) -> bool {
        self.deadline(created, now) - expires >= self.refresh_interval
    }
}

fn to_duration(d: StdDuration) -> Duration {
    Duration::try_from(d).unwrap_or(Duration::MAX)
}

fn to_std(d: Duration) -> StdDuration {
    StdDuration::try_from(d).unwrap_or_default()
}

/// `now`, truncated to whole seconds: cookies and stores keep second precision, and a
/// session must compare equal to itself after a round trip.
pub(crate) fn whole_seconds(t: OffsetDateTime) -> OffsetDateTime {
    t.replace_nanosecond(0).unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    const T0: OffsetDateTime = datetime!(2026-01-01 00:00 UTC);

    fn policy() -> Expiry {
        Expiry::default()
            .idle(StdDuration::from_secs(600))
            .absolute(StdDuration::from_secs(3600))
            .refresh_interval(StdDuration::from_secs(60))
    }

    #[test]
    fn deadline_is_the_earlier_of_idle_and_absolute() {
        let e = policy();
        assert_eq!(e.deadline(T0, T0), T0 + Duration::minutes(10));
        assert_eq!(e.deadline(T0, T0 + Duration::minutes(55)), T0 + Duration::hours(1));
    }

    #[test]
    fn liveness_enforces_every_limit() {
        let e = policy();
        let exp = T0 + Duration::minutes(10);
        assert!(e.is_live(T0, T0, exp, T0 + Duration::minutes(9)));
        assert!(!e.is_live(T0, T0, exp, exp), "expired at the deadline");
        // A deadline far in the future (an older, longer policy) does not beat today's limits.
        let far = T0 + Duration::days(30);
        assert!(!e.is_live(T0, T0, far, T0 + Duration::minutes(11)), "idle");
        let recent = T0 + Duration::minutes(59);
        assert!(!e.is_live(T0, recent, far, T0 + Duration::minutes(61)), "absolute");
    }

    #[test]
    fn refresh_is_due_once_per_interval() {
        let e = policy();
        let exp = e.deadline(T0, T0);
        assert!(!e.refresh_due(T0, exp, T0 + Duration::seconds(59)));
        assert!(e.refresh_due(T0, exp, T0 + Duration::seconds(60)));
        // Near the absolute end there is nothing left to extend.
        let late = T0 + Duration::minutes(58);
        assert!(!e.refresh_due(T0, e.deadline(T0, late), late + Duration::minutes(1)));
    }

    #[test]
    fn validation_refuses_nonsense() {
        assert!(Expiry::default().validate().is_ok());
        assert!(Expiry::default().idle(StdDuration::ZERO).validate().is_err());
        assert!(
            Expiry::default()
                .refresh_interval(StdDuration::from_secs(8 * 86400))
                .validate()
                .is_err()
        );
    }
}
