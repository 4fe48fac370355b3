//! Rustdoc from spec text: Markdown that rustdoc renders without warnings.
//!
//! Spec descriptions are Markdown written for other renderers: bare URLs, `[brackets]`
//! that rustdoc would read as intra-doc links, `<placeholders>` it would read as HTML,
//! and code blocks it would compile as doctests. This module neutralises each.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes, one per line, for the given paragraphs (empty ones skipped).
pub fn doc_attrs(paragraphs: &[Option<&str>]) -> TokenStream {
    let text = paragraphs
        .iter()
        .flatten()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    lines_to_attrs(&sanitize(&text), false)
}

/// A JSON pointer into the document as a reader would write the place:
/// `#/components/schemas/User` is `components.schemas.User`, and a token that is not a
/// plain name is quoted (`paths["/users/{id}"].get`) or indexed (`allOf[0]`).
pub fn readable_origin(pointer: &str) -> String {
    let tokens = pointer.trim_start_matches('#').trim_start_matches('/');
    let mut out = String::new();
    for token in tokens.split('/').filter(|t| !t.is_empty()) {
        let token = crate::diag::unescape_token(token);
        let plain = token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{token}]"));
        } else if plain {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&token);
        } else {
            out.push_str(&format!("[{token:?}]"));
        }
    }
    out
}

/// Doc attributes for text the generator wrote itself (intra-doc links included), which
/// needs no sanitizing.
pub fn own_doc_attrs(text: &str) -> TokenStream {
    lines_to_attrs(text, false)
}

/// `#![doc = "..."]` inner attributes for a module or crate.
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    lines_to_attrs(&sanitize(text), true)
}

fn lines_to_attrs(text: &str, inner: bool) -> TokenStream {
    if text.is_empty() {
        return TokenStream::new();
    }
    let attrs = text.lines().map(|l| {
        let l = format!(" {l}");
        let l = l.trim_end();
        if inner {
            quote!(#![doc = #l])
        } else {
            quote!(#[doc = #l])
        }
    });
    quote!(#(#attrs)*)
}

/// Makes spec Markdown safe for rustdoc (and for clippy: tabs become four spaces).
pub fn sanitize(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut in_fence = false;
    let mut in_indented = false;
    let mut prev_blank = true;
    for raw in text.replace("\r\n", "\n").replace('\t', "    ").lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            if !in_fence && trimmed.trim_start_matches('`').trim().is_empty() {
                out.push(format!("{}```text", &line[..line.len() - trimmed.len()]));
            } else if !in_fence {
                // Any language other than rust is fine; rust examples must not run.
                let lang = trimmed.trim_start_matches('`').trim();
                let lang = if lang == "rust" { "rust,ignore" } else { lang };
                out.push(format!("{}```{lang}", &line[..line.len() - trimmed.len()]));
            } else {
                out.push(line.to_string());
            }
            in_fence = !in_fence;
            prev_blank = false;
            continue;
        }
        if in_fence {
            out.push(line.to_string());
            continue;
        }
        let indented = line.starts_with("    ") || line.starts_with('\t');
        if in_indented && !indented && !line.is_empty() {
            out.push("```".into());
            in_indented = false;
        }
        if !in_indented && indented && prev_blank && !line.trim().is_empty() {
            out.push("```text".into());
            in_indented = true;
        }
        if in_indented {
            out.push(
                line.strip_prefix("    ")
                    .or_else(|| line.strip_prefix('\t'))
                    .unwrap_or(line)
                    .to_string(),
            );
        } else {
            out.push(escape_inline(line));
        }
        prev_blank = line.is_empty();
    }
    if in_fence || in_indented {
        out.push("```".into());
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// Escapes one line outside code: brackets that are not links, HTML-like tags and bare URLs.
fn escape_inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '`' => {
                // Copy a code span verbatim.
                let ticks = chars[i..].iter().take_while(|&&c| c == '`').count();
                let close = find_ticks(&chars, i + ticks, ticks);
                let end = close.map(|e| e + ticks).unwrap_or(i + ticks);
                out.extend(&chars[i..end]);
                i = end;
                continue;
            }
            '\\' if i + 1 < chars.len() => {
                out.push(c);
                out.push(chars[i + 1]);
                i += 2;
                continue;
            }
            '[' => {
                if let Some(end) = link_end(&chars, i) {
                    let link: String = chars[i..end].iter().collect();
                    out.push_str(&escape_link_text(&link));
                    i = end;
                    continue;
                }
                out.push_str("\\[");
            }
            ']' => out.push_str("\\]"),
            '<' => {
                let rest: String = chars[i + 1..].iter().take(8).collect();
                if rest.starts_with("http://") || rest.starts_with("https:/") {
                    let close = chars[i..]
                        .iter()
                        .position(|&c| c == '>')
                        .map(|p| p + i + 1)
                        .unwrap_or(chars.len());
                    out.extend(&chars[i..close]);
                    i = close;
                    continue;
                }
                out.push_str("\\<");
            }
            '>' => out.push_str("\\>"),
            'h' if starts_url(&chars, i) => {
                let mut end = i;
                while end < chars.len()
                    && !chars[end].is_whitespace()
                    && !matches!(chars[end], '"' | '\'' | ')' | '>' | '<' | '`')
                {
                    end += 1;
                }
                while end > i && matches!(chars[end - 1], '.' | ',' | ';' | ':' | '!' | '?') {
                    end -= 1;
                }
                out.push('<');
                out.extend(&chars[i..end]);
                out.push('>');
                i = end;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn starts_url(chars: &[char], i: usize) -> bool {
    let rest: String = chars[i..].iter().take(8).collect();
    let link_target = i >= 2 && chars[i - 1] == '(' && chars[i - 2] == ']';
    let prev_ok =
        !link_target && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '/'));
    prev_ok && (rest.starts_with("http://") || rest.starts_with("https://"))
}

fn find_ticks(chars: &[char], from: usize, n: usize) -> Option<usize> {
    let mut j = from;
    while j + n <= chars.len() {
        if chars[j..j + n].iter().all(|&c| c == '`') && chars.get(j + n) != Some(&'`') {
            return Some(j);
        }
        j += 1;
    }
    None
}

/// The end (exclusive) of an inline link `[text](target)` starting at `start`.
fn link_end(chars: &[char], start: usize) -> Option<usize> {
    let mut depth = 0;
    let mut j = start;
    while j < chars.len() {
        match chars[j] {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        j += 1;
    }
    if chars.get(j + 1) != Some(&'(') {
        return None;
    }
    let close = chars[j + 1..].iter().position(|&c| c == ')')? + j + 1;
    Some(close + 1)
}

fn escape_link_text(link: &str) -> String {
    // `[text](url)`: keep as is, but make sure the text has no nested bare brackets.
    let split = link.rfind("](").unwrap_or(link.len());
    let (text, target) = link.split_at(split);
    let inner = &text[1..];
    format!(
        "[{}{}",
        inner.replace('<', "\\<").replace('>', "\\>"),
        target
    )
}

#[cfg(test)]
mod tests {
    use super::readable_origin;

    #[test]
    fn pointers_read_as_dotted_places() {
        assert_eq!(
            readable_origin("#/components/schemas/User"),
            "components.schemas.User"
        );
        assert_eq!(
            readable_origin(
                "#/paths/~1users~1{id}/get/responses/200/content/application~1json/schema"
            ),
            r#"paths["/users/{id}"].get.responses[200].content["application/json"].schema"#
        );
        assert_eq!(
            readable_origin("#/components/schemas/Pet/oneOf/1"),
            "components.schemas.Pet.oneOf[1]"
        );
        assert_eq!(readable_origin("#/x-webhooks"), "x-webhooks");
        assert_eq!(
            readable_origin("#/components/schemas/a~0b c"),
            r#"components.schemas["a~b c"]"#
        );
    }

    use super::sanitize;

    #[test]
    fn neutralises_rustdoc_hazards() {
        assert_eq!(
            sanitize("see https://clerk.com/docs."),
            "see <https://clerk.com/docs>."
        );
        assert_eq!(
            sanitize("a [link](https://x.y) and [x]"),
            "a [link](https://x.y) and \\[x\\]"
        );
        assert_eq!(sanitize("sk_<environment>"), "sk_\\<environment\\>");
        assert_eq!(sanitize("`<kept>` and `[kept]`"), "`<kept>` and `[kept]`");
        assert_eq!(sanitize("```\ncode\n```"), "```text\ncode\n```");
        assert_eq!(
            sanitize("text\n\n    indented\n\nafter"),
            "text\n\n```text\nindented\n\n```\nafter"
        );
        assert_eq!(sanitize("<https://already.ok>"), "<https://already.ok>");
        assert_eq!(sanitize("[a] (https://x.y)"), "\\[a\\] (<https://x.y>)");
    }
}
