// What every operation is: a descriptor for tools, and typed parameters and bodies.

use std::fmt;

use super::secret::Secret;
use super::validate::{Validate, Violation, ViolationKind, Violations};

/// The static facts of an operation, for tools and the registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Descriptor {
    /// The snake_case operation id.
    pub id: &'static str,
    /// The page title.
    pub title: &'static str,
    /// The service (`dcaas`, `vpc`, `vpn`).
    pub service: &'static str,
    /// The upper-case HTTP method.
    pub method: &'static str,
    /// The path template, with `{name}` placeholders.
    pub path: &'static str,
    /// Success statuses.
    pub success: &'static [u16],
    /// The Rust name of the request body type, if there is a body.
    pub request_type: Option<&'static str>,
    /// Every documented status with the Rust name of its body type.
    pub responses: &'static [(u16, Option<&'static str>)],
    /// The documentation page the operation was transcribed from.
    pub page: &'static str,
}

/// An operation, as a marker type that ties its parameters and bodies together.
pub trait Operation {
    /// Path, query and header parameters.
    type Parameters: Clone + fmt::Debug + Validate;
    /// The request body (`()` when there is none).
    type Request: serde::Serialize + serde::de::DeserializeOwned + Clone + fmt::Debug + Validate;
    /// The body of the success response (`()` when there is none).
    type Response: serde::Serialize + serde::de::DeserializeOwned + Clone + fmt::Debug;
    /// The static facts.
    const DESCRIPTOR: Descriptor;

    /// The path (parameters percent-encoded), query and headers of a request, from the
    /// caller's parameters and the client's context. The clients call it.
    #[doc(hidden)]
    fn request_parts(
        params: &Self::Parameters,
        context: &Context<'_>,
    ) -> Result<RequestParts, PartsError>;

    /// Calls `visitor` with the body type documented for `status`; `None` when the status
    /// is not documented. The crate's `check_response_json` reads response bodies through
    /// it.
    ///
    /// It is generic, so the response types' deserializers are compiled only where a
    /// caller reads them (`check_response_json`, behind the `check` feature), not in
    /// every build of the crate: compiling them for every operation was half of the
    /// crate's debug build (BENCHMARKS.md, "Where the compile time goes").
    #[doc(hidden)]
    fn visit_response<V: ResponseVisitor>(status: u16, visitor: V) -> Option<V::Output>;
}

/// What [`Operation::visit_response`] calls for a documented status.
#[doc(hidden)]
pub trait ResponseVisitor {
    /// What the visitor returns.
    type Output;
    /// The status documents a body of type `T`.
    fn body<T: serde::de::DeserializeOwned>(self) -> Self::Output;
    /// The status documents no body.
    fn no_body(self) -> Self::Output;
}

/// What the client contributes to every request.
#[derive(Clone, Copy, Debug, Default)]
pub struct Context<'a> {
    /// The project id, for paths that contain `{project_id}`.
    pub project_id: Option<&'a str>,
    /// The IAM token, when the client authenticates with one.
    pub token: Option<&'a Secret>,
}

/// A request apart from its body: where it goes and what it carries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestParts {
    /// The path, parameters percent-encoded.
    pub path: String,
    /// The query, percent-encoded as it was built.
    pub query: Query,
    /// Headers the operation's parameters set.
    pub headers: Vec<(&'static str, String)>,
}

/// Why the parts of a request cannot be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PartsError {
    /// The path needs a project id and the client has none.
    MissingProjectId,
    /// A value the client contributes breaks a documented limit.
    Invalid(Violations),
}

/// Percent-encodes a path segment: everything but `A-Z a-z 0-9 - . _ ~` becomes `%XX`, so a
/// parameter can never add a `/` or a `?` to the path.
pub fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// How an array query parameter goes on the wire; the pages say which, or their examples
/// show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArrayEncoding {
    /// One pair per value: `?id=1&id=2` (Neutron's filters).
    Repeated,
    /// One pair, the values joined by commas: `?id=1,2`. A comma inside a value is
    /// percent-encoded (`%2C`), so it cannot split the value.
    CommaSeparated,
}

/// A query string under construction, percent-encoded as it grows: names and values go
/// through [`encode_segment`], so no value can add a parameter (`&`), end the query (`#`)
/// or change a name (`=`).
///
/// Generated code builds each query with it, one call per parameter that is set:
///
/// ```ignore
/// let mut query = Query::new();
/// query.push("limit", value.to_string());
/// query.push_array("id", value.iter().map(|value| value.as_str()), ArrayEncoding::Repeated);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    encoded: String,
}

impl Query {
    /// An empty query.
    pub fn new() -> Self {
        Query::default()
    }

    /// Appends `name=value`.
    pub fn push(&mut self, name: &str, value: impl AsRef<str>) {
        self.start(name);
        self.encoded.push_str(&encode_segment(value.as_ref()));
    }

    /// Appends an array parameter in `encoding`. An empty array appends nothing: neither
    /// encoding can say "empty" (`?id=` is one empty value).
    pub fn push_array<I>(&mut self, name: &str, values: I, encoding: ArrayEncoding)
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let mut values = values.into_iter().peekable();
        if values.peek().is_none() {
            return;
        }
        match encoding {
            ArrayEncoding::Repeated => values.for_each(|value| self.push(name, value.as_ref())),
            ArrayEncoding::CommaSeparated => {
                self.start(name);
                for (i, value) in values.enumerate() {
                    if i > 0 {
                        self.encoded.push(',');
                    }
                    self.encoded.push_str(&encode_segment(value.as_ref()));
                }
            }
        }
    }

    /// The encoded query, without the leading `?`; empty when no parameter was pushed.
    pub fn as_str(&self) -> &str {
        &self.encoded
    }

    fn start(&mut self, name: &str) {
        if !self.encoded.is_empty() {
            self.encoded.push('&');
        }
        self.encoded.push_str(&encode_segment(name));
        self.encoded.push('=');
    }
}

/// A path parameter's value as one percent-encoded path segment, or a violation on the
/// parameter `name` when the value is empty, `.` or `..`. Percent-encoding keeps `/` and `?`
/// out of the path, but not these: an empty segment gives `//`, and dot segments are
/// removed by URL normalisation (RFC 3986, section 5.2.4), in the HTTP library or on the
/// way, so the request would reach another resource than the one named.
pub fn path_segment(name: &str, value: &str) -> Result<String, PartsError> {
    if matches!(value, "" | "." | "..") {
        let mut violations = Violations::new();
        violations.push(Violation {
            path: name.to_owned(),
            kind: ViolationKind::PathSegment,
            limit: String::new(),
            value: format!("{value:?}"),
            message: "cannot be a path segment: an empty, `.` or `..` segment would send the request to another path".to_owned(),
        });
        return Err(PartsError::Invalid(violations));
    }
    Ok(encode_segment(value))
}

/// Code that works on any operation, chosen by id at run time with the crate's
/// `visit_operation`: the id picks the marker type, the visitor gets it as a type parameter.
pub trait OperationVisitor {
    /// What the visit returns.
    type Output;
    /// Runs on operation `O`.
    fn visit<O: Operation>(self) -> Self::Output;
}
