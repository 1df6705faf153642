//! Doc comments: spec text made safe for rustdoc, constraints in words, provenance.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::ir::{Constraints, Field, Provenance, TypeRef};

/// `#[doc = "..."]` attributes, one per line of `text`.
///
/// The text goes in as a string literal, so nothing in it can become code; prettyplease
/// prints it as `///` comments.
pub(crate) fn attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#[doc = #lines])*)
}

/// [`attrs`] as inner attributes (`#![doc = ...]`), for a crate root's documentation.
pub(crate) fn inner_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#![doc = #lines])*)
}

/// One doc attribute's text per line, each starting with a space as `///` comments do.
fn doc_lines(text: &str) -> Vec<String> {
    text.trim_end()
        .lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

/// Spec prose made inert for rustdoc: HTML-like `<...>`, link brackets, entities and
/// backslashes are escaped, and control characters (bidi overrides included) are dropped.
///
/// A web address (`http://` or `https://`, up to whitespace or a character no address holds
/// unescaped) becomes an autolink `<...>` with its characters as they are: rustdoc refuses
/// bare URLs, and escaping inside one would change the address.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((c, after)) = rest.chars().next().map(|c| (c, &rest[c.len_utf8()..])) {
        if let Some(len) = url_len(rest) {
            out.push('<');
            out.push_str(&rest[..len]);
            out.push('>');
            rest = &rest[len..];
            continue;
        }
        rest = after;
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '[' | ']' | '\\' | '`' | '*' | '_' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\t' => out.push(c),
            c if c.is_control() || is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// The length of the web address `text` starts with, if it starts with one: `http://` or
/// `https://` and a host, up to whitespace, a control character or one of `<>"'` and the
/// backtick, without the sentence punctuation that may follow it.
fn url_len(text: &str) -> Option<usize> {
    let scheme = ["https://", "http://"].into_iter().find(|s| {
        text.get(..s.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(s))
    })?;
    let end = text
        .find(|c: char| {
            c.is_whitespace()
                || c.is_control()
                || is_bidi_control(c)
                || matches!(c, '<' | '>' | '"' | '\'' | '`')
        })
        .unwrap_or(text.len());
    let url = text[..end].trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
    (url.len() > scheme.len()).then_some(url.len())
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Inline code for a wire value: backticks, with any backtick in it replaced.
pub(crate) fn code(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_control() && !is_bidi_control(*c))
        .collect();
    format!("`{}`", cleaned.replace('`', "'"))
}

/// "Source: `page`, Table N." with the spec file.
pub(crate) fn provenance(p: &Provenance, row: Option<&str>) -> String {
    let mut text = format!("Source: {}", code(&p.page));
    if let Some(table) = p.table {
        text.push_str(&format!(", Table {table}"));
    }
    if let Some(row) = row {
        text.push_str(&format!(", row {}", code(row)));
    }
    text.push_str(&format!(" (transcribed in {}).", code(&p.spec_file)));
    text
}

fn json(value: &Value) -> String {
    code(&value.to_string())
}

/// The constraints as sentences, one per line.
pub(crate) fn constraints(c: &Constraints, unit: Option<&str>) -> Vec<String> {
    let mut lines = Vec::new();
    match (c.min_length, c.max_length) {
        (Some(a), Some(b)) if a == b => lines.push(format!("Length: exactly {a} characters.")),
        (Some(a), Some(b)) => lines.push(format!("Length: {a} to {b} characters.")),
        (Some(a), None) => lines.push(format!("Length: at least {a} characters.")),
        (None, Some(b)) => lines.push(format!("Length: at most {b} characters.")),
        (None, None) => {}
    }
    let unit = unit.map(|u| format!(" {}", escape(u))).unwrap_or_default();
    match (c.minimum, c.maximum) {
        (Some(a), Some(b)) => lines.push(format!("Range: {a} to {b}{unit}.")),
        (Some(a), None) => lines.push(format!("Minimum: {a}{unit}.")),
        (None, Some(b)) => lines.push(format!("Maximum: {b}{unit}.")),
        (None, None) if !unit.is_empty() => lines.push(format!("Unit:{unit}.")),
        (None, None) => {}
    }
    if let Some(fixed) = &c.fixed {
        lines.push(format!("The only allowed value is {}.", json(fixed)));
    }
    if !c.enum_values.is_empty() {
        let values: Vec<String> = c.enum_values.iter().map(json).collect();
        lines.push(format!("One of {}.", values.join(", ")));
    }
    if let Some(charset) = &c.charset {
        let mut allowed: Vec<String> = charset.allow.iter().map(|k| k.name().to_owned()).collect();
        if !charset.chars.is_empty() {
            allowed.push(code(&charset.chars));
        }
        if !allowed.is_empty() {
            lines.push(format!("Allowed characters: {}.", allowed.join(", ")));
        }
        if !charset.deny.is_empty() {
            lines.push(format!("Never contains any of {}.", code(&charset.deny)));
        }
    }
    if let Some(classes) = &c.char_classes {
        let names: Vec<&str> = classes.of.iter().map(|k| k.name()).collect();
        let mut line = format!(
            "Contains at least {} of: {}",
            classes.at_least,
            names.join(", ")
        );
        if !classes.special.is_empty() {
            line.push_str(&format!(" (special: {})", code(&classes.special)));
        }
        lines.push(line + ".");
    }
    if !c.formats.is_empty() {
        let names: Vec<&str> = c.formats.iter().map(|f| f.description()).collect();
        lines.push(format!("Format: {}.", names.join(" or ")));
    }
    if let Some(len) = c.prefix_length {
        lines.push(format!("Prefix length: /{len}."));
    }
    if !c.within.is_empty() {
        let blocks: Vec<String> = c.within.iter().map(|b| code(b)).collect();
        lines.push(format!("Lies within {}.", blocks.join(" or ")));
    }
    if !c.reserved.is_empty() {
        let blocks: Vec<String> = c.reserved.iter().map(|b| code(b)).collect();
        lines.push(format!(
            "Must not overlap the reserved blocks {}.",
            blocks.join(", ")
        ));
    }
    if c.host_address {
        lines.push(
            "Must be a host address of its block (not the network or broadcast address)."
                .to_owned(),
        );
    }
    match (c.min_items, c.max_items) {
        (Some(a), Some(b)) => lines.push(format!("Items: {a} to {b}.")),
        (Some(a), None) => lines.push(format!("Items: at least {a}.")),
        (None, Some(b)) => lines.push(format!("Items: at most {b}.")),
        (None, None) => {}
    }
    if c.unique_items {
        lines.push("Items are distinct.".to_owned());
    }
    lines
}

/// The whole doc of a field: description, constraints, default, flags, provenance.
pub(crate) fn field(f: &Field, source: &Provenance) -> String {
    let mut out = String::new();
    if let Some(description) = &f.description {
        out.push_str(&escape(description.trim()));
        out.push_str("\n\n");
    }
    let mut facts = constraints(&f.constraints, f.unit.as_deref());
    if let Some(items) = &f.items {
        facts.extend(
            constraints(items, None)
                .into_iter()
                .map(|l| format!("Each item: {}{}", l[..1].to_lowercase(), &l[1..])),
        );
    }
    if let Some(default) = &f.default {
        facts.push(format!("Default: {}.", json(default)));
    }
    if f.nullable {
        facts.push("May be `null`.".to_owned());
    }
    if f.deprecated {
        facts.push("Deprecated on the page.".to_owned());
    }
    if f.ty == TypeRef::Secret || f.sensitive {
        facts.push("Sensitive: never printed by `Debug`.".to_owned());
    }
    for fact in facts {
        out.push_str(&format!("- {fact}\n"));
    }
    if !out.ends_with("\n\n") && !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&provenance(source, Some(&f.wire)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(
            escape("<net_address > [x] a\\b"),
            "&lt;net\\_address &gt; \\[x\\] a\\\\b"
        );
        assert_eq!(escape("ok\u{202E}evil\u{7}"), "okevil");
        assert_eq!(code("a`b"), "`a'b`");
    }

    #[test]
    fn web_addresses_become_autolinks_with_their_characters_unescaped() {
        // The reStructuredText link of the VPN gateway update page, as transcribed.
        assert_eq!(
            escape(
                "see `Unbinding an EIP <https://docs.example.com/api_v3/unbinding_an_eip.html>`__."
            ),
            "see \\`Unbinding an EIP &lt;<https://docs.example.com/api_v3/unbinding_an_eip.html>&gt;\\`\\_\\_."
        );
        assert_eq!(
            escape("at HTTP://a.example/x_y, or http://b.example."),
            "at <HTTP://a.example/x_y>, or <http://b.example>."
        );
        // A scheme alone is no address, and an address ends at a control character.
        assert_eq!(escape("http:// x"), "http:// x");
        // Text that is not ASCII is read by characters, never cut inside one.
        assert_eq!(
            escape("é✓ü http://a.example/ö ü"),
            "é✓ü <http://a.example/ö> ü"
        );
        assert_eq!(escape("ht✓"), "ht✓");
        assert_eq!(escape("http://a.example/\u{202E}b"), "<http://a.example/>b");
    }
}
