// What every operation is: a descriptor for tools, and typed parameters and bodies.

use std::fmt;

use super::check::CheckError;
use super::validate::Validate;

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

    /// Reads a response body for `status` leniently; `None` when the status is not
    /// documented.
    fn check_response(status: u16, body: &str) -> Option<Result<(), CheckError>>;
}

/// Code that works on any operation, chosen by id at run time with the crate's
/// `visit_operation`: the id picks the marker type, the visitor gets it as a type parameter.
pub trait OperationVisitor {
    /// What the visit returns.
    type Output;
    /// Runs on operation `O`.
    fn visit<O: Operation>(self) -> Self::Output;
}
