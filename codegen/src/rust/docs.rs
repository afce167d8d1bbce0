//! Smithy `@documentation` → rustdoc.
//!
//! Model documentation is CommonMark or, in AWS models, HTML. Both are turned
//! into Markdown that rustdoc renders without warnings: HTML tags become
//! Markdown (or are dropped), entities are decoded, code fences are marked
//! `text` so they never run as doctests, indentation that would start a code
//! block is removed, brackets and angle brackets are escaped so they are not
//! read as intra-doc links or HTML, and bare URLs become autolinks.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes for documentation text (none for `None`).
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text else {
        return TokenStream::new();
    };
    let lines = rustdoc_lines(text);
    quote! { #( #[doc = #lines] )* }
}

/// The documentation as rustdoc lines, each with the leading space rustdoc
/// comments conventionally have.
pub fn rustdoc_lines(text: &str) -> Vec<String> {
    let markdown = if looks_like_html(text) {
        html_to_markdown(text)
    } else {
        text.to_owned()
    };
    let mut out = Vec::new();
    let mut in_fence = false;
    let mut blank = true;
    for line in markdown.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            out.push(if in_fence {
                format!(" {}", &trimmed[..3])
            } else {
                format!(" {}text", &trimmed[..3])
            });
            in_fence = !in_fence;
            blank = false;
            continue;
        }
        if in_fence {
            out.push(format!(" {line}"));
            continue;
        }
        if trimmed.is_empty() {
            if !blank {
                out.push(String::new());
            }
            blank = true;
            continue;
        }
        blank = false;
        out.push(format!(" {}", escape_line(trimmed)));
    }
    if in_fence {
        out.push(" ```".to_owned());
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

fn looks_like_html(text: &str) -> bool {
    [
        "<p>",
        "</p>",
        "<code>",
        "</a>",
        "<ul>",
        "<li>",
        "<b>",
        "<i>",
        "<br",
        "<note>",
        "<important>",
        "<div",
        "<fullname>",
    ]
    .iter()
    .any(|t| text.contains(t))
}

/// Escapes `[`, `]`, `<`, `>` outside inline code, keeps Markdown links
/// `[text](url)` and autolinks, and wraps bare URLs in `<...>`.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    let mut in_code = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            i += 1;
            continue;
        }
        if in_code {
            out.push(c);
            i += 1;
            continue;
        }
        let rest: String = chars[i..].iter().collect();
        if c == '['
            && let Some(len) = markdown_link_len(&rest)
        {
            out.push_str(&rest[..len]);
            i += rest[..len].chars().count();
            continue;
        }
        if c == '<'
            && let Some(end) = rest.find('>')
        {
            let inner = &rest[1..end];
            if inner.starts_with("http://") || inner.starts_with("https://") {
                out.push_str(&rest[..=end]);
                i += rest[..=end].chars().count();
                continue;
            }
        }
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let url: String = rest
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, '<' | '>' | '"' | ')' | '`'))
                .collect();
            let url = url.trim_end_matches(['.', ',', ';', ':']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            i += url.chars().count();
            continue;
        }
        match c {
            '[' | ']' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        i += 1;
    }
    if in_code {
        // An unbalanced backtick would swallow the next line: escape it.
        if let Some(pos) = out.rfind('`') {
            out.insert(pos, '\\');
        }
    }
    out
}

/// The length of a `[text](url)` link at the start of `s`, if there is one.
fn markdown_link_len(s: &str) -> Option<usize> {
    let close = s.find("](")?;
    if s[1..close].contains(['[', ']']) {
        return None;
    }
    let end = s[close..].find(')')? + close;
    let url = &s[close + 2..end];
    (url.starts_with("http") || url.starts_with('#')).then_some(end + 1)
}

/// A small HTML-to-Markdown conversion for the tags AWS documentation uses.
fn html_to_markdown(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut href: Option<String> = None;
    let mut link_text_start = 0;
    let mut list_depth = 0usize;
    while let Some(lt) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..lt]).replace('\n', " "));
        let Some(gt) = rest[lt..].find('>') else {
            out.push_str(&decode_entities(&rest[lt..]));
            rest = "";
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        rest = &rest[lt + gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match (name.as_str(), closing) {
            ("p", _) if list_depth > 0 => {}
            (
                "p" | "div" | "note" | "important" | "fullname" | "dl" | "h1" | "h2" | "h3" | "h4",
                _,
            ) => {
                out.push_str("\n\n");
                if !closing && matches!(name.as_str(), "note" | "important") {
                    out.push_str("**Note:** ");
                }
            }
            ("br", _) => out.push('\n'),
            ("ul" | "ol", false) => {
                list_depth += 1;
                out.push('\n');
            }
            ("ul" | "ol", true) => {
                list_depth = list_depth.saturating_sub(1);
                out.push_str("\n\n");
            }
            ("li", false) => out.push_str("\n- "),
            ("dt", false) => out.push_str("\n\n**"),
            ("dt", true) => out.push_str("**\n\n"),
            ("code", _) => out.push('`'),
            ("b" | "strong", _) => out.push_str("**"),
            ("i" | "em", _) => out.push('*'),
            ("a", false) => {
                href = attr(tag, "href");
                link_text_start = out.len();
            }
            ("a", true) => {
                if let Some(url) = href.take().filter(|u| u.starts_with("http")) {
                    let text = out[link_text_start..].trim().to_owned();
                    out.truncate(link_text_start);
                    if text.is_empty() {
                        out.push_str(&format!("<{url}>"));
                    } else {
                        out.push_str(&format!("[{}]({url})", text.replace(['[', ']'], "")));
                    }
                }
            }
            _ => {}
        }
    }
    out.push_str(&decode_entities(rest).replace('\n', " "));
    out
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!("{name}="))? + name.len() + 1;
    let quote = tag[start..].chars().next()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let end = tag[start + 1..].find(quote)? + start + 1;
    Some(tag[start + 1..end].to_owned())
}

fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> String {
        rustdoc_lines(text).join("\n")
    }

    #[test]
    fn markdown_is_kept_but_made_safe() {
        assert_eq!(
            doc("Gets a [thing] by <id>."),
            " Gets a \\[thing\\] by \\<id\\>."
        );
        assert_eq!(
            doc("See [the docs](https://example.com)."),
            " See [the docs](https://example.com)."
        );
        assert_eq!(
            doc("Visit https://example.com."),
            " Visit <https://example.com>."
        );
        assert_eq!(doc("Use `Vec<T>` here"), " Use `Vec<T>` here");
        assert_eq!(doc("```\nlet x = 1;\n```"), " ```text\n let x = 1;\n ```");
        assert_eq!(doc("a\n\n\n    indented"), " a\n\n indented");
    }

    #[test]
    fn aws_html_becomes_markdown() {
        let html = "<p>Returns the <code>Foo</code> for a <a href=\"https://x.y/z\">bucket</a>.</p> <ul><li><p>One &amp; two</p></li><li>Three</li></ul>";
        assert_eq!(
            doc(html),
            " Returns the `Foo` for a [bucket](https://x.y/z).\n\n - One & two\n - Three"
        );
    }
}
