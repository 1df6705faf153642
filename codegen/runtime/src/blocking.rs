// The blocking client, on ureq (rustls with ring). Builds requests with the sans-IO core,
// sends them, and retries connection failures and 429/503 where that is safe.

use std::time::{Instant, SystemTime};

use super::client::{self, Config, Error, TransportKind};
use super::operation::Operation;
use super::paginate::{Cursor, Paginated};
use super::wait::{Poll, Step, WaitOptions, Waiter};

/// A blocking client: one method per operation, each returning the typed result.
#[derive(Clone, Debug)]
pub struct Client {
    config: Config,
    agent: ureq::Agent,
}

impl Client {
    /// A client with `config`'s endpoints, auth, timeouts and retry policy.
    pub fn new(config: Config) -> Self {
        // ureq unwraps the agent's User-Agent as a header value, so an invalid suffix stays
        // out of it (the sans-IO core refuses to build requests with one anyway).
        let user_agent = Some(config.user_agent())
            .filter(|ua| http::HeaderValue::from_str(ua).is_ok_and(|v| v.to_str().is_ok()))
            .unwrap_or_else(|| client::USER_AGENT.to_owned());
        // One deadline per attempt, as the async client has: connecting, sending and
        // receiving the whole response together take at most `connect + read`.
        let (connect, attempt) = config.attempt_timeouts();
        let read = attempt - connect;
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(connect))
            .timeout_per_call(Some(attempt))
            .timeout_recv_response(Some(read))
            .timeout_recv_body(Some(read))
            .timeout_send_body(Some(read))
            // Each request carries the User-Agent the sans-IO core sets; the agent's own is
            // what a proxy sees on CONNECT, so it says the same instead of `ureq/<version>`.
            .user_agent(user_agent)
            // Statuses are read by the sans-IO core, which knows what each operation
            // documents; redirects would resend credentials elsewhere.
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        Client { config, agent }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Calls operation `O`: validates, builds, signs, sends (with retries) and reads.
    pub fn call<O: Operation>(&self, params: &O::Parameters, body: &O::Request) -> Result<O::Response, Error> {
        let mut attempt = 0;
        loop {
            // Each attempt is built anew, so an AK/SK signature carries a fresh date.
            let request = client::build_request::<O>(&self.config, params, body, SystemTime::now())?;
            let method = request.method().clone();
            let outcome = self.send(request);
            if let Some(delay) = client::retry_delay(&self.config.retry, &method, attempt, &outcome) {
                std::thread::sleep(delay);
                attempt += 1;
                continue;
            }
            return client::read_response::<O>(outcome?);
        }
    }

    /// Calls operation `O`, which has no request body (a `GET`, a `DELETE`).
    pub fn call_bodyless<O: Operation<Request = ()>>(&self, params: &O::Parameters) -> Result<O::Response, Error> {
        self.call::<O>(params, &())
    }

    /// Every item of list operation `O`, across pages, starting with the page `params` ask
    /// for. Lazy: a page is requested when the items before it have been consumed.
    pub fn pages<O: Paginated>(&self, params: O::Parameters) -> Pages<'_, O> {
        Pages { client: self, cursor: Cursor::new(params) }
    }

    /// Polls `W`'s show operation with `params` until the resource reaches one of
    /// `W::DONE`, and returns the last response; or fails with [`Error::WaitFailed`] on one
    /// of `W::FAILED`, with [`Error::WaitTimeout`] (naming the last status seen) once
    /// `options.timeout` has passed, or with the error of a poll.
    pub fn wait<W: Waiter>(&self, params: &<W::Operation as Operation>::Parameters, options: &WaitOptions) -> Result<<W::Operation as Operation>::Response, Error> {
        let mut poll = Poll::new(*options, Instant::now());
        loop {
            let outcome = self.call_bodyless::<W::Operation>(params);
            match poll.observe::<W>(outcome, Instant::now()) {
                Step::Done(result) => return result,
                Step::Sleep(delay) => std::thread::sleep(delay),
            }
        }
    }

    /// Polls `W`'s show operation with `params` until it answers 404: the resource is gone.
    /// Fails as [`Client::wait`] does.
    pub fn wait_until_gone<W: Waiter>(&self, params: &<W::Operation as Operation>::Parameters, options: &WaitOptions) -> Result<(), Error> {
        let mut poll = Poll::new(*options, Instant::now());
        loop {
            let outcome = self.call_bodyless::<W::Operation>(params);
            match poll.observe_gone::<W>(outcome, Instant::now()) {
                Step::Done(result) => return result,
                Step::Sleep(delay) => std::thread::sleep(delay),
            }
        }
    }

    fn send(&self, request: http::Request<client::Body>) -> Result<http::Response<Vec<u8>>, Error> {
        let response = self.agent.run(request.map(client::Body::into_bytes)).map_err(transport_error)?;
        let (parts, mut body) = response.into_parts();
        let bytes = body.with_config().limit(self.config.max_body_bytes).read_to_vec().map_err(transport_error)?;
        Ok(http::Response::from_parts(parts, bytes))
    }
}

fn transport_error(error: ureq::Error) -> Error {
    let kind = match &error {
        ureq::Error::ConnectionFailed | ureq::Error::HostNotFound => TransportKind::Connect,
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => TransportKind::Connect,
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::TimedOut || e.kind() == std::io::ErrorKind::WouldBlock => TransportKind::Timeout,
        ureq::Error::Timeout(_) => TransportKind::Timeout,
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => TransportKind::Tls,
        ureq::Error::BodyExceedsLimit(_) => TransportKind::TooLarge,
        _ => TransportKind::Other,
    };
    Error::Transport { kind, message: error.to_string() }
}

/// Every item of a paginated list, page after page: an `Iterator` of `Result`s. An error
/// (a failed call, pages that do not chain) is yielded once, after the items received
/// before it, and ends the iteration.
pub struct Pages<'a, O: Paginated> {
    client: &'a Client,
    cursor: Cursor<O>,
}

impl<O: Paginated> Pages<'_, O> {
    /// Asks for `size` items per page from the next request on (the operation's `limit`).
    pub fn page_size(mut self, size: u32) -> Self {
        self.cursor.set_page_size(size);
        self
    }
}

impl<O: Paginated> Iterator for Pages<'_, O> {
    type Item = Result<O::Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(next) = self.cursor.pop() {
                return Some(next);
            }
            let outcome = self.client.call_bodyless::<O>(self.cursor.next_request()?);
            self.cursor.absorb(outcome);
        }
    }
}

impl<O: Paginated> std::fmt::Debug for Pages<'_, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages").field("operation", &O::DESCRIPTOR.id).finish_non_exhaustive()
    }
}
