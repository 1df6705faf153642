//! The words the IR speaks: direction, parameter location, example kind, string formats,
//! character classes and service titles.
//!
//! The IR owns them and `spec` maps into them (it re-exports these types, deserialising
//! them with the spelling the YAML uses), so emitters and the OpenAPI writer import only
//! `crate::ir` and never name the spec. `Format` and `CharClass` are the runtime's own
//! types, re-exported here, so the spec, the IR and the generated validators share one
//! vocabulary by construction.

use serde::Deserialize;

/// A named set of characters, used by `charset` and `char_classes`.
pub use netapi_runtime::text::Class as CharClass;
/// A string format.
pub use netapi_runtime::validate::Format;

/// Request or response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Sent by the client; checked strictly.
    Request,
    /// Sent by the server; read leniently.
    Response,
}

/// Where a parameter is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamLocation {
    /// A `{placeholder}` of the path template.
    Path,
    /// A query string parameter.
    Query,
    /// An HTTP header.
    Header,
}

/// How an array query parameter is written (spec key `encoding`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueryEncoding {
    /// One pair per value: `?id=1&id=2`.
    Repeated,
    /// One pair, the values joined by commas: `?id=1,2`.
    Comma,
}

/// What an example body is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExampleDirection {
    /// A request body, checked against the request types.
    Request,
    /// A success or documented response body, checked against its status's type.
    Response,
    /// An error body (`{"error_code": "VPN.0001", "error_msg": "..."}`), checked against
    /// the error shapes the client reads.
    Error,
}

impl ExampleDirection {
    /// The direction of the types the body is checked against; `None` for error bodies,
    /// which have shapes of their own.
    pub fn types(self) -> Option<Direction> {
        match self {
            ExampleDirection::Request => Some(Direction::Request),
            ExampleDirection::Response => Some(Direction::Response),
            ExampleDirection::Error => None,
        }
    }
}

/// A human title for a service, used in generated docs.
pub fn service_title(service: &str) -> &'static str {
    match service {
        "dcaas" => "Direct Connect",
        "vpc" => "Virtual Private Cloud",
        "vpn" => "Virtual Private Network",
        _ => "Service",
    }
}
