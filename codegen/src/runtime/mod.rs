//! Hand-written predicates for string formats and character rules.
//!
//! The generator uses them to check example bodies and defaults against the spec's own
//! constraints; the generated crate uses the same functions for its validators. They depend
//! on nothing but `std`, so this exact source can be shipped inside the generated crate.

pub mod net;
pub mod text;
