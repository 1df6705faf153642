//! Type expressions (`string`, `array<Tag>`, `map<integer>`, `PolicyRule`), parsed once.
//!
//! A field's `type:` is text in the YAML; [`FieldSpec::type_expr`] parses it the first time
//! anyone asks and keeps the result, so the checks and lowering read one parse and never
//! parse again (issue 14 item 1).

use std::fmt;

use super::{ARRAY, FieldSpec, MAP};

/// A parsed type expression: `string`, `array<Tag>`, `map<integer>`, `PolicyRule`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeExpr {
    /// A JSON string.
    String,
    /// A JSON integer.
    Integer,
    /// Any JSON number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A free-form JSON object.
    Object,
    /// A JSON array of the element type.
    Array(Box<TypeExpr>),
    /// A JSON object with arbitrary keys and values of the element type.
    Map(Box<TypeExpr>),
    /// A named type of the same direction.
    Named(String),
}

impl TypeExpr {
    /// Parses a type expression; the error says what is wrong.
    pub fn parse(text: &str) -> Result<TypeExpr, String> {
        let text = text.trim();
        if let Some(open) = text.find('<') {
            let head = text[..open].trim();
            let Some(inner) = text[open + 1..].strip_suffix('>') else {
                return Err(format!("`{text}` lacks its closing `>`"));
            };
            let inner = TypeExpr::parse(inner)?;
            return match head {
                ARRAY => Ok(TypeExpr::Array(Box::new(inner))),
                MAP => Ok(TypeExpr::Map(Box::new(inner))),
                other => Err(format!(
                    "`{other}<...>` is not a type constructor; use `array<T>` or `map<T>`"
                )),
            };
        }
        match text {
            "" => Err("empty type".to_owned()),
            "string" => Ok(TypeExpr::String),
            "integer" => Ok(TypeExpr::Integer),
            "number" => Ok(TypeExpr::Number),
            "boolean" => Ok(TypeExpr::Boolean),
            "object" => Ok(TypeExpr::Object),
            ARRAY | MAP => Err(format!(
                "`{text}` needs an element type, as in `{text}<string>`"
            )),
            name if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                Ok(TypeExpr::Named(name.to_owned()))
            }
            other => Err(format!("`{other}` is not a type expression")),
        }
    }

    /// The element type of arrays and maps.
    pub fn element(&self) -> Option<&TypeExpr> {
        match self {
            TypeExpr::Array(inner) | TypeExpr::Map(inner) => Some(inner),
            _ => None,
        }
    }

    /// The named type this expression refers to, through arrays and maps.
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeExpr::Named(name) => Some(name),
            TypeExpr::Array(inner) | TypeExpr::Map(inner) => inner.named(),
            _ => None,
        }
    }
}

impl fmt::Display for TypeExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeExpr::String => f.write_str("string"),
            TypeExpr::Integer => f.write_str("integer"),
            TypeExpr::Number => f.write_str("number"),
            TypeExpr::Boolean => f.write_str("boolean"),
            TypeExpr::Object => f.write_str("object"),
            TypeExpr::Array(inner) => write!(f, "array<{inner}>"),
            TypeExpr::Map(inner) => write!(f, "map<{inner}>"),
            TypeExpr::Named(name) => f.write_str(name),
        }
    }
}

impl FieldSpec {
    /// The field's `type:` parsed, or the parse error; `None` when the field has no `type`.
    ///
    /// The first call parses and every later call returns the same result, so a type
    /// expression is parsed exactly once however many checks read it.
    pub fn type_expr(&self) -> Option<Result<&TypeExpr, &str>> {
        let text = self.ty.as_deref()?;
        let parsed = self.parsed_ty.get_or_init(|| TypeExpr::parse(text));
        Some(parsed.as_ref().map_err(String::as_str))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_type_expressions() {
        assert_eq!(
            TypeExpr::parse("array<PolicyRule>"),
            Ok(TypeExpr::Array(Box::new(TypeExpr::Named(
                "PolicyRule".into()
            ))))
        );
        assert_eq!(
            TypeExpr::parse(" map< array<string> > ")
                .unwrap()
                .to_string(),
            "map<array<string>>"
        );
        assert!(TypeExpr::parse("array").is_err());
        assert!(TypeExpr::parse("list<string>").is_err());
        assert!(TypeExpr::parse("array<string").is_err());
        assert!(TypeExpr::parse("Array of strings").is_err());
    }

    #[test]
    fn a_fields_type_is_parsed_once_and_kept() {
        let field = FieldSpec {
            ty: Some("array<Tag>".to_owned()),
            ..FieldSpec::default()
        };
        let first = field
            .type_expr()
            .and_then(Result::ok)
            .map(std::ptr::from_ref);
        let second = field
            .type_expr()
            .and_then(Result::ok)
            .map(std::ptr::from_ref);
        assert!(first.is_some());
        assert_eq!(
            first, second,
            "the second call returns the first call's parse"
        );
        let untyped = FieldSpec::default();
        assert!(untyped.type_expr().is_none());
        let bad = FieldSpec {
            ty: Some("list<string>".to_owned()),
            ..FieldSpec::default()
        };
        assert!(matches!(bad.type_expr(), Some(Err(_))));
    }
}
