// The sans-IO client core: configuration, building `http::Request`s and reading
// `http::Response`s, typed errors. No I/O happens here; the transports send what this builds.

use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::operation::{Context, Descriptor, Operation, PartsError, RequestParts};
use super::secret::Secret;
use super::sign;
use super::validate::{Validate, Violations};

/// The `User-Agent` of every request, `netapi/<version>` (the generated crate's version), so
/// that operators can find this client's requests in their logs. An application adds its
/// own name with [`Config::with_user_agent_suffix`].
pub const USER_AGENT: &str = concat!("netapi/", env!("CARGO_PKG_VERSION"));

/// Which cloud's regional endpoints to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cloud {
    /// Huawei Cloud: `https://{service}.{region}.myhuaweicloud.com`.
    Huawei,
    /// Open Telekom Cloud: `https://{service}.{region}.otc.t-systems.com`.
    OpenTelekomCloud,
}

/// The base URL of each service.
///
/// `Debug` hides the user-info part of a URL (`user:password@`), which
/// [`build_request`] refuses anyway.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Endpoints {
    cloud: Option<(Cloud, String)>,
    overrides: BTreeMap<String, String>,
}

impl Endpoints {
    /// Huawei Cloud's endpoints in `region` (for example `ap-southeast-1`).
    pub fn huawei(region: impl Into<String>) -> Self {
        Endpoints { cloud: Some((Cloud::Huawei, region.into())), overrides: BTreeMap::new() }
    }

    /// Open Telekom Cloud's endpoints in `region` (for example `eu-de`).
    pub fn open_telekom_cloud(region: impl Into<String>) -> Self {
        Endpoints { cloud: Some((Cloud::OpenTelekomCloud, region.into())), overrides: BTreeMap::new() }
    }

    /// No endpoints yet; set each service with [`Endpoints::with_service`].
    pub fn custom() -> Self {
        Endpoints::default()
    }

    /// Sends requests for `service` (`dcaas`, `vpc`, `vpn`) to `base_url` instead.
    pub fn with_service(mut self, service: impl Into<String>, base_url: impl Into<String>) -> Self {
        self.overrides.insert(service.into(), base_url.into());
        self
    }

    /// The base URL for `service`, without a trailing slash; `None` when no endpoint is
    /// configured for it, or when the cloud's region is not a valid region name (see
    /// [`build_request`] for the rules a base URL must meet).
    pub fn base_url(&self, service: &str) -> Option<String> {
        self.resolve(service).ok().flatten()
    }

    /// The base URL for `service` (`None` when nothing is configured), or why the region
    /// cannot be used.
    fn resolve(&self, service: &str) -> Result<Option<String>, String> {
        if let Some(url) = self.overrides.get(service) {
            return Ok(Some(url.trim_end_matches('/').to_owned()));
        }
        let Some((cloud, region)) = self.cloud.as_ref() else { return Ok(None) };
        // The region becomes part of a host name: anything but a DNS label would send the
        // request, and its credentials, to another host (`attacker.example/` builds
        // `vpn.attacker.example/.myhuaweicloud.com`).
        if !valid_region(region) {
            return Err(format!(
                "the region {:?} is not a region name (lower-case letters, digits and `-`, as `eu-de` or `ap-southeast-1`)",
                region
            ));
        }
        Ok(Some(match cloud {
            Cloud::Huawei => format!("https://{service}.{region}.myhuaweicloud.com"),
            Cloud::OpenTelekomCloud => format!("https://{service}.{region}.otc.t-systems.com"),
        }))
    }
}

impl fmt::Debug for Endpoints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let overrides: BTreeMap<&str, String> = self.overrides.iter().map(|(service, url)| (service.as_str(), without_userinfo(url))).collect();
        f.debug_struct("Endpoints").field("cloud", &self.cloud).field("overrides", &overrides).finish()
    }
}

/// A region name: one DNS label of lower-case letters, digits and inner hyphens.
fn valid_region(region: &str) -> bool {
    !region.is_empty()
        && region.len() <= 63
        && region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !region.starts_with('-')
        && !region.ends_with('-')
}

/// `url` with its user-info (`user:password@`) replaced by `***@`, for messages and `Debug`.
fn without_userinfo(url: &str) -> String {
    let (scheme, rest) = match url.find("://") {
        Some(i) => url.split_at(i + 3),
        None => ("", url),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}***{}", &rest[at..]),
        None => url.to_owned(),
    }
}

/// A base URL that passed [`parse_base`]: the scheme in lower case, and the rest as given.
struct Base {
    https: bool,
    url: String,
}

/// Checks a base URL before anything is built from it: `http` or `https` (in any case, as
/// RFC 3986 says schemes are case-insensitive), a host, no user-info, query or fragment.
/// Each of those would send the request somewhere else than the caller meant, or send the
/// credentials in the URL.
fn parse_base(base: &str) -> Result<Base, String> {
    let shown = without_userinfo(base);
    let Some((scheme, rest)) = base.split_once("://") else {
        return Err(format!("the endpoint `{shown}` is not an absolute URL (`https://host`)"));
    };
    let lower = scheme.to_ascii_lowercase();
    let https = match lower.as_str() {
        "https" => true,
        "http" => false,
        _ => return Err(format!("the endpoint `{shown}` has the scheme `{scheme}`; only `https` (and `http` for tests) are supported")),
    };
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    if authority.contains('@') {
        return Err(format!("the endpoint `{shown}` contains user-info (`user:password@`); credentials belong in `Auth`, never in the URL"));
    }
    if authority.is_empty() {
        return Err(format!("the endpoint `{shown}` has no host"));
    }
    if rest.contains('?') || rest.contains('#') {
        return Err(format!("the endpoint `{shown}` has a query or fragment; a base URL is a scheme, a host and an optional path"));
    }
    Ok(Base { https, url: format!("{lower}://{rest}") })
}

/// An access key / secret key pair, with an optional security token for temporary
/// credentials. `Debug` shows only the last four characters of the access key.
#[derive(Clone, PartialEq, Eq)]
pub struct AkSk {
    access_key: String,
    secret_key: Secret,
    security_token: Option<Secret>,
}

impl AkSk {
    /// A permanent key pair.
    pub fn new(access_key: impl Into<String>, secret_key: impl Into<Secret>) -> Self {
        AkSk { access_key: access_key.into(), secret_key: secret_key.into(), security_token: None }
    }

    /// Adds the security token of temporary credentials (sent as `X-Security-Token`).
    pub fn with_security_token(mut self, token: impl Into<Secret>) -> Self {
        self.security_token = Some(token.into());
        self
    }
}

impl fmt::Debug for AkSk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tail: String = self.access_key.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
        f.debug_struct("AkSk")
            .field("access_key", &format_args!("***{tail}"))
            .field("secret_key", &self.secret_key)
            .field("security_token", &self.security_token)
            .finish()
    }
}

/// How requests authenticate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Auth {
    /// No credentials (for tests against a local server).
    None,
    /// An IAM token, sent as `X-Auth-Token`.
    Token(Secret),
    /// AK/SK signing, `SDK-HMAC-SHA256`.
    AkSk(AkSk),
}

/// When to try a request again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retry {
    /// Attempts in all, the first included. `1` turns retries off.
    pub max_attempts: u32,
    /// The wait before the second attempt; it doubles for each further one.
    pub base_delay: Duration,
    /// Also retry requests that are not idempotent (a `POST` that creates a resource) after
    /// their body was sent. Off by default: such a retry can create the resource twice.
    pub non_idempotent: bool,
}

impl Default for Retry {
    fn default() -> Self {
        Retry { max_attempts: 3, base_delay: Duration::from_millis(200), non_idempotent: false }
    }
}

/// The longest timeout a [`Config`] uses: one day. Longer ones (`Duration::MAX`) are
/// clamped to it, because HTTP libraries add timeouts to the current instant, which
/// overflows, and a call that may take longer than a day is a hang in practice.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);

/// Everything a client needs besides its transport.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where each service is.
    pub endpoints: Endpoints,
    /// How requests authenticate.
    pub auth: Auth,
    /// The project id, for paths that contain `{project_id}` (and `X-Project-Id` with AK/SK).
    pub project_id: Option<String>,
    /// Validate bodies before sending them (on by default).
    pub validate: bool,
    /// Allow sending credentials over plain `http://` (off by default; tests on loopback
    /// turn it on).
    pub allow_http: bool,
    /// How long connecting may take (at most [`MAX_TIMEOUT`]; longer values count as it).
    pub connect_timeout: Duration,
    /// How long sending the request and receiving the whole response may take, after
    /// connecting (at most [`MAX_TIMEOUT`]). With `connect_timeout` it makes one deadline
    /// per attempt, the same for both transports: a server that sends its answer a byte at a
    /// time cannot hold a call longer than `connect_timeout + read_timeout`.
    pub read_timeout: Duration,
    /// Retries for connection failures and 429/503 answers.
    pub retry: Retry,
    /// Response bodies larger than this are refused.
    pub max_body_bytes: u64,
    /// The application's name and version, sent after [`USER_AGENT`] (`my-tool/1.2`).
    pub user_agent_suffix: Option<String>,
}

impl Config {
    /// A configuration with the given endpoints and auth and the defaults: validation on,
    /// `https` only, 10 s to connect, 30 s to read, 3 attempts, 16 MiB bodies at most.
    pub fn new(endpoints: Endpoints, auth: Auth) -> Self {
        Config {
            endpoints,
            auth,
            project_id: None,
            validate: true,
            allow_http: false,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            retry: Retry::default(),
            max_body_bytes: 16 * 1024 * 1024,
            user_agent_suffix: None,
        }
    }

    /// Sets the project id.
    pub fn with_project_id(mut self, project_id: impl Into<String>) -> Self {
        self.project_id = Some(project_id.into());
        self
    }

    /// Turns validation before sending on or off.
    pub fn with_validation(mut self, validate: bool) -> Self {
        self.validate = validate;
        self
    }

    /// Allows credentials over plain `http://`.
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Sets the connect and read timeouts, each clamped to [`MAX_TIMEOUT`].
    pub fn with_timeouts(mut self, connect: Duration, read: Duration) -> Self {
        self.connect_timeout = connect.min(MAX_TIMEOUT);
        self.read_timeout = read.min(MAX_TIMEOUT);
        self
    }

    /// The connect timeout and the total deadline of one attempt (`connect_timeout +
    /// read_timeout`), each timeout clamped to [`MAX_TIMEOUT`] (the fields are public, so
    /// they are clamped again here), as the transports use them.
    pub fn attempt_timeouts(&self) -> (Duration, Duration) {
        let connect = self.connect_timeout.min(MAX_TIMEOUT);
        (connect, connect + self.read_timeout.min(MAX_TIMEOUT))
    }

    /// Sets the retry policy.
    pub fn with_retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }

    /// Names the application in the `User-Agent` header, after the crate's own
    /// (`netapi/0.1.0 my-tool/1.2`), as cloud SDKs do. Surrounding whitespace is dropped and
    /// an empty suffix means none. A suffix that is not a valid header value (a control
    /// character, a non-ASCII character) is refused when a request is built, as an
    /// [`Error::Config`], so nothing is sent with it.
    pub fn with_user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// The `User-Agent` header value: [`USER_AGENT`], then the suffix, if any.
    pub fn user_agent(&self) -> String {
        match self.user_agent_suffix.as_deref().map(str::trim) {
            Some(suffix) if !suffix.is_empty() => format!("{USER_AGENT} {suffix}"),
            _ => USER_AGENT.to_owned(),
        }
    }
}

/// What kind of transport failure happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportKind {
    /// The connection could not be made; nothing was sent.
    Connect,
    /// Connecting or waiting for the response took too long.
    Timeout,
    /// The TLS handshake or certificate check failed.
    Tls,
    /// The response body was larger than allowed.
    TooLarge,
    /// Anything else on the way (a reset connection, a malformed HTTP response).
    Other,
}

/// An error body of one of the shapes these services use, and where it came from.
///
/// Neither `Display` nor `Debug` shows the raw body (a server may echo the request, secrets
/// included); read it with [`ApiError::raw_body`]. `Display` escapes control characters in
/// everything the server sent, so a message cannot forge log lines.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The service's error code (`VPC.0101`, Neutron's error type).
    pub code: Option<String>,
    /// The service's message.
    pub message: Option<String>,
    /// Neutron's `detail`, when given.
    pub detail: Option<String>,
    /// The request id, from `X-Request-Id` or the body's `request_id`.
    pub request_id: Option<String>,
    body: String,
}

impl ApiError {
    /// Reads the error shapes: `{"error_code", "error_msg"}`, `{"code", "message"}` at the top
    /// level or one level down (`{"error": {...}}`), and Neutron's
    /// `{"NeutronError": {"type", "message", "detail"}}`. Anything else keeps only the raw body.
    pub fn parse(status: u16, request_id_header: Option<&str>, body: &[u8]) -> ApiError {
        let text = String::from_utf8_lossy(body).into_owned();
        let mut error = ApiError { status, code: None, message: None, detail: None, request_id: request_id_header.map(str::to_owned), body: text };
        let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body) else { return error };
        let text_of = |v: Option<&serde_json::Value>| -> Option<String> {
            match v? {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Null => None,
                other => Some(other.to_string()),
            }
        };
        if error.request_id.is_none() {
            error.request_id = text_of(map.get("request_id"));
        }
        if map.contains_key("error_code") || map.contains_key("error_msg") {
            error.code = text_of(map.get("error_code"));
            error.message = text_of(map.get("error_msg"));
        } else if map.contains_key("code") || map.contains_key("message") {
            error.code = text_of(map.get("code"));
            error.message = text_of(map.get("message"));
        } else if let Some(serde_json::Value::Object(neutron)) = map.get("NeutronError") {
            error.code = text_of(neutron.get("type"));
            error.message = text_of(neutron.get("message"));
            error.detail = text_of(neutron.get("detail")).filter(|d| !d.is_empty());
        } else if let Some(inner) = map.values().find_map(|v| match v {
            serde_json::Value::Object(inner) if inner.contains_key("code") || inner.contains_key("message") || inner.contains_key("error_code") => Some(inner),
            _ => None,
        }) {
            error.code = text_of(inner.get("code").or(inner.get("error_code")));
            error.message = text_of(inner.get("message").or(inner.get("error_msg")));
            if error.request_id.is_none() {
                error.request_id = text_of(inner.get("request_id"));
            }
        }
        error
    }

    /// The raw body, as text (invalid UTF-8 replaced). It is what the server sent, which
    /// may quote the request and its secrets: log it only where that is acceptable.
    pub fn raw_body(&self) -> &str {
        &self.body
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("detail", &self.detail)
            .field("request_id", &self.request_id)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {}", Escaped(code))?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {}", Escaped(message))?;
        }
        if let Some(detail) = &self.detail {
            write!(f, " ({})", Escaped(detail))?;
        }
        if self.code.is_none() && self.message.is_none() && !self.body.is_empty() {
            write!(f, " with a body of {} bytes in no known error shape", self.body.len())?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {}]", Escaped(id))?;
        }
        Ok(())
    }
}

/// Text from the network, shown with control characters, line and paragraph separators and
/// bidi controls escaped (`\n`, `\u{1b}`), so that it cannot start a forged log line or
/// rearrange what a terminal shows.
struct Escaped<'a>(&'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            match c {
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}') => {
                    write!(f, "\\u{{{:x}}}", u32::from(c))?
                }
                c => fmt::Write::write_char(f, c)?,
            }
        }
        Ok(())
    }
}

/// Everything that can go wrong with a call. None of it ever holds a credential, and
/// `Debug` and `Display` never show a raw body (a response may quote a secret back).
/// `Display` escapes control characters in everything that came from the network.
pub enum Error {
    /// The request broke the spec's constraints; nothing was sent.
    Validation(Violations),
    /// The client is not set up for this call (no endpoint, no project id, credentials over
    /// `http://`, a base URL with user-info, a query or a fragment); nothing was sent.
    Config(String),
    /// The request could not be delivered or the response not received.
    Transport {
        /// What went wrong.
        kind: TransportKind,
        /// The transport's description.
        message: String,
    },
    /// The service answered with an error status (4xx, 5xx). Boxed: errors stay small for
    /// the `Result`s that carry them.
    Api(Box<ApiError>),
    /// The service answered with a success or informational status the spec does not
    /// document, or with a status outside HTTP's 100 to 599.
    UndocumentedStatus(Box<ApiError>),
    /// A documented success status with a body that does not fit the response type.
    MalformedBody {
        /// The HTTP status.
        status: u16,
        /// What does not fit.
        message: String,
        /// The request id, if the response had one.
        request_id: Option<String>,
        /// The raw body, as text. It may quote secrets; neither `Debug` nor `Display` shows it.
        body: String,
    },
    /// A list's pages do not chain, so walking them stopped: following the server would
    /// loop for ever or skip items.
    Pagination {
        /// The list operation's id.
        operation: &'static str,
        /// What is wrong with the pages.
        problem: PageProblem,
    },
    /// While waiting, the resource reached a status the waiter counts as a failure
    /// (`ERROR`).
    WaitFailed {
        /// The id of the operation that was polled.
        operation: &'static str,
        /// The failed status, as the server sent it.
        status: String,
    },
    /// The waiter's deadline passed before the resource reached a status it waits for.
    WaitTimeout {
        /// The id of the operation that was polled.
        operation: &'static str,
        /// How long the waiter waited.
        waited: Duration,
        /// The status the last poll saw (`None` when the response had none).
        last_status: Option<String>,
    },
}

/// Why a list's pages do not chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageProblem {
    /// The server sent, as the next page's marker, a marker it had sent before.
    RepeatedMarker(String),
    /// The server sent a `next` link whose query has no `marker`.
    LinkWithoutMarker(String),
}

impl fmt::Display for PageProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageProblem::RepeatedMarker(marker) => write!(f, "the server repeated the marker `{}`", Escaped(marker)),
            PageProblem::LinkWithoutMarker(href) => write!(f, "the `next` link `{}` has no marker", Escaped(href)),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation(v) => f.debug_tuple("Validation").field(v).finish(),
            Error::Config(m) => f.debug_tuple("Config").field(m).finish(),
            Error::Transport { kind, message } => f.debug_struct("Transport").field("kind", kind).field("message", message).finish(),
            Error::Api(e) => f.debug_tuple("Api").field(e).finish(),
            Error::UndocumentedStatus(e) => f.debug_tuple("UndocumentedStatus").field(e).finish(),
            Error::MalformedBody { status, message, request_id, body } => f
                .debug_struct("MalformedBody")
                .field("status", status)
                .field("message", message)
                .field("request_id", request_id)
                .field("body", &format_args!("<{} bytes>", body.len()))
                .finish(),
            Error::Pagination { operation, problem } => f.debug_struct("Pagination").field("operation", operation).field("problem", problem).finish(),
            Error::WaitFailed { operation, status } => f.debug_struct("WaitFailed").field("operation", operation).field("status", status).finish(),
            Error::WaitTimeout { operation, waited, last_status } => {
                f.debug_struct("WaitTimeout").field("operation", operation).field("waited", waited).field("last_status", last_status).finish()
            }
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation(violations) => write!(f, "the request is invalid: {violations}"),
            Error::Config(message) => write!(f, "client configuration: {}", Escaped(message)),
            Error::Transport { kind, message } => write!(f, "transport error ({kind:?}): {}", Escaped(message)),
            Error::Api(error) => write!(f, "the service refused the request: {error}"),
            Error::UndocumentedStatus(error) if !(100..600).contains(&error.status) => {
                write!(f, "the response status {} is not an HTTP status (100 to 599): {error}", error.status)
            }
            Error::UndocumentedStatus(error) => write!(f, "undocumented response status: {error}"),
            Error::MalformedBody { status, message, request_id, .. } => {
                write!(f, "HTTP {status} with a body that does not fit the response type: {}", Escaped(message))?;
                if let Some(id) = request_id {
                    write!(f, " [request id {}]", Escaped(id))?;
                }
                Ok(())
            }
            Error::Pagination { operation, problem } => write!(f, "the pages of `{operation}` do not chain: {problem}"),
            Error::WaitFailed { operation, status } => write!(f, "`{operation}` reports the failed status `{}`", Escaped(status)),
            Error::WaitTimeout { operation, waited, last_status } => {
                write!(f, "gave up waiting on `{operation}` after {:.1} s; ", waited.as_secs_f64())?;
                match last_status {
                    Some(status) => write!(f, "the last status seen was `{}`", Escaped(status)),
                    None => f.write_str("the last response had no status"),
                }
            }
        }
    }
}

impl std::error::Error for Error {}

impl Error {
    /// The HTTP status, for errors that have one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) | Error::UndocumentedStatus(e) => Some(e.status),
            Error::MalformedBody { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// True for methods a server treats as idempotent, which may be retried safely.
pub fn idempotent(method: &http::Method) -> bool {
    matches!(*method, http::Method::GET | http::Method::HEAD | http::Method::PUT | http::Method::DELETE | http::Method::OPTIONS)
}

/// Builds the request for an operation without a request body (a `GET`, a `DELETE`): the
/// same as [`build_request`], without a body argument. The bound `Request = ()` is how an
/// operation says it has no body, so a caller never writes `&()`.
pub fn build_bodyless_request<O: Operation<Request = ()>>(config: &Config, params: &O::Parameters, now: SystemTime) -> Result<http::Request<Body>, Error> {
    build_request::<O>(config, params, &(), now)
}

/// Builds the request for operation `O` at time `now`: validated (unless turned off), with
/// the path and query from the parameters, JSON headers, and the auth headers (token, or an
/// AK/SK signature over everything else).
///
/// The base URL must be `https://` (or `http://` without credentials or with
/// `Config::allow_http`; the scheme in any case), with a host and no user-info, query or
/// fragment; a region must be a region name; path parameters and the project id must not be
/// empty, `.` or `..`. Anything else is refused before a request exists.
///
/// The body is a [`Body`], whose `Debug` masks secrets, so the request can be logged with
/// `{:?}`: auth headers are marked sensitive and print as `Sensitive`.
pub fn build_request<O: Operation>(config: &Config, params: &O::Parameters, body: &O::Request, now: SystemTime) -> Result<http::Request<Body>, Error> {
    let input = RequestInput {
        descriptor: &O::DESCRIPTOR,
        params,
        body,
        parts: &|context| O::request_parts(params, context),
        payload: &|| serde_json::to_vec(body),
        show: show_body::<O::Request>,
    };
    assemble(config, &input, now)
}

/// An operation's `request_parts` applied to its parameters.
type PartsOf<'a> = &'a dyn Fn(&Context<'_>) -> Result<RequestParts, PartsError>;

/// What [`assemble`] needs of an operation and its values, reached through references to
/// trait objects and plain functions.
struct RequestInput<'a> {
    descriptor: &'a Descriptor,
    params: &'a dyn Validate,
    body: &'a dyn Validate,
    parts: PartsOf<'a>,
    payload: &'a dyn Fn() -> Result<Vec<u8>, serde_json::Error>,
    show: fn(&[u8]) -> Option<String>,
}

/// [`build_request`] without the operation's type: one compiled copy for every operation
/// instead of one each, which was the largest per-operation item of the generated crate's
/// debug build with a client on (BENCHMARKS.md, "Where the compile time goes").
fn assemble(config: &Config, input: &RequestInput<'_>, now: SystemTime) -> Result<http::Request<Body>, Error> {
    if config.validate {
        let mut violations = Violations::new();
        input.params.validate_at(&super::validate::Path::ROOT, &mut violations);
        input.body.validate_at(&super::validate::Path::ROOT, &mut violations);
        if !violations.is_empty() {
            return Err(Error::Validation(violations));
        }
    }
    let descriptor = input.descriptor;
    let base = config
        .endpoints
        .resolve(descriptor.service)
        .map_err(Error::Config)?
        .ok_or_else(|| Error::Config(format!("no endpoint is configured for service `{}`", descriptor.service)))?;
    let base = parse_base(&base).map_err(Error::Config)?;
    let token = match &config.auth {
        Auth::Token(token) => Some(token),
        _ => None,
    };
    let context = Context { project_id: config.project_id.as_deref(), token };
    let parts = (input.parts)(&context).map_err(|e| match e {
        PartsError::MissingProjectId => Error::Config(format!("`{}` needs a project id; set it with `Config::with_project_id`", descriptor.id)),
        PartsError::Invalid(violations) => Error::Validation(violations),
    })?;
    let credentials = !matches!(config.auth, Auth::None);
    if !base.https && credentials && !config.allow_http {
        return Err(Error::Config(format!("refusing to send credentials to `{}` over plain http; use https or `Config::allow_http`", base.url)));
    }
    let query = parts.query.as_str();
    let mut url = format!("{}{}", base.url, parts.path);
    if !query.is_empty() {
        url.push('?');
        url.push_str(query);
    }
    let uri: http::Uri = url.parse().map_err(|e| Error::Config(format!("invalid URL `{url}`: {e}")))?;
    let host = uri.authority().map(|a| a.as_str().to_owned()).unwrap_or_default();
    let payload = if descriptor.request_type.is_some() {
        (input.payload)().map_err(|e| Error::Config(format!("cannot serialize the body: {e}")))?
    } else {
        Vec::new()
    };
    let user_agent = config.user_agent();
    // `http` lets bytes above ASCII through as opaque `obs-text`; a product name has no use
    // for them and servers read them differently, so only what `to_str` accepts is sent.
    if !http::HeaderValue::from_str(&user_agent).is_ok_and(|v| v.to_str().is_ok()) {
        return Err(Error::Config(format!("the User-Agent suffix {:?} is not a valid header value", config.user_agent_suffix.as_deref().unwrap_or_default())));
    }
    // The User-Agent is signed with the other headers, as the official SDKs sign theirs.
    let mut headers: Vec<(String, String)> = vec![("Host".to_owned(), host), ("Accept".to_owned(), "application/json".to_owned()), ("User-Agent".to_owned(), user_agent)];
    if !payload.is_empty() {
        headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
    }
    for (name, value) in &parts.headers {
        headers.push(((*name).to_owned(), value.clone()));
    }
    match &config.auth {
        Auth::None => {}
        Auth::Token(token) => headers.push(("X-Auth-Token".to_owned(), token.expose().to_owned())),
        Auth::AkSk(keys) => {
            let seconds = now.duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
            let date = sign::sdk_date(seconds);
            headers.push((sign::SDK_DATE_HEADER.to_owned(), date.clone()));
            if let Some(project_id) = &config.project_id {
                headers.push(("X-Project-Id".to_owned(), project_id.clone()));
            }
            if let Some(token) = &keys.security_token {
                headers.push(("X-Security-Token".to_owned(), token.expose().to_owned()));
            }
            let borrowed: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
            let input = sign::SignInput { method: descriptor.method, path: uri.path(), query: uri.query().unwrap_or(""), headers: &borrowed, body: &payload };
            let authorization = sign::authorization(&keys.access_key, keys.secret_key.expose(), &input, &date);
            headers.push(("Authorization".to_owned(), authorization));
        }
    }
    let mut builder = http::Request::builder().method(descriptor.method).uri(uri);
    for (name, value) in &headers {
        let mut value = http::HeaderValue::from_str(value).map_err(|_| Error::Config(format!("the value of header `{name}` is not a valid header value")))?;
        // `http` prints sensitive values as `Sensitive` in `Debug`, so a request that is
        // logged does not carry its credentials into the log.
        if matches!(name.as_str(), "Authorization" | "X-Auth-Token" | "X-Security-Token") {
            value.set_sensitive(true);
        }
        builder = builder.header(name.as_str(), value);
    }
    // Header values come from the spec's types and the config; a value that is not a valid
    // header (a newline in a token) is refused here rather than sent.
    builder.body(Body { bytes: payload, show: input.show }).map_err(|e| Error::Config(format!("invalid request: {e}")))
}

/// The body of a built request: the JSON bytes to send, and a `Debug` that never shows a
/// secret. `Debug` reads the bytes back into the typed request body and prints that, so
/// secret fields print as `Secret(***)`; bytes that do not read back (validation turned
/// off, for example) print as their length only.
#[derive(Clone)]
pub struct Body {
    bytes: Vec<u8>,
    show: fn(&[u8]) -> Option<String>,
}

impl Body {
    /// The bytes to send.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The bytes to send, for a transport that takes ownership.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

impl std::ops::Deref for Body {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.bytes
    }
}

impl AsRef<[u8]> for Body {
    fn as_ref(&self) -> &[u8] {
        &self.bytes
    }
}

impl From<Body> for Vec<u8> {
    fn from(body: Body) -> Vec<u8> {
        body.bytes
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.bytes.is_empty() {
            return f.write_str("Body(empty)");
        }
        match (self.show)(&self.bytes) {
            Some(shown) => write!(f, "Body({shown})"),
            None => write!(f, "Body(<{} bytes>)", self.bytes.len()),
        }
    }
}

/// The `Debug` of the typed body that `bytes` read back into, if they do.
fn show_body<T: serde::de::DeserializeOwned + fmt::Debug>(bytes: &[u8]) -> Option<String> {
    from_json::<T>(bytes).ok().map(|body| format!("{body:?}"))
}

/// Reads JSON bytes as `serde_json::from_slice` would, through `serde_json::from_str`: the
/// one deserializer every body goes through (`check_request_json` reads text), so each
/// type's `Deserialize` is compiled for one input reader, not two. JSON is UTF-8 (RFC
/// 8259); bytes that are not are refused with the offset of the first bad byte.
fn from_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, serde_json::Error> {
    match std::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str(text),
        Err(error) => Err(<serde_json::Error as serde::de::Error>::custom(format_args!(
            "the body is not UTF-8: invalid byte at offset {}",
            error.valid_up_to()
        ))),
    }
}

/// Reads a response for operation `O`: the typed body for a documented success status, or a
/// typed error.
pub fn read_response<O: Operation>(response: http::Response<Vec<u8>>) -> Result<O::Response, Error> {
    let success = check_response(response, O::DESCRIPTOR.responses)?;
    match from_json::<O::Response>(success.bytes()) {
        Ok(value) => Ok(value),
        Err(error) => {
            let message = malformed_message::<O::Response>(success.bytes(), &error);
            Err(success.malformed(message))
        }
    }
}

/// A response with a documented success status, whose body is still to be read.
struct Success {
    status: u16,
    request_id: Option<String>,
    body: Vec<u8>,
    has_body: bool,
}

impl Success {
    /// The JSON to read: the body, or `null` for a status documented without one.
    fn bytes(&self) -> &[u8] {
        if self.has_body { &self.body } else { b"null" }
    }

    /// The error for a body that does not read as the documented type.
    fn malformed(self, message: String) -> Error {
        Error::MalformedBody {
            status: self.status,
            message,
            request_id: self.request_id.or_else(|| ApiError::parse(self.status, None, &self.body).request_id),
            body: String::from_utf8_lossy(&self.body).into_owned(),
        }
    }
}

/// [`read_response`] up to reading the body, without the operation's type (see
/// [`assemble`] for why): a documented success status, or the typed error of any other.
fn check_response(response: http::Response<Vec<u8>>, responses: &[(u16, Option<&'static str>)]) -> Result<Success, Error> {
    let status = response.status().as_u16();
    let request_id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response.into_body();
    let documented = responses.iter().find(|(s, _)| *s == status);
    match documented {
        Some((_, has_body)) if (200..300).contains(&status) => {
            // A status documented without a body reads as the unit response type, once the
            // body passed the rule `check_response_json` applies to it: empty, or JSON.
            if has_body.is_none() {
                if let Err(violations) = super::payload::no_body(&String::from_utf8_lossy(&body)) {
                    return Err(Error::MalformedBody { status, message: violations.to_string(), request_id, body: String::from_utf8_lossy(&body).into_owned() });
                }
            }
            Ok(Success { status, request_id, body, has_body: has_body.is_some() })
        }
        // Only 4xx and 5xx are refusals; 600 to 999, which `http` lets through, are no HTTP
        // status at all.
        _ if (400..600).contains(&status) => Err(Error::Api(Box::new(ApiError::parse(status, request_id.as_deref(), &body)))),
        _ => Err(Error::UndocumentedStatus(Box::new(ApiError::parse(status, request_id.as_deref(), &body)))),
    }
}

/// Every structural problem of a success body that did not fit, read again in the collecting
/// mode (which masks secret fields); serde's first message if the body is not JSON at all.
fn malformed_message<T: serde::de::DeserializeOwned>(body: &[u8], error: &serde_json::Error) -> String {
    match super::payload::response::<T>(&String::from_utf8_lossy(body)) {
        Err(violations) => violations.to_string(),
        _ => error.to_string(),
    }
}

/// How long to wait before trying a request again, or `None` to stop: the one retry
/// decision both transports share.
pub fn retry_delay(retry: &Retry, method: &http::Method, attempt: u32, outcome: &Result<http::Response<Vec<u8>>, Error>) -> Option<Duration> {
    let status = match outcome {
        Ok(response) => Ok(response.status().as_u16()),
        Err(Error::Transport { kind, .. }) => Err(*kind),
        Err(_) => Err(TransportKind::Other),
    };
    if !should_retry(retry, method, attempt, &status) {
        return None;
    }
    let retry_after = outcome.as_ref().ok().and_then(|r| r.headers().get("retry-after")).and_then(|v| v.to_str().ok());
    Some(backoff(retry, attempt, retry_after))
}

/// Whether to try again after an outcome, for the retry policy.
pub fn should_retry(retry: &Retry, method: &http::Method, attempt: u32, outcome: &Result<u16, TransportKind>) -> bool {
    if attempt + 1 >= retry.max_attempts {
        return false;
    }
    let replayable = idempotent(method) || retry.non_idempotent;
    match outcome {
        // Nothing reached the server: safe for every method.
        Err(TransportKind::Connect) => true,
        Err(TransportKind::Timeout | TransportKind::Other) => replayable,
        Err(_) => false,
        Ok(429 | 503) => replayable,
        Ok(_) => false,
    }
}

/// The wait before attempt `attempt + 1`: the base delay doubled per attempt, or the
/// server's `Retry-After` seconds when given (capped at a minute), never more than
/// [`MAX_TIMEOUT`].
pub fn backoff(retry: &Retry, attempt: u32, retry_after: Option<&str>) -> Duration {
    if let Some(seconds) = retry_after.and_then(|v| v.trim().parse::<u64>().ok()) {
        return Duration::from_secs(seconds.min(60));
    }
    retry.base_delay.saturating_mul(1 << attempt.min(10)).min(MAX_TIMEOUT)
}
