//! Helpers shared by the benchmark examples: arguments and files.

use std::path::{Path, PathBuf};

/// Copies the folder `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    let error = |e: std::io::Error| format!("{}: {e}", from.display());
    std::fs::create_dir_all(to).map_err(error)?;
    for entry in std::fs::read_dir(from).map_err(error)? {
        let path = entry.map_err(error)?.path();
        let dest = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_dir(&path, &dest)?;
        } else {
            std::fs::copy(&path, &dest).map_err(error)?;
        }
    }
    Ok(())
}

/// Changes the title of the first spec under `spec` (in path order) by prefixing `word`;
/// returns the file's name.
pub fn edit_first_spec(spec: &Path, word: &str) -> Result<String, String> {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut stack = vec![spec.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let error = |e: std::io::Error| format!("{}: {e}", dir.display());
        for entry in std::fs::read_dir(&dir).map_err(error)? {
            let path = entry.map_err(error)?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                files.push(path);
            }
        }
    }
    files.sort();
    let file = files.first().ok_or("no spec to edit")?;
    let error = |e: std::io::Error| format!("{}: {e}", file.display());
    let text = std::fs::read_to_string(file).map_err(error)?;
    let edited = text.replacen("  title: ", &format!("  title: {word} "), 1);
    if edited == text {
        return Err(format!("{} has no title to edit", file.display()));
    }
    std::fs::write(file, edited).map_err(error)?;
    Ok(file
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned()))
}

/// The sizes given on the command line (operation counts), or `default` when none are.
pub fn sizes(args: &[String], default: &[usize]) -> Result<Vec<usize>, String> {
    if args.is_empty() {
        return Ok(default.to_vec());
    }
    args.iter()
        .map(|a| a.parse().map_err(|_| format!("not a size: {a}")))
        .collect()
}
