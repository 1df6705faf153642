// Waiters, sans-IO: what a waiter tells the runtime (which show operation to poll, where
// the status is, which values end the wait), and the poll state both transports drive.

use std::time::{Duration, Instant};

use super::client::{Error, MAX_TIMEOUT};
use super::operation::Operation;

/// Waiting for a resource to reach a status, by polling its show operation.
///
/// Generated code implements it once per waiter (`VpnConnectionActive`): it names the show
/// operation, the values that end the wait, the values that fail it, and reads the status
/// field. Every other value (`PENDING_CREATE`, or one the pages do not list) means the
/// resource is still on its way, and the waiter polls again.
#[doc(hidden)]
pub trait Waiter {
    /// The show operation polled.
    type Operation: Operation<Request = ()>;
    /// The statuses that end the wait with the resource (`ACTIVE`).
    const DONE: &'static [&'static str];
    /// The statuses that end the wait with [`Error::WaitFailed`] (`ERROR`).
    const FAILED: &'static [&'static str];
    /// The status in a response of the show operation, if it has one.
    fn status(response: &<Self::Operation as Operation>::Response) -> Option<&str>;
}

/// How often and how long a waiter polls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitOptions {
    /// How long waiting may take in all; the last poll happens at this deadline. A poll
    /// under way when it passes finishes first (each poll is bounded by the client's
    /// timeouts and retries).
    pub timeout: Duration,
    /// The wait before the second poll; it doubles for each further one.
    pub initial_delay: Duration,
    /// The longest wait between two polls.
    pub max_delay: Duration,
}

impl Default for WaitOptions {
    /// Ten minutes in all, polling after 2 s, 4 s, 8 s, then every 15 s: these resources
    /// typically settle within a few minutes.
    fn default() -> Self {
        WaitOptions { timeout: Duration::from_secs(600), initial_delay: Duration::from_secs(2), max_delay: Duration::from_secs(15) }
    }
}

impl WaitOptions {
    /// Sets the overall deadline.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the first and the longest wait between polls.
    pub fn with_delays(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_delay = initial;
        self.max_delay = max;
        self
    }
}

/// What to do after a poll.
#[doc(hidden)]
#[derive(Debug)]
pub enum Step<T> {
    /// The wait is over.
    Done(Result<T, Error>),
    /// Poll again after this long.
    Sleep(Duration),
}

/// Where a wait stands: when it started, how many polls it made, the last status seen. It
/// reads no clock: each observation takes the time it was made, so tests can drive it
/// with made-up instants and no sleeps.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct Poll {
    options: WaitOptions,
    started: Instant,
    polls: u32,
    last_status: Option<String>,
}

impl Poll {
    /// A wait that starts at `now`.
    pub fn new(options: WaitOptions, now: Instant) -> Self {
        Poll { options, started: now, polls: 0, last_status: None }
    }

    /// Reads a poll's outcome at `now`, for a waiter that waits for one of `W::DONE`: done
    /// with the response, failed on one of `W::FAILED` or on an error (a 404 included: the
    /// resource is not there to reach the status), or sleep and poll again.
    pub fn observe<W: Waiter>(&mut self, outcome: Result<<W::Operation as Operation>::Response, Error>, now: Instant) -> Step<<W::Operation as Operation>::Response> {
        let response = match outcome {
            Ok(response) => response,
            Err(error) => return Step::Done(Err(error)),
        };
        let status = W::status(&response).map(str::to_owned);
        match status.as_deref() {
            Some(s) if W::DONE.contains(&s) => Step::Done(Ok(response)),
            Some(s) if W::FAILED.contains(&s) => Step::Done(Err(Error::WaitFailed { operation: W::Operation::DESCRIPTOR.id, status: s.to_owned() })),
            _ => self.again::<W, _>(status, now),
        }
    }

    /// Reads a poll's outcome at `now`, for a waiter that waits for the resource to be
    /// gone: done on a 404, failed on one of `W::FAILED` or on any other error, or sleep
    /// and poll again (whatever the status, `W::DONE` included: the resource still exists).
    pub fn observe_gone<W: Waiter>(&mut self, outcome: Result<<W::Operation as Operation>::Response, Error>, now: Instant) -> Step<()> {
        let response = match outcome {
            Ok(response) => response,
            Err(Error::Api(api)) if api.status == 404 => return Step::Done(Ok(())),
            Err(error) => return Step::Done(Err(error)),
        };
        let status = W::status(&response).map(str::to_owned);
        match status.as_deref() {
            Some(s) if W::FAILED.contains(&s) => Step::Done(Err(Error::WaitFailed { operation: W::Operation::DESCRIPTOR.id, status: s.to_owned() })),
            _ => self.again::<W, _>(status, now),
        }
    }

    /// The wait before the next poll, cut so that the last poll happens at the deadline;
    /// past the deadline, the timeout.
    fn again<W: Waiter, T>(&mut self, status: Option<String>, now: Instant) -> Step<T> {
        self.last_status = status;
        let waited = now.saturating_duration_since(self.started);
        if waited >= self.options.timeout {
            return Step::Done(Err(Error::WaitTimeout { operation: W::Operation::DESCRIPTOR.id, waited, last_status: self.last_status.take() }));
        }
        // Clamped as the client's timeouts are: a sleep of `Duration::MAX` would overflow
        // the timers that add it to the current instant.
        let delay = self.options.initial_delay.saturating_mul(1 << self.polls.min(16)).min(self.options.max_delay).min(MAX_TIMEOUT);
        self.polls = self.polls.saturating_add(1);
        Step::Sleep(delay.min(self.options.timeout - waited))
    }
}
