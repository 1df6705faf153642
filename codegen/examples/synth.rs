//! Writes a synthetic spec set for benchmarks: `count` operations derived from the real
//! specs, copied round-robin under new ids (same shapes, renamed operations).
//!
//! ```sh
//! cargo run --release -p netapi-codegen --example synth -- 500 target/synth/500
//! ```

use std::path::{Path, PathBuf};

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
    let checked = match netapi_codegen::check_dir(&spec) {
        Ok(checked) => checked,
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            std::process::exit(1);
        }
    };
    let out = Path::new(out);
    let _ = std::fs::remove_dir_all(out);
    for i in 0..count {
        let file = &checked.files[i % checked.files.len()];
        let operation = &file.spec.operation;
        let id = format!("{}_{i}", operation.id);
        // The id appears once as `id: <id>`; renaming it renames the module and the file.
        let text = file.text.replacen(
            &format!("id: {}\n", operation.id),
            &format!("id: {id}\n"),
            1,
        );
        let dir = out.join(&operation.service);
        std::fs::create_dir_all(&dir).expect("the output folder can be created");
        std::fs::write(dir.join(format!("{id}.yaml")), text).expect("the spec can be written");
    }
    println!("wrote {count} operations into {}", out.display());
}
