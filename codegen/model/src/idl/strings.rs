//! Decoding of quoted strings and text blocks (escapes, indentation).

/// Why a string literal could not be decoded. The offset is relative to the
/// start of the literal's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringError {
    /// What is wrong.
    pub message: String,
    /// Byte offset of the problem within the body.
    pub offset: usize,
}

/// Decodes the body of a `"..."` string: escapes, and escaped line breaks
/// (a backslash before a newline removes both).
pub fn unescape(body: &str) -> Result<String, StringError> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\r' && chars.peek().map(|p| p.1) == Some('\n') {
            // Normalise CRLF inside strings to LF.
            continue;
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        let err = |message: String| StringError { message, offset: i };
        match chars.next().map(|(_, c)| c) {
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('/') => out.push('/'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('\n') => {}
            Some('\r') if chars.peek().map(|p| p.1) == Some('\n') => {
                chars.next();
            }
            Some('u') => {
                let mut code = 0u32;
                for _ in 0..4 {
                    match chars.next() {
                        Some((_, h)) if h.is_ascii_hexdigit() => {
                            code = code * 16 + h.to_digit(16).unwrap_or(0);
                        }
                        Some((_, h)) if h != '"' => {
                            return Err(err(format!(
                                "invalid character `{h}` in a unicode escape"
                            )));
                        }
                        _ => {
                            return Err(err(
                                "unclosed unicode escape: `\\u` needs four hex digits".into(),
                            ));
                        }
                    }
                }
                let decoded = if (0xD800..0xDC00).contains(&code) {
                    // A high surrogate must be followed by `\uDC00`..`\uDFFF`.
                    let low = take_low_surrogate(&mut chars).ok_or_else(|| {
                        err(
                            "a high surrogate escape must be followed by a low surrogate escape"
                                .into(),
                        )
                    })?;
                    char::from_u32(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00))
                } else {
                    char::from_u32(code)
                };
                out.push(
                    decoded
                        .ok_or_else(|| err(format!("`\\u{code:04X}` is not a valid character")))?,
                );
            }
            Some(other) => {
                let shown = if other == ' ' {
                    "a space".to_owned()
                } else {
                    format!("`{other}`")
                };
                return Err(err(format!(
                    "invalid escape `\\{other}` ({shown} cannot be escaped)"
                )));
            }
            None => return Err(err("a string cannot end with a lone backslash".into())),
        }
    }
    Ok(out)
}

fn take_low_surrogate(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> Option<u32> {
    let mut probe = chars.clone();
    if probe.next()?.1 != '\\' || probe.next()?.1 != 'u' {
        return None;
    }
    let mut code = 0;
    for _ in 0..4 {
        code = code * 16 + probe.next()?.1.to_digit(16)?;
    }
    if !(0xDC00..0xE000).contains(&code) {
        return None;
    }
    *chars = probe;
    Some(code)
}

/// Decodes the body of a `"""` text block: the opening line break is
/// dropped, the common indentation removed (the closing delimiter's line
/// counts when it holds only spaces), trailing spaces trimmed from each
/// line, then escapes decoded.
pub fn text_block(body: &str) -> Result<String, StringError> {
    let body = body.replace("\r\n", "\n");
    let Some(first_nl) = body.find('\n') else {
        return Err(StringError {
            message: "a text block must start with a line break".into(),
            offset: 0,
        });
    };
    if !body[..first_nl].trim_matches([' ', '\t']).is_empty() {
        return Err(StringError {
            message: "a text block must start with a line break".into(),
            offset: 0,
        });
    }
    let content = &body[first_nl + 1..];
    let lines: Vec<&str> = content.split('\n').collect();
    let last = lines.len() - 1;
    let indent = lines
        .iter()
        .enumerate()
        .filter(|(i, l)| *i == last || !l.trim().is_empty())
        .map(|(_, l)| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    let mut joined = String::with_capacity(content.len());
    for (i, line) in lines.iter().enumerate() {
        let line = if line.trim().is_empty() {
            ""
        } else {
            &line[indent.min(line.len())..]
        };
        if i == last {
            joined.push_str(line);
        } else {
            joined.push_str(line.trim_end_matches([' ', '\t']));
            joined.push('\n');
        }
    }
    unescape(&joined).map_err(|e| StringError {
        offset: first_nl + 1,
        ..e
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_escapes() {
        assert_eq!(unescape(r#"a\"b\\c\/\n\u0041"#).unwrap(), "a\"b\\c/\nA");
        assert_eq!(unescape("a\\\nb").unwrap(), "ab");
        assert_eq!(unescape(r"\uD83D\uDE00").unwrap(), "😀");
        assert!(unescape(r"\'").is_err());
        assert!(unescape(r"\u12").is_err());
        assert!(unescape(r"\u12tt").is_err());
    }

    #[test]
    fn text_block_strips_common_indentation() {
        let body = "\n    foo\n      bar\n    ";
        assert_eq!(text_block(body).unwrap(), "foo\n  bar\n");
        assert_eq!(text_block("\n  a\n  b").unwrap(), "a\nb");
        assert!(text_block("foo\n").is_err());
    }
}
