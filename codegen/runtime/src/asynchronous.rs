// The async client, on reqwest (rustls with ring) and tokio. Builds requests with the
// sans-IO core, sends them, and retries connection failures and 429/503 where that is safe.

use std::time::SystemTime;

use super::client::{self, Config, Error, TransportKind};
use super::operation::Operation;

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
