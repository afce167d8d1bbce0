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
//!
//! Smithy's loader is Java, so what Java's `java.util.regex` accepts is
//! what models hold: UTF-16 surrogate pairs written as two `\u` escapes,
//! octal escapes, POSIX property names (`\p{Punct}`), a `-` after a class
//! escape, and quantified look-arounds. Each is rewritten to what it means
//! there.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

/// `pattern` in the syntax of fancy-regex, with the meaning Smithy's
/// loader gives it; or why the engine cannot run it.
///
/// Each answer is [`rewrite`]'s, kept for the rest of the process, since a
/// Unicode class takes milliseconds to compile and generation asks for
/// each pattern more than once.
pub fn for_engine(pattern: &str) -> Result<String, String> {
    static SEEN: LazyLock<Mutex<HashMap<String, Result<String, String>>>> =
        LazyLock::new(Mutex::default);
    if let Some(known) = SEEN.lock().ok().and_then(|seen| seen.get(pattern).cloned()) {
        return known;
    }
    let answer = rewrite(pattern);
    if let Ok(mut seen) = SEEN.lock() {
        seen.insert(pattern.to_owned(), answer.clone());
    }
    answer
}

/// [`for_engine`] without keeping the answer: the rewrite, checked by
/// compiling it.
///
/// When the plain rewrite is too large for the engine's automata (a
/// counted repetition of a big Unicode class, such as `[^\p{C}]{1,2048}`),
/// counted repetitions are made to run on fancy-regex's backtracking
/// machine, which counts instead of unrolling.
pub fn rewrite(pattern: &str) -> Result<String, String> {
    let plain = Rewrite::new(pattern, false).run()?;
    match fancy_regex::Regex::new(&plain) {
        Ok(_) => Ok(plain),
        Err(e) => {
            let counted = Rewrite::new(pattern, true).run()?;
            match fancy_regex::Regex::new(&counted) {
                Ok(_) => Ok(counted),
                Err(_) => Err(e.to_string()),
            }
        }
    }
}

/// ASCII digits, as `\d` means in Smithy patterns.
const DIGIT: &str = "0-9";
/// ASCII word characters, as `\w` means in Smithy patterns.
const WORD: &str = "0-9A-Za-z_";
/// The UTF-16 surrogates, which are no characters of a Rust string.
const SURROGATES: std::ops::RangeInclusive<u32> = 0xD800..=0xDFFF;
/// A class that matches nothing: what a lone surrogate matches in text
/// that is valid Unicode.
const NOTHING: &str = r"[^\x{0}-\x{10FFFF}]";

/// One element of a bracket class.
enum Item {
    /// One character: its code point and how to write it.
    Char(u32, String),
    /// A set of characters, written to go inside a class.
    Set(String),
    /// A `-`: a range between two characters, otherwise itself.
    Dash,
    /// An escape the engine reads as written (`\s`, `\b`, `\1`).
    Raw(String),
}

/// One pass over a pattern, writing the engine's form.
struct Rewrite<'p> {
    chars: std::iter::Peekable<std::str::Chars<'p>>,
    out: String,
    /// Whether counted repetitions run counting (see [`for_engine`]).
    counted: bool,
    /// Where the last atom (what a quantifier applies to) starts in
    /// `out`, and whether it is a look-around.
    atom: Option<(usize, bool)>,
    /// The open groups' starts, and whether each is a look-around.
    groups: Vec<(usize, bool)>,
    /// Whether a quantifier just ended.
    quantified: bool,
    /// The first escape letter the pattern may not use.
    refused: Option<char>,
}

impl<'p> Rewrite<'p> {
    fn new(pattern: &'p str, counted: bool) -> Self {
        Rewrite {
            chars: pattern.chars().peekable(),
            out: String::with_capacity(pattern.len() + 8),
            counted,
            atom: None,
            groups: Vec::new(),
            quantified: false,
            refused: None,
        }
    }

    /// The engine's form, or the escape that has none.
    fn run(mut self) -> Result<String, String> {
        while let Some(c) = self.chars.next() {
            let start = self.out.len();
            match c {
                '{' if is_quantifier(self.chars.clone()) => {
                    let mut text = String::from("{");
                    for d in self.chars.by_ref() {
                        text.push(d);
                        if d == '}' {
                            break;
                        }
                    }
                    let min = text[1..]
                        .trim_end_matches('}')
                        .split(',')
                        .next()
                        .and_then(|n| n.parse::<u64>().ok())
                        .unwrap_or(0);
                    self.quantifier(&text, min, true);
                    continue;
                }
                '*' | '?' => {
                    self.quantifier(&c.to_string(), 0, false);
                    continue;
                }
                '+' => {
                    self.quantifier("+", 1, false);
                    continue;
                }
                '\\' => match self.escape() {
                    Item::Char(cp, _) if SURROGATES.contains(&cp) => self.out.push_str(NOTHING),
                    Item::Char(_, text) => self.out.push_str(&text),
                    Item::Set(set) if set.starts_with('[') => self.out.push_str(&set),
                    Item::Set(set) => {
                        self.out.push('[');
                        self.out.push_str(&set);
                        self.out.push(']');
                    }
                    Item::Dash => self.out.push_str(r"\-"),
                    Item::Raw(text) => self.out.push_str(&text),
                },
                '[' => self.class(),
                // Not a quantifier (that arm is above): text, as ECMA
                // reads it.
                '{' => self.out.push_str("\\{"),
                '(' => {
                    let rest: String = self.chars.clone().take(3).collect();
                    let look = ["?=", "?!", "?<=", "?<!"]
                        .iter()
                        .any(|l| rest.starts_with(l));
                    self.groups.push((start, look));
                    self.out.push('(');
                    // A group's kind (`?:`, `?=`, `?<!`, `?<name>`) is
                    // no quantifier.
                    if self.chars.next_if_eq(&'?').is_some() {
                        self.out.push('?');
                        if let Some(kind) = self.chars.next() {
                            self.out.push(kind);
                            if kind == '<'
                                && let Some(look) = self.chars.next_if(|c| matches!(c, '=' | '!'))
                            {
                                self.out.push(look);
                            }
                        }
                    }
                    self.quantified = false;
                    continue;
                }
                ')' => {
                    self.out.push(')');
                    self.atom = self.groups.pop();
                    self.quantified = false;
                    continue;
                }
                _ => self.out.push(c),
            }
            self.atom = Some((start, false));
            self.quantified = false;
        }
        match self.refused {
            Some(c) => Err(format!("`\\{c}` is no escape of Smithy's patterns")),
            None => Ok(self.out),
        }
    }

    /// A quantifier (`text`, repeating at least `min` times) after the
    /// last atom. `counted` is true for `{..}`.
    fn quantifier(&mut self, text: &str, min: u64, counted: bool) {
        if self.quantified && text == "?" || self.quantified && text == "+" && !counted {
            // A lazy or possessive quantifier's suffix.
            self.out.push_str(text);
            return;
        }
        match self.atom {
            // Java accepts a repeated look-around, which looks once, or
            // not at all when it may repeat zero times.
            Some((at, true)) => {
                if min == 0 {
                    self.out.truncate(at);
                }
                if matches!(self.chars.peek(), Some('?' | '+')) {
                    self.chars.next();
                }
                self.atom = None;
                self.quantified = false;
                return;
            }
            Some((at, false)) if counted => {
                // ECMA (as Smithy reads it) repeats a repetition:
                // `a{2}{3}` is `(?:a{2}){3}`, which fancy-regex reads
                // otherwise.
                if self.quantified {
                    self.out.insert_str(at, "(?:");
                    self.out.push(')');
                }
                // An empty look-ahead makes the atom something only the
                // backtracking machine runs, which counts repetitions.
                if self.counted {
                    self.out.insert_str(at, "(?:");
                    self.out.push_str("(?=))");
                }
            }
            _ => {}
        }
        self.out.push_str(text);
        self.quantified = true;
    }

    /// The escape after a `\`.
    fn escape(&mut self) -> Item {
        let Some(c) = self.chars.next() else {
            return Item::Char(u32::from('\\'), r"\\".to_owned());
        };
        match c {
            'd' => Item::Set(DIGIT.to_owned()),
            'w' => Item::Set(WORD.to_owned()),
            'D' => Item::Set(format!("[^{DIGIT}]")),
            'W' => Item::Set(format!("[^{WORD}]")),
            'p' | 'P' => {
                let name = if self.chars.peek() == Some(&'{') {
                    self.chars.next();
                    let mut name = String::new();
                    for d in self.chars.by_ref() {
                        if d == '}' {
                            break;
                        }
                        name.push(d);
                    }
                    name
                } else {
                    self.chars.next().map(String::from).unwrap_or_default()
                };
                let set = property(&name).unwrap_or_else(|| format!(r"\p{{{name}}}"));
                Item::Set(if c == 'P' { format!("[^{set}]") } else { set })
            }
            'u' => {
                let hex: String = self.chars.clone().take(4).collect();
                match u32::from_str_radix(&hex, 16) {
                    Ok(high) if hex.len() == 4 && hex.chars().all(|h| h.is_ascii_hexdigit()) => {
                        self.chars.nth(3);
                        // A UTF-16 surrogate pair is one character.
                        if (0xD800..0xDC00).contains(&high) {
                            let rest: String = self.chars.clone().take(6).collect();
                            if let Some(low) = rest
                                .strip_prefix("\\u")
                                .filter(|h| h.chars().all(|h| h.is_ascii_hexdigit()))
                                .and_then(|h| u32::from_str_radix(h, 16).ok())
                                .filter(|low| (0xDC00..0xE000).contains(low))
                            {
                                self.chars.nth(5);
                                let cp = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                                return char_item(cp);
                            }
                        }
                        char_item(high)
                    }
                    _ => Item::Char(u32::from('u'), r"\u".to_owned()),
                }
            }
            'x' => {
                let hex: String = if self.chars.peek() == Some(&'{') {
                    self.chars.next();
                    self.chars.by_ref().take_while(|h| *h != '}').collect()
                } else {
                    let hex: String = self.chars.clone().take(2).collect();
                    if hex.len() == 2 {
                        self.chars.nth(1);
                    }
                    hex
                };
                match u32::from_str_radix(&hex, 16) {
                    Ok(cp) => char_item(cp),
                    Err(_) => Item::Char(u32::from('x'), format!(r"\x{{{hex}}}")),
                }
            }
            // Java's octal escape: `\0` and one to three octal digits.
            '0' => {
                let mut value = 0u32;
                let mut digits = 0;
                while let Some(d) = self.chars.peek().and_then(|d| d.to_digit(8)) {
                    if digits == 3 || (digits == 2 && value > 0o37) {
                        break;
                    }
                    value = value * 8 + d;
                    digits += 1;
                    self.chars.next();
                }
                char_item(value)
            }
            't' => Item::Char(9, r"\t".to_owned()),
            'n' => Item::Char(10, r"\n".to_owned()),
            'f' => Item::Char(12, r"\f".to_owned()),
            'r' => Item::Char(13, r"\r".to_owned()),
            '-' => Item::Dash,
            // An escaped symbol is itself. Rust reads `\<` and `\>` as
            // word boundaries, so only its own metacharacters stay escaped.
            c if c.is_ascii_punctuation() || c == ' ' => Item::Char(
                u32::from(c),
                if r"\.+*?()|[]{}^$#&-~".contains(c) {
                    format!(r"\{c}")
                } else {
                    c.to_string()
                },
            ),
            // The other escapes Java and the engine read alike: classes of
            // white space, boundaries, anchors and backreferences.
            c @ ('s' | 'S' | 'b' | 'B' | 'A' | 'z' | '1'..='9' | 'k') => {
                Item::Raw(format!(r"\{c}"))
            }
            // Anything else Java refuses, or the engine reads otherwise
            // (`\g` calls a group, recursively): no pattern a model can
            // hold, so none the engine runs.
            c => {
                self.refused.get_or_insert(c);
                Item::Raw(format!(r"\{c}"))
            }
        }
    }

    /// A bracket class, after its `[`.
    fn class(&mut self) {
        let mut items = Vec::new();
        let negated = self.chars.peek() == Some(&'^');
        if negated {
            self.chars.next();
        }
        while let Some(c) = self.chars.next() {
            items.push(match c {
                ']' => break,
                '\\' => match self.escape() {
                    Item::Dash => Item::Char(u32::from('-'), r"\-".to_owned()),
                    item => item,
                },
                '-' => Item::Dash,
                // ECMA reads these literally in a class; Rust would read
                // a nested class or a set operator.
                '[' | '&' | '~' => Item::Char(u32::from(c), format!(r"\{c}")),
                c => Item::Char(u32::from(c), c.to_string()),
            });
        }
        let mut body = String::new();
        let mut i = 0;
        while i < items.len() {
            match (&items[i], items.get(i + 1), items.get(i + 2)) {
                (Item::Char(lo, lo_text), Some(Item::Dash), Some(Item::Char(hi, hi_text))) => {
                    // Surrogates are no characters of a Rust string: a
                    // range keeps the characters it holds.
                    let from = if SURROGATES.contains(lo) { 0xE000 } else { *lo };
                    let to = if SURROGATES.contains(hi) { 0xD7FF } else { *hi };
                    if from == *lo && to == *hi {
                        body.push_str(&format!("{lo_text}-{hi_text}"));
                    } else if from <= to {
                        body.push_str(&format!(r"\x{{{from:X}}}-\x{{{to:X}}}"));
                    }
                    i += 3;
                    continue;
                }
                (Item::Char(cp, _), ..) if SURROGATES.contains(cp) => {}
                (Item::Char(_, text) | Item::Set(text) | Item::Raw(text), ..) => {
                    body.push_str(text)
                }
                (Item::Dash, ..) => body.push_str(r"\-"),
            }
            i += 1;
        }
        match (body.is_empty(), negated) {
            (true, false) => self.out.push_str(NOTHING),
            (true, true) => self.out.push_str(r"[\x{0}-\x{10FFFF}]"),
            (false, _) => {
                self.out.push('[');
                if negated {
                    self.out.push('^');
                }
                self.out.push_str(&body);
                self.out.push(']');
            }
        }
    }
}

/// A character as an item, written as an escape.
fn char_item(cp: u32) -> Item {
    Item::Char(cp, format!(r"\x{{{cp:X}}}"))
}

/// The characters of a property class whose name Java reads otherwise
/// than Rust (written to go inside a class), or `None` for one Rust reads
/// the same.
///
/// Java's POSIX classes are ASCII (`java.util.regex.Pattern`, "POSIX
/// character classes (US-ASCII only)"); `LD`, `L1` and `all` are its own;
/// `Is` prefixes a category, script or binary property.
fn property(name: &str) -> Option<String> {
    let set = match name {
        "Lower" => "a-z",
        "Upper" => "A-Z",
        "ASCII" => r"\x00-\x7F",
        "Alpha" => "a-zA-Z",
        "Digit" => "0-9",
        "Alnum" => "a-zA-Z0-9",
        "Punct" => r"\x21-\x2F\x3A-\x40\x5B-\x60\x7B-\x7E",
        "Graph" => r"\x21-\x7E",
        "Print" => r"\x20-\x7E",
        "Blank" => r" \t",
        "Cntrl" => r"\x00-\x1F\x7F",
        "XDigit" => "0-9a-fA-F",
        "Space" => r" \t\n\x0B\f\r",
        "LD" => r"\p{L}\p{Nd}",
        "L1" => r"\x00-\xFF",
        "all" => r"\x{0}-\x{10FFFF}",
        _ => {
            return name
                .strip_prefix("Is")
                .filter(|rest| !rest.is_empty())
                .map(|rest| property(rest).unwrap_or_else(|| format!(r"\p{{{rest}}}")));
        }
    };
    Some(set.to_owned())
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
        fancy_regex::Regex::new(&for_engine(pattern).unwrap())
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

    #[test]
    fn surrogate_pairs_are_characters() {
        // The form most AWS models write: every XML 1.0 character.
        let xml = r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]+$";
        assert!(matches(xml, "héllo 😀\t"));
        assert!(!matches(xml, "a\u{1}"));
        // A common misspelling of it names lone surrogates, which Java
        // matches against no character of valid text.
        let typo = r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDBFF-\uDC00\uDFFF\r\n\t]*$";
        assert!(matches(typo, "plain\r\n"));
        assert!(!matches(typo, "😀"));
        assert!(matches(r"^\uD83D\uDE00$", "😀"));
        assert!(!matches(r"^a\uD800?$", "a\u{FFFD}"));
        assert!(matches(r"^a\uD800?$", "a"));
    }

    #[test]
    fn octal_escapes_are_characters() {
        let name = r"^[^/:|\000-\037]+$";
        assert!(matches(name, "report.txt"));
        assert!(!matches(name, "a\u{1f}b"));
        assert!(!matches(name, "a/b"));
        assert!(matches(r"^\0101$", "A"));
    }

    #[test]
    fn java_property_names() {
        let uuid = r"^\p{XDigit}{8}-\p{XDigit}{4}-\p{XDigit}{4}-\p{XDigit}{4}-\p{XDigit}{12}$";
        assert!(matches(uuid, "0123abcd-4567-89ef-ABCD-0123456789ab"));
        assert!(!matches(uuid, "0123abcg-4567-89ef-ABCD-0123456789ab"));
        let text = r"^(\p{LD}|\p{Punct}| )+$";
        assert!(matches(text, "Hello, Wörld 42!"));
        assert!(!matches(text, "tab\t"));
        assert!(!matches(r"^\p{Punct}$", "¡"));
        assert!(matches(r"^[\p{all}]*$", "anything 😀\n"));
        assert!(matches(r"^\p{IsL}+$", "Größe"));
        assert!(matches(r"^[\P{Alpha}]+$", "123 é"));
        assert!(!matches(r"^[\P{Alpha}]+$", "1a"));
    }

    #[test]
    fn a_dash_beside_a_class_escape_is_text() {
        let role = r"^arn:aws[a-z0-9-]*:iam::\d{12}:role\/[\w-\/.@+=,]{1,1017}$";
        assert!(matches(
            role,
            "arn:aws:iam::123456789012:role/my-role/path@x"
        ));
        assert!(!matches(role, "arn:aws:iam::123456789012:role/my role"));
        let name = r"^(?! )[\p{L}\p{N}\p{Z}-_]*(?<! )$";
        assert!(matches(name, "a-b_c d"));
        assert!(!matches(name, "a+b"));
        assert!(!matches(name, " a"));
    }

    #[test]
    fn a_quantified_look_around_looks_once() {
        let path = r"^(\/|(\/(?!\.)+[^$#<>;`|&?{}^*/\n]+){1,4})$";
        assert!(matches(path, "/abc/def"));
        assert!(!matches(path, "/.abc"));
        assert!(matches(r"^(?=a)*b$", "b"));
        assert!(matches(r"^a(?!b){0,3}b$", "ab"));
    }

    #[test]
    fn escaped_symbols_are_text() {
        assert!(matches(r"^a\<b\>$", "a<b>"));
        assert!(matches(r"^\@\/\:$", "@/:"));
        assert!(matches(r"^[\^a]+$", "^a"));
        assert!(matches(r"^(a)\1$", "aa"));
        assert!(matches(r"^\bword\b$", "word"));
    }

    #[test]
    fn large_repetitions_count_instead_of_unrolling() {
        let any = r"^.{1,100000}$";
        assert!(matches(any, "x"));
        assert!(!matches(any, ""));
        assert!(matches(any, &"é".repeat(100_000)));
        assert!(!matches(any, &"é".repeat(100_001)));
        let visible = r"^[^\p{C}]{1,2048}$";
        assert!(matches(visible, "hello"));
        assert!(!matches(visible, "a\u{0}b"));
        assert!(!matches(visible, &"x".repeat(2049)));
        assert!(matches(r"^[\P{M}\p{M}]{0,20000}$", "e\u{301}"));
        // Small ones stay on the automata.
        assert!(!for_engine(r"^a{1,3}$").unwrap().contains("(?="));
    }

    #[test]
    fn what_the_engine_cannot_run_is_an_error() {
        assert!(for_engine(r"^\p{InGreek}$").is_err());
        assert!(for_engine(r"^(a$").is_err());
        // Found by fuzzing: `\g0` calls the whole pattern from inside
        // itself, which ran out of memory matching. Java has no `\g`.
        assert!(for_engine(r"^\.0\g0$").is_err());
        assert!(for_engine(r"^a\K$").is_err());
    }
}
