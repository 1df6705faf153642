//! Writes a synthetic spec set for benchmarks: whole copies of the real specs, with renamed
//! operations, types and resource files (same shapes), as many as `count` operations need.
//!
//! ```sh
//! cargo run --release -p netapi-codegen --example synth -- 500 target/synth/500
//! ```

use std::path::{Path, PathBuf};

mod support {
    pub mod synth;
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(count), Some(out)) = (
        args.first().and_then(|c| c.parse::<usize>().ok()),
        args.get(1),
    ) else {
        eprintln!("usage: synth <count> <out-dir> [spec-dir]");
        std::process::exit(2);
    };
    let spec = PathBuf::from(args.get(2).map_or("spec", String::as_str));
    match support::synth::write(&spec, count, Path::new(out)) {
        Ok(written) => {
            println!("wrote {written} operations (whole copies of the specs) into {out}")
        }
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(1);
        }
    }
}
