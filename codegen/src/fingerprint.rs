//! Fingerprints: FNV-1a hashes that are the same on every machine and Rust version (unlike
//! `DefaultHasher`), for the spec set as a whole and for what each generated file is made
//! from.

use std::fmt;

/// A fingerprint of the generator's own source code, computed by `build.rs`: any change
/// to the generator changes it, so files written by another generator are never reused.
pub const SOURCE: u64 = include!(concat!(env!("OUT_DIR"), "/source_fingerprint.rs"));

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
