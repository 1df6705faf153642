//! Runtime helpers.
