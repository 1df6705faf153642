//! Fingerprints: FNV-1a hashes that are the same on every machine and Rust version (unlike
//! `DefaultHasher`), for the spec set as a whole and for what each generated file is made
//! from.

use std::fmt;
use std::sync::OnceLock;

use quote::quote;

/// A fingerprint of the generator's source code: any change to the generator changes it,
/// so files written by another generator are never reused. It covers everything under
/// `codegen/src/` (hashed by `build.rs`) and the runtime's source
/// ([`netapi_runtime::SOURCE_FINGERPRINT`], hashed by the runtime's `build.rs`), which is
/// shipped into every generated crate and whose vocabulary and checks the generator uses.
pub const SOURCE: u64 = with_runtime(OWN_SOURCE, netapi_runtime::SOURCE_FINGERPRINT);

/// The fingerprint of everything under `codegen/src/`, computed by `build.rs`.
const OWN_SOURCE: u64 = include!(concat!(env!("OUT_DIR"), "/source_fingerprint.rs"));

/// The generator's own source fingerprint and the runtime's, hashed together (FNV-1a over
/// their little-endian bytes, as [`Fnv`] would, but usable in a `const`).
const fn with_runtime(own: u64, runtime: u64) -> u64 {
    let bytes = [own.to_le_bytes(), runtime.to_le_bytes()];
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < 16 {
        hash = (hash ^ bytes[i / 8][i % 8] as u64).wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    hash
}

/// The fingerprint of the generator as it runs: its source ([`SOURCE`]) and the
/// behaviour of its formatter.
///
/// The formatter (syn and prettyplease) is a dependency, so `build.rs` cannot see it:
/// after an upgrade that prints code differently, a fingerprint of the source alone would
/// let `generate` keep reusing files in the old format, while `--check`, which never
/// reuses, would report them stale forever. So the formatter prints a fixed canary, the
/// first time the fingerprint is needed, and its output goes into the fingerprint: a
/// formatter that prints the canary differently is a different generator.
pub fn generator() -> u64 {
    static GENERATOR: OnceLock<u64> = OnceLock::new();
    *GENERATOR.get_or_init(|| combine(SOURCE, &canary()))
}

/// The source fingerprint and the formatted canary, hashed together.
fn combine(source: u64, canary: &str) -> u64 {
    Fnv::default()
        .bytes(&source.to_le_bytes())
        .bytes(canary.as_bytes())
        .finish()
}

/// The canary formatted exactly as generated files are (`write::format`), or the error
/// text if it does not parse, which is a fingerprint too.
fn canary() -> String {
    let file = crate::write::Emitted::Rust {
        path: "canary.rs".to_owned(),
        tokens: canary_tokens(),
        source: "the formatter canary".to_owned(),
        input: Some(Fingerprint(0)),
    };
    match crate::write::format(file) {
        Ok(file) => file.contents,
        Err(error) => error,
    }
}

/// A fixed module holding the shapes generated code has: grouped imports, doc comments
/// and attributes, structs, enums, trait impls with associated types and consts, long
/// signatures and calls that wrap, `match`, `if let`, `?`, closures, macro calls and
/// literals of each kind.
fn canary_tokens() -> proc_macro2::TokenStream {
    quote! {
        use std::collections::BTreeMap;
        use crate::runtime::operation::{Context, Descriptor, Operation, PartsError, RequestParts};
        use crate::runtime::wire::{self, WireEnum};

        /// A documented struct with a "quoted" `code` span.
        #[derive(Clone, Debug, Default, PartialEq)]
        #[non_exhaustive]
        pub struct Canary {
            /// A field.
            pub r#type: Option<Vec<BTreeMap<String, crate::runtime::secret::Secret>>>,
            #[serde(rename = "X-Auth-Token", skip_serializing_if = "Option::is_none")]
            pub x_auth_token: Option<String>,
            unlisted_field: codec::Unlisted,
        }

        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum CanaryMode { Static, Bgp, Unknown(wire::Unknown) }

        impl Operation for Canary {
            type Parameters = CanaryParameters;
            const DESCRIPTOR: Descriptor = Descriptor { id: "canary", success: &[200u16, 201u16], page: "000.txt" };
            fn request_parts(params: &Self::Parameters, context: &Context<'_>) -> Result<RequestParts, PartsError> {
                let project_id = context.project_id.ok_or(PartsError::MissingProjectId)?;
                if let Some(token) = context.token {
                    validate::length(token, None, Some(10240u64), &root.key("X-Auth-Token"), out);
                }
                let values = params.values.iter().filter(|v| !v.is_empty()).map(|v| v.to_string()).collect::<Vec<_>>();
                match status {
                    200u16 => payload::response::<ShowCanaryResponseBody>(body),
                    _ => return None,
                }
                Ok(RequestParts { path: format!("/v1/{}", project_id), query: values, headers: Vec::new() })
            }
        }

        #[cfg(feature = "async")]
        impl crate::runtime::asynchronous::Client {
            pub async fn canary(&self, params: &CanaryParameters, body: &Canary) -> Result<Canary, Error> {
                self.call::<Canary>(params, body).await
            }
        }

        wire::enums!(CanaryMode, CanaryModeTwo, CanaryModeThree, CanaryModeFour, CanaryModeFive, CanaryModeSix);
        const LITERALS: (u8, i64, f64, char, &[u8], &str) = (1u8, -4294967295i64, 0.5f64, '\'', b"\x00", "a\"b\\c\u{202e}");
    }
}

/// Defined beside the `@generated` header that prints it, so `write` needs nothing from
/// this module.
pub use crate::write::Fingerprint;

/// A 64-bit FNV-1a hasher. It is also a `fmt::Write`, so a value's `Debug` form can be
/// hashed without building the string.
#[derive(Clone, Copy, Debug)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    /// Adds `bytes`.
    pub fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        self
    }

    /// The hash so far.
    pub fn finish(&self) -> u64 {
        self.0
    }
}

impl fmt::Write for Fnv {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.bytes(s.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write;

    #[test]
    fn the_generator_fingerprint_is_the_source_and_the_formatted_canary() {
        let canary = canary();
        // The canary is real formatted code, not an error message.
        assert!(canary.contains("pub struct Canary {"), "{canary}");
        assert_eq!(generator(), combine(SOURCE, &canary));
        assert_ne!(generator(), SOURCE);
    }

    #[test]
    fn a_formatter_that_prints_the_canary_differently_changes_the_fingerprint() {
        let canary = canary();
        // What an upgrade of prettyplease might do: wrap a line elsewhere, or indent.
        let rewrapped = canary.replacen("pub struct Canary {", "pub struct Canary\n{", 1);
        let indented = canary.replace("    ", "  ");
        assert_ne!(combine(SOURCE, &canary), combine(SOURCE, &rewrapped));
        assert_ne!(combine(SOURCE, &canary), combine(SOURCE, &indented));
        // And a new source changes it as well.
        assert_ne!(combine(SOURCE, &canary), combine(SOURCE ^ 1, &canary));
    }

    #[test]
    fn a_fingerprint_prints_as_sixteen_hex_digits() {
        // Headers written by earlier runs print the input this way; reuse compares them.
        assert_eq!(Fingerprint(0xab).to_string(), "00000000000000ab");
        assert_eq!(Fingerprint(u64::MAX).to_string(), "ffffffffffffffff");
    }

    #[test]
    fn the_source_fingerprint_covers_the_runtime() {
        // The const hash is FNV-1a over both fingerprints, like `Fnv`.
        let both = Fnv::default()
            .bytes(&OWN_SOURCE.to_le_bytes())
            .bytes(&netapi_runtime::SOURCE_FINGERPRINT.to_le_bytes())
            .finish();
        assert_eq!(SOURCE, both);
        // Another runtime, or another generator with the same runtime, is another source.
        let runtime = netapi_runtime::SOURCE_FINGERPRINT;
        assert_ne!(
            with_runtime(OWN_SOURCE, runtime),
            with_runtime(OWN_SOURCE, runtime ^ 1)
        );
        assert_ne!(
            with_runtime(OWN_SOURCE, runtime),
            with_runtime(OWN_SOURCE ^ 1, runtime)
        );
    }

    #[test]
    fn matches_the_reference_values() {
        // The published FNV-1a 64 test vectors.
        assert_eq!(Fnv::default().finish(), 0xcbf2_9ce4_8422_2325);
        assert_eq!(Fnv::default().bytes(b"a").finish(), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(
            Fnv::default().bytes(b"foobar").finish(),
            0x8594_4171_f739_67e8
        );
        let mut written = Fnv::default();
        let bar = "bar";
        write!(written, "foo{bar}").unwrap();
        assert_eq!(written.finish(), 0x8594_4171_f739_67e8);
    }
}
