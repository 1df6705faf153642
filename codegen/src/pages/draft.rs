//! `pages draft`: a spec skeleton from a page.

use super::Page;

/// Writes a spec skeleton for `page`.
pub fn draft(page: &Page) -> String {
    let _ = page;
    String::new()
}

/// The name a page goes by in `source.page`: its path after a `pages/` or `seeds/`
/// folder, or its file name.
pub fn page_name(path: &std::path::Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    for folder in ["/pages/", "/seeds/"] {
        if let Some(at) = text.rfind(folder) {
            return text[at + folder.len()..].to_owned();
        }
    }
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or(text)
}
