// The async client, on reqwest (rustls with ring) and tokio. Builds requests with the
// sans-IO core, sends them, and retries connection failures and 429/503 where that is safe.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll as TaskPoll};
use std::time::{Instant, SystemTime};

use super::client::{self, Config, Error, TransportKind};
use super::operation::Operation;
use super::paginate::{Cursor, Paginated};
use super::wait::{Poll, Step, WaitOptions, Waiter};

/// An async client: one method per operation, each returning the typed result.
#[derive(Clone, Debug)]
pub struct Client {
    config: Config,
    http: reqwest::Client,
}

impl Client {
    /// A client with `config`'s endpoints, auth, timeouts and retry policy.
    pub fn new(config: Config) -> Result<Self, Error> {
        // One deadline per attempt, as the blocking client has: connecting, sending and
        // receiving the whole response together take at most `connect + read`. reqwest's
        // `read_timeout` alone restarts at every read, so a server sending a byte at a time
        // could hold a call for ever; `timeout` covers the body too.
        let (connect, attempt) = config.attempt_timeouts();
        let http = reqwest::Client::builder()
            .connect_timeout(connect)
            .timeout(attempt)
            .read_timeout(attempt - connect)
            // Redirects would resend credentials elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Client { config, http })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Calls operation `O`: validates, builds, signs, sends (with retries) and reads.
    pub async fn call<O: Operation>(&self, params: &O::Parameters, body: &O::Request) -> Result<O::Response, Error> {
        let mut attempt = 0;
        loop {
            let request = client::build_request::<O>(&self.config, params, body, SystemTime::now())?;
            let method = request.method().clone();
            let outcome = self.send(request).await;
            if let Some(delay) = client::retry_delay(&self.config.retry, &method, attempt, &outcome) {
                tokio::time::sleep(delay).await;
                attempt += 1;
                continue;
            }
            return client::read_response::<O>(outcome?);
        }
    }

    /// Calls operation `O`, which has no request body (a `GET`, a `DELETE`).
    pub async fn call_bodyless<O: Operation<Request = ()>>(&self, params: &O::Parameters) -> Result<O::Response, Error> {
        self.call::<O>(params, &()).await
    }

    /// Every item of list operation `O`, across pages, starting with the page `params` ask
    /// for: a [`futures_core::Stream`], lazy (a page is requested when the items before it
    /// have been consumed). The stream owns a clone of the client, so it can be moved into
    /// a task.
    pub fn pages<O: Paginated>(&self, params: O::Parameters) -> Pages<O> {
        Pages { client: self.clone(), cursor: Cursor::new(params), fetch: None }
    }

    /// Polls `W`'s show operation with `params` until the resource reaches one of
    /// `W::DONE`, and returns the last response; or fails with [`Error::WaitFailed`] on one
    /// of `W::FAILED`, with [`Error::WaitTimeout`] (naming the last status seen) once
    /// `options.timeout` has passed, or with the error of a poll.
    pub async fn wait<W: Waiter>(&self, params: &<W::Operation as Operation>::Parameters, options: &WaitOptions) -> Result<<W::Operation as Operation>::Response, Error> {
        let mut poll = Poll::new(*options, Instant::now());
        loop {
            let outcome = self.call_bodyless::<W::Operation>(params).await;
            match poll.observe::<W>(outcome, Instant::now()) {
                Step::Done(result) => return result,
                Step::Sleep(delay) => tokio::time::sleep(delay).await,
            }
        }
    }

    /// Polls `W`'s show operation with `params` until it answers 404: the resource is gone.
    /// Fails as [`Client::wait`] does.
    pub async fn wait_until_gone<W: Waiter>(&self, params: &<W::Operation as Operation>::Parameters, options: &WaitOptions) -> Result<(), Error> {
        let mut poll = Poll::new(*options, Instant::now());
        loop {
            let outcome = self.call_bodyless::<W::Operation>(params).await;
            match poll.observe_gone::<W>(outcome, Instant::now()) {
                Step::Done(result) => return result,
                Step::Sleep(delay) => tokio::time::sleep(delay).await,
            }
        }
    }

    async fn send(&self, request: http::Request<client::Body>) -> Result<http::Response<Vec<u8>>, Error> {
        let request = reqwest::Request::try_from(request.map(client::Body::into_bytes)).map_err(|e| transport_error(&e))?;
        let mut response = self.http.execute(request).await.map_err(|e| transport_error(&e))?;
        let mut builder = http::Response::builder().status(response.status().as_u16());
        for (name, value) in response.headers() {
            builder = builder.header(name.as_str(), value.as_bytes());
        }
        // Read chunk by chunk so that a body over the limit is refused without buffering it.
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| transport_error(&e))? {
            if (bytes.len() + chunk.len()) as u64 > self.config.max_body_bytes {
                return Err(Error::Transport { kind: TransportKind::TooLarge, message: format!("response body over {} bytes", self.config.max_body_bytes) });
            }
            bytes.extend_from_slice(&chunk);
        }
        builder.body(bytes).map_err(|e| Error::Transport { kind: TransportKind::Other, message: e.to_string() })
    }
}

fn transport_error(error: &reqwest::Error) -> Error {
    let kind = if error.is_connect() {
        TransportKind::Connect
    } else if error.is_timeout() {
        TransportKind::Timeout
    } else {
        TransportKind::Other
    };
    // reqwest's message names the URL, never headers, so no credential can leak.
    Error::Transport { kind, message: error.to_string() }
}

/// The request for one page, under way.
type Fetch<R> = Pin<Box<dyn Future<Output = Result<R, Error>> + Send>>;

/// Every item of a paginated list, page after page: a [`futures_core::Stream`] of
/// `Result`s, which [`Pages::next`] and [`Pages::try_collect`] also read without a futures
/// crate. An error (a failed call, pages that do not chain) is yielded once, after the
/// items received before it, and ends the stream.
pub struct Pages<O: Paginated> {
    client: Client,
    cursor: Cursor<O>,
    fetch: Option<Fetch<O::Response>>,
}

// The only field that must not move once polled is the request under way, and it is boxed;
// the stream itself can move freely between polls.
impl<O: Paginated> Unpin for Pages<O> {}

impl<O> Pages<O>
where
    O: Paginated + 'static,
    O::Parameters: Send + Sync + 'static,
    O::Response: Send + 'static,
{
    /// Asks for `size` items per page from the next request on (the operation's `limit`).
    pub fn page_size(mut self, size: u32) -> Self {
        self.cursor.set_page_size(size);
        self
    }

    /// The next item, or `None` at the end of the list.
    pub async fn next(&mut self) -> Option<Result<O::Item, Error>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    /// Every remaining item, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<O::Item>, Error> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> TaskPoll<Option<Result<O::Item, Error>>> {
        loop {
            if let Some(next) = self.cursor.pop() {
                return TaskPoll::Ready(Some(next));
            }
            let fetch = match &mut self.fetch {
                Some(fetch) => fetch,
                None => {
                    let Some(params) = self.cursor.next_request() else { return TaskPoll::Ready(None) };
                    let params = params.clone();
                    let client = self.client.clone();
                    self.fetch.insert(Box::pin(async move { client.call_bodyless::<O>(&params).await }))
                }
            };
            let outcome = std::task::ready!(fetch.as_mut().poll(cx));
            self.fetch = None;
            self.cursor.absorb(outcome);
        }
    }
}

impl<O> futures_core::Stream for Pages<O>
where
    O: Paginated + 'static,
    O::Parameters: Send + Sync + 'static,
    O::Response: Send + 'static,
{
    type Item = Result<O::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> TaskPoll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

impl<O: Paginated> std::fmt::Debug for Pages<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages").field("operation", &O::DESCRIPTOR.id).field("fetching", &self.fetch.is_some()).finish_non_exhaustive()
    }
}
