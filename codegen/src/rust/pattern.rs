//! `@pattern` values as the server's regular-expression engine
//! (fancy-regex) must read them to mean what the model means.
//!
//! Smithy patterns are ECMA 262 regular expressions (spec: "pattern
//! trait"), as Smithy's own implementation reads them: Unicode property
//! classes (`\p{L}`) and look-around are supported, but the shorthand
//! classes `\d` and `\w` are ASCII, where Rust's engines make them
//! Unicode. That would accept digits and letters the model refuses, and
//! makes a bounded repetition of `\w` too large to compile. So the engine
//! gets the ASCII classes spelled out; inside a bracket class, `[` and the
//! set operators Rust reads there (`&&`, `~~`) are escaped as ECMA reads
//! them: literally.

/// `pattern` (ECMA 262) in the syntax of fancy-regex, with the same
/// meaning.
pub fn for_engine(pattern: &str) -> String {
    const DIGIT: &str = "0-9";
    const WORD: &str = "0-9A-Za-z_";
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    // Where the last atom (what a quantifier applies to) starts in `out`,
    // the open groups' starts, and whether a quantifier just ended.
    let mut atom = None;
    let mut groups = Vec::new();
    let mut quantified = false;
    while let Some(c) = chars.next() {
        if in_class {
            match c {
                '\\' => match chars.next() {
                    Some(class @ ('d' | 'w')) => {
                        out.push_str(if class == 'd' { DIGIT } else { WORD })
                    }
                    Some(class @ ('D' | 'W')) => {
                        out.push_str(if class == 'D' {
                            "[^0-9]"
                        } else {
                            "[^0-9A-Za-z_]"
                        });
                    }
                    Some(other) => {
                        out.push('\\');
                        out.push(other);
                    }
                    None => out.push('\\'),
                },
                '[' | '&' | '~' => {
                    out.push('\\');
                    out.push(c);
                }
                ']' => {
                    in_class = false;
                    out.push(']');
                }
                _ => out.push(c),
            }
            continue;
        }
        let start = out.len();
        match c {
            '{' if is_quantifier(chars.clone()) => {
                // ECMA (as Smithy reads it) repeats a repetition:
                // `a{2}{3}` is `(?:a{2}){3}`, which fancy-regex reads
                // otherwise.
                if let (true, Some(at)) = (quantified, atom) {
                    out.insert_str(at, "(?:");
                    out.push(')');
                }
                out.push('{');
                for d in chars.by_ref() {
                    out.push(d);
                    if d == '}' {
                        break;
                    }
                }
                quantified = true;
                continue;
            }
            '*' | '+' | '?' => {
                out.push(c);
                quantified = true;
                continue;
            }
            '\\' => match chars.next() {
                Some(class @ ('d' | 'D' | 'w' | 'W')) => {
                    let set = if class.eq_ignore_ascii_case(&'d') {
                        DIGIT
                    } else {
                        WORD
                    };
                    let negated = if class.is_ascii_uppercase() { "^" } else { "" };
                    out.push_str(&format!("[{negated}{set}]"));
                }
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                    // A property class's name (`\p{L}`) is part of it.
                    if matches!(other, 'p' | 'P' | 'u' | 'x') && chars.peek() == Some(&'{') {
                        for d in chars.by_ref() {
                            out.push(d);
                            if d == '}' {
                                break;
                            }
                        }
                    }
                }
                None => out.push('\\'),
            },
            '[' => {
                in_class = true;
                out.push('[');
            }
            // Not a quantifier (that arm is above): text, as ECMA reads it.
            '{' => out.push_str("\\{"),
            '(' => {
                groups.push(start);
                out.push('(');
                quantified = false;
                continue;
            }
            ')' => {
                out.push(')');
                atom = groups.pop();
                quantified = false;
                continue;
            }
            _ => out.push(c),
        }
        atom = Some(start);
        quantified = false;
    }
    out
}

/// True when the text after a `{` makes it a quantifier (`{n}`, `{n,}`,
/// `{n,m}`); otherwise ECMA reads the brace literally.
fn is_quantifier(rest: impl Iterator<Item = char>) -> bool {
    let text: String = rest.take_while(|c| *c != '}').collect();
    let (min, max) = text.split_once(',').unwrap_or((&text, "0"));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    !min.is_empty() && digits(min) && digits(max) && text.len() < 24
}

#[cfg(test)]
mod tests {
    use super::for_engine;

    fn matches(pattern: &str, value: &str) -> bool {
        fancy_regex::Regex::new(&for_engine(pattern))
            .unwrap_or_else(|e| panic!("{pattern}: {e}"))
            .is_match(value)
            .unwrap()
    }

    #[test]
    fn shorthand_classes_are_ascii() {
        assert!(matches(r"^\d+$", "0123456789"));
        assert!(!matches(r"^\d+$", "١٢٣"));
        assert!(matches(r"^\w+$", "abc_XYZ_09"));
        assert!(!matches(r"^\w+$", "é"));
        assert!(matches(r"^\D\W$", "a-"));
        assert!(!matches(r"^\D$", "5"));
        assert!(matches(r"^[\w-]+$", "a-b_c"));
        assert!(!matches(r"^[\w-]+$", "a b"));
        assert!(matches(r"^[^\d]+$", "abc"));
        assert!(!matches(r"^[^\d]+$", "a1"));
        assert!(matches(r"^[\D]$", "x"));
        assert!(!matches(r"^[\D]$", "7"));
        assert!(matches(r"^\\d$", r"\d"));
    }

    #[test]
    fn what_aws_models_write_compiles() {
        // A bounded repetition of `\w`, too large for the engine in Unicode.
        assert!(matches(
            r"^arn:aws:mediastore:[a-z]+-[a-z]+-\d:\d{12}:container/[\w-]{1,255}$",
            "arn:aws:mediastore:us-east-1:123456789012:container/my-box"
        ));
        // Unicode classes and look-around, as Smithy's loader reads them.
        assert!(matches(r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$", "Größe 3"));
        assert!(matches(r"^\p{ASCII}{0,8}$", "plain"));
        assert!(!matches(r"^\p{ASCII}{0,8}$", "Größe"));
        assert!(matches(r"^(?!aws\.).*$", "mine"));
        assert!(!matches(r"^(?!aws\.).*$", "aws.events"));
    }

    #[test]
    fn brackets_and_set_operators_in_a_class_are_literal() {
        assert!(matches(r"^[[a]+$", "[a["));
        assert!(matches(r"^[a&&b]+$", "a&b"));
        assert!(matches(r"^[~~]$", "~"));
    }

    #[test]
    fn a_repetition_repeats() {
        // rbin's rule ARNs: rule ids of 11 characters.
        let arn = r"^arn:aws(-[a-z]{1,3}){0,2}:rbin:[a-z\-0-9]{0,63}:[0-9]{12}:rule/[0-9a-zA-Z]{11}{0,1011}$";
        assert!(matches(
            arn,
            "arn:aws:rbin:us-east-1:123456789012:rule/abcdefghijk"
        ));
        assert!(matches(arn, "arn:aws:rbin:us-east-1:123456789012:rule/"));
        assert!(!matches(
            arn,
            "arn:aws:rbin:us-east-1:123456789012:rule/abc"
        ));
        assert!(matches(r"^(ab){1}{2}$", "abab"));
        assert!(matches(r"^a{2}{2}{2}$", "aaaaaaaa"));
        assert!(!matches(r"^a{2}{2}{2}$", "aaaaaa"));
        // Braces that are no quantifier are text.
        assert!(matches(r"^a{,2}$", "a{,2}"));
        assert!(matches(r"^\{x}$", "{x}"));
    }
}
