// Payloads: a request body read strictly and validated, a response body read leniently,
// every problem reported with its JSON path; behind `check_request_json` and
// `check_response_json`.

use std::fmt;

use serde::de::DeserializeOwned;

use super::codec;
use super::operation::{Descriptor, Operation, OperationVisitor, ResponseVisitor};
use super::validate::{Validate, Violation, ViolationKind, Violations};

/// Why a body did not pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckError {
    /// No operation has this id.
    UnknownOperation {
        /// The id asked for.
        id: String,
        /// Every known id.
        known: Vec<&'static str>,
    },
    /// The operation exists in the specs, but the cargo feature that compiles it in (its
    /// service) is off in this build.
    FeatureOff {
        /// The id asked for.
        id: String,
        /// The feature to turn on.
        feature: &'static str,
    },
    /// The operation documents no response with this status.
    UndocumentedStatus {
        /// The operation.
        id: &'static str,
        /// The status asked for.
        status: u16,
        /// The documented statuses.
        documented: Vec<u16>,
    },
    /// The body has problems: every one, each with its JSON path.
    Body(Violations),
}

impl CheckError {
    /// The body's violations, when the body is what failed.
    pub fn violations(&self) -> Option<&Violations> {
        match self {
            CheckError::Body(violations) => Some(violations),
            _ => None,
        }
    }
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckError::UnknownOperation { id, known } => {
                write!(
                    f,
                    "unknown operation `{id}`; known operations: {}",
                    known.join(", ")
                )
            }
            CheckError::FeatureOff { id, feature } => {
                write!(
                    f,
                    "operation `{id}` is not compiled in: it needs the cargo feature `{feature}`, which is off"
                )
            }
            CheckError::UndocumentedStatus {
                id,
                status,
                documented,
            } => {
                let documented: Vec<String> = documented.iter().map(u16::to_string).collect();
                write!(
                    f,
                    "status {status} is not documented for `{id}` (documented: {})",
                    documented.join(", ")
                )
            }
            CheckError::Body(violations) => violations.fmt(f),
        }
    }
}

impl std::error::Error for CheckError {}

/// Reads a request body of type `T` strictly and runs every validator.
pub fn request<T: DeserializeOwned + Validate>(body: &str) -> Result<(), Violations> {
    read::<T>(body)?.validate()
}

/// Reads a response body of type `T` leniently: unknown keys and enum values and `null`s
/// pass; a wrong JSON type for a documented field does not.
pub fn response<T: DeserializeOwned>(body: &str) -> Result<(), Violations> {
    read::<T>(body).map(drop)
}

/// A status documented without a body: an empty body, or any JSON, passes.
pub fn no_body(body: &str) -> Result<(), Violations> {
    if body.trim().is_empty() {
        return Ok(());
    }
    serde_json::from_str::<serde::de::IgnoredAny>(body)
        .map(drop)
        .map_err(|e| syntax(&e))
}

/// Reads `T`; on failure, every structural problem with its path. The fast path is one
/// pass of serde; only a body that fails is read a second time to collect all problems.
///
/// Both readings apply one rule, so every entry point (`check_request_json`,
/// `check_response_json`, `read_response`, `netapi-validate`) gives the same verdict on the
/// same body: in particular a key twice in one object is refused, in both directions, even
/// though the `serde_json::Value` the second reading goes through keeps only one of them.
fn read<T: DeserializeOwned>(body: &str) -> Result<T, Violations> {
    let error = match serde_json::from_str::<T>(body) {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    if error.is_syntax() || error.is_eof() {
        return Err(syntax(&error));
    }
    let (value, mut problems) = codec::parse_value(body).map_err(|e| syntax(&e))?;
    match codec::collect::<T>(value) {
        Ok(value) if problems.is_empty() => Ok(value),
        Ok(_) => Err(violations(problems)),
        Err(more) => {
            problems.extend(more);
            Err(violations(problems))
        }
    }
}

fn violations(problems: codec::Problems) -> Violations {
    let mut out = Violations::new();
    for problem in problems.found {
        out.push(Violation {
            path: problem.path,
            kind: ViolationKind::Structure,
            limit: String::new(),
            value: String::new(),
            message: problem.message,
        });
    }
    out.add_omitted(problems.omitted);
    out
}

fn syntax(error: &serde_json::Error) -> Violations {
    let mut out = Violations::new();
    out.push(Violation {
        path: String::new(),
        kind: ViolationKind::Syntax,
        limit: String::new(),
        value: String::new(),
        message: format!("not valid JSON: {error}"),
    });
    out
}

/// The error for an operation id that is not compiled in: `feature` names the feature of
/// the service it belongs to when the specs have it (the feature is then off), and the
/// error lists the compiled-in ids otherwise.
pub fn unknown_operation(
    id: &str,
    feature: Option<&'static str>,
    operations: &[Descriptor],
) -> CheckError {
    if let Some(feature) = feature {
        return CheckError::FeatureOff {
            id: id.to_owned(),
            feature,
        };
    }
    CheckError::UnknownOperation {
        id: id.to_owned(),
        known: operations.iter().map(|d| d.id).collect(),
    }
}

/// Checks a request body for the visited operation.
pub struct CheckRequest<'a>(pub &'a str);

impl OperationVisitor for CheckRequest<'_> {
    type Output = Result<(), CheckError>;
    fn visit<O: Operation>(self) -> Self::Output {
        request::<O::Request>(self.0).map_err(CheckError::Body)
    }
}

/// Reads a response body as the type its status documents.
struct ResponseBody<'a>(&'a str);

impl ResponseVisitor for ResponseBody<'_> {
    type Output = Result<(), Violations>;
    fn body<T: DeserializeOwned>(self) -> Self::Output {
        response::<T>(self.0)
    }
    fn no_body(self) -> Self::Output {
        no_body(self.0)
    }
}

/// Checks a response body for a status of the visited operation.
pub struct CheckResponse<'a> {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: &'a str,
}

impl OperationVisitor for CheckResponse<'_> {
    type Output = Result<(), CheckError>;
    fn visit<O: Operation>(self) -> Self::Output {
        match O::visit_response(self.status, ResponseBody(self.body)) {
            Some(result) => result.map_err(CheckError::Body),
            None => Err(CheckError::UndocumentedStatus {
                id: O::DESCRIPTOR.id,
                status: self.status,
                documented: O::DESCRIPTOR
                    .responses
                    .iter()
                    .map(|(status, _)| *status)
                    .collect(),
            }),
        }
    }
}
