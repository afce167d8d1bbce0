//! The functions rule sets call: Smithy's standard library (`isSet`, `not`,
//! `getAttr`, `stringEquals`, `booleanEquals`, `substring`, `uriEncode`,
//! `parseURL`, `isValidHostLabel`, `coalesce`, `ite`, `split`) and the AWS
//! ones (`aws.partition`, `aws.parseArn`, `aws.isVirtualHostableS3Bucket`).
//! A function returns `None` for "no value" (a URL that does not parse, an
//! index out of range), which makes a condition fail; an argument of the
//! wrong type is an error of the rule set.

use std::collections::BTreeMap;

use std::borrow::Cow;

use super::{PathStep, ResolveError, Value};

fn wrong(function: &str, args: &[Option<Cow<'_, Value>>]) -> ResolveError {
    ResolveError::new(format!("`{function}` cannot take {args:?}"))
}

/// Calls `function` with its evaluated arguments (borrowed from the scope
/// where they are variables, so most calls copy nothing).
pub(super) fn call(
    function: &str,
    args: &mut [Option<Cow<'_, Value>>],
    partitions: &super::partitions::Partitions,
) -> Result<Option<Value>, ResolveError> {
    let arg = |i: usize| args.get(i).and_then(|a| a.as_deref());
    let string = |i: usize| arg(i).and_then(Value::as_str);
    let boolean = |i: usize| arg(i).and_then(Value::as_bool);
    let int = |i: usize| match arg(i) {
        Some(Value::Int(n)) => Some(*n),
        _ => None,
    };
    Ok(match function {
        "isSet" => Some(Value::Bool(matches!(args.first(), Some(Some(_))))),
        "not" => match boolean(0) {
            Some(b) => Some(Value::Bool(!b)),
            None => return Err(wrong(function, args)),
        },
        "getAttr" => {
            let (Some(value), Some(path)) = (arg(0), string(1)) else {
                return Ok(None);
            };
            get_attr(value, &super::parse_path(path)?)
        }
        "stringEquals" => Some(Value::Bool(match (string(0), string(1)) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        })),
        "booleanEquals" => Some(Value::Bool(match (boolean(0), boolean(1)) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        })),
        "substring" => {
            let (Some(input), Some(start), Some(stop), Some(reverse)) =
                (string(0), int(1), int(2), boolean(3))
            else {
                return Ok(None);
            };
            substring(input, start, stop, reverse).map(Value::String)
        }
        "uriEncode" => string(0).map(|s| Value::String(uri_encode(s))),
        "parseURL" => string(0).and_then(parse_url),
        "isValidHostLabel" => {
            let (Some(value), Some(sub)) = (string(0), boolean(1)) else {
                return Ok(Some(Value::Bool(false)));
            };
            Some(Value::Bool(is_valid_host_label(value, sub)))
        }
        "coalesce" => args.iter_mut().find_map(Option::take).map(Cow::into_owned),
        "ite" => match boolean(0) {
            Some(true) => arg(1).cloned(),
            Some(false) => arg(2).cloned(),
            None => return Err(wrong(function, args)),
        },
        "split" => {
            let (Some(input), Some(delimiter), Some(limit)) = (string(0), string(1), int(2)) else {
                return Ok(None);
            };
            Some(split(input, delimiter, limit))
        }
        "aws.partition" => string(0).map(|region| partitions.partition(region)),
        "aws.parseArn" => string(0).and_then(parse_arn),
        "aws.isVirtualHostableS3Bucket" => {
            let (Some(bucket), Some(sub)) = (string(0), boolean(1)) else {
                return Ok(Some(Value::Bool(false)));
            };
            Some(Value::Bool(is_virtual_hostable_s3_bucket(bucket, sub)))
        }
        other => return Err(ResolveError::new(format!("unknown function `{other}`"))),
    })
}

/// Follows a `getAttr` path: keys into objects, indexes into arrays (a
/// negative index counts from the end); `None` when a step is missing.
pub(super) fn get_attr(value: &Value, path: &[PathStep]) -> Option<Value> {
    let mut current = value;
    for step in path {
        current = match (step, current) {
            (PathStep::Key(key), Value::Object(map)) => map.get(key)?,
            (PathStep::Index(i), Value::Array(items)) => {
                let index = if *i < 0 {
                    items
                        .len()
                        .checked_sub(usize::try_from(i.unsigned_abs()).ok()?)?
                } else {
                    usize::try_from(*i).ok()?
                };
                items.get(index)?
            }
            _ => return None,
        };
    }
    Some(current.clone())
}

/// `substring`: the ASCII characters `start..stop`, counted from the end
/// when `reverse`; `None` for non-ASCII input or a range outside it.
fn substring(input: &str, start: i64, stop: i64, reverse: bool) -> Option<String> {
    if !input.is_ascii() || start < 0 || start >= stop {
        return None;
    }
    let (start, stop) = (usize::try_from(start).ok()?, usize::try_from(stop).ok()?);
    let len = input.len();
    if stop > len {
        return None;
    }
    let (from, to) = if reverse {
        (len - stop, len - start)
    } else {
        (start, stop)
    };
    Some(input[from..to].to_owned())
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn uri_encode(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for byte in input.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(byte))
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// `parseURL`: an `http` or `https` URL without a query, as its scheme,
/// authority, path, path ending in `/`, and whether its host is an IP
/// address.
fn parse_url(text: &str) -> Option<Value> {
    if text.contains('?') || text.contains('#') {
        return None;
    }
    let uri: http::Uri = text.parse().ok()?;
    let scheme = uri.scheme_str()?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = uri.authority()?;
    // `http::Uri` accepts ports it cannot read; a URL's port is a number.
    let text_port = match authority.as_str().strip_prefix('[') {
        // `[v6]` or `[v6]:port`.
        Some(rest) => rest
            .split_once(']')
            .map(|(_, after)| after.strip_prefix(':')),
        None => Some(authority.as_str().rsplit_once(':').map(|(_, port)| port)),
    };
    match text_port {
        None => return None,
        Some(Some(port)) if port.parse::<u16>().is_err() => return None,
        Some(_) => {}
    }
    let host = authority.host();
    let is_ip = host.parse::<std::net::Ipv4Addr>().is_ok()
        || (host.starts_with('[') && host.ends_with(']'))
        || host.parse::<std::net::Ipv6Addr>().is_ok();
    // The path as written: `http::Uri` shows `/` for none.
    let after_authority = &text[text.find("://")? + 3..];
    let path = after_authority
        .find('/')
        .map_or("", |i| &after_authority[i..]);
    let normalized = if path.ends_with('/') {
        path.to_owned()
    } else {
        format!("{path}/")
    };
    Some(Value::Object(BTreeMap::from([
        ("scheme".to_owned(), Value::String(scheme.to_owned())),
        (
            "authority".to_owned(),
            Value::String(authority.as_str().to_owned()),
        ),
        ("path".to_owned(), Value::String(path.to_owned())),
        ("normalizedPath".to_owned(), Value::String(normalized)),
        ("isIp".to_owned(), Value::Bool(is_ip)),
    ])))
}

/// One DNS label: 1 to 63 letters, digits and hyphens, not starting with a
/// hyphen.
fn is_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && !label.starts_with('-')
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// `isValidHostLabel`: one label, or with `allow_sub_domains` several
/// separated by dots.
fn is_valid_host_label(value: &str, allow_sub_domains: bool) -> bool {
    if allow_sub_domains {
        value.split('.').all(is_label)
    } else {
        is_label(value)
    }
}

/// `split`: `input` cut at each `delimiter`, into at most `limit` parts
/// (`0`: no limit; the last part keeps the rest).
fn split(input: &str, delimiter: &str, limit: i64) -> Value {
    let parts: Vec<&str> = if delimiter.is_empty() {
        vec![input]
    } else if limit > 0 {
        input
            .splitn(usize::try_from(limit).unwrap_or(usize::MAX), delimiter)
            .collect()
    } else {
        input.split(delimiter).collect()
    };
    Value::Array(
        parts
            .into_iter()
            .map(|p| Value::String(p.to_owned()))
            .collect(),
    )
}

/// `aws.parseArn`: `arn:partition:service:region:account:resource` into
/// its parts, the resource split at every `:` and `/`.
fn parse_arn(text: &str) -> Option<Value> {
    let mut parts = text.splitn(6, ':');
    let (arn, partition, service, region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if arn != "arn" || partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let resource_id = resource
        .split([':', '/'])
        .map(|s| Value::String(s.to_owned()))
        .collect();
    Some(Value::Object(BTreeMap::from([
        ("partition".to_owned(), Value::String(partition.to_owned())),
        ("service".to_owned(), Value::String(service.to_owned())),
        ("region".to_owned(), Value::String(region.to_owned())),
        ("accountId".to_owned(), Value::String(account.to_owned())),
        ("resourceId".to_owned(), Value::Array(resource_id)),
    ])))
}

/// `aws.isVirtualHostableS3Bucket`: a bucket name that can be a host's
/// first label (or labels, with `allow_sub_domains`): 3 to 63 lower-case
/// letters, digits, hyphens (and dots), starting and ending with a letter
/// or digit, and not shaped like an IP address.
fn is_virtual_hostable_s3_bucket(bucket: &str, allow_sub_domains: bool) -> bool {
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    if bucket.len() < 3 || bucket.len() > 63 {
        return false;
    }
    if bucket.parse::<std::net::Ipv4Addr>().is_ok() {
        return false;
    }
    if allow_sub_domains {
        bucket.split('.').all(label_ok)
    } else {
        label_ok(bucket)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_library() {
        assert_eq!(substring("abcdefg", 0, 4, false).as_deref(), Some("abcd"));
        assert_eq!(substring("abcdefg", 0, 4, true).as_deref(), Some("defg"));
        assert_eq!(substring("abc", 1, 4, false), None);
        assert_eq!(substring("ab😀", 0, 1, false), None);
        assert_eq!(uri_encode("a b/c?d=é"), "a%20b%2Fc%3Fd%3D%C3%A9");
        assert!(is_valid_host_label("abc-1", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(is_valid_host_label("a.b", true));
        assert!(!is_valid_host_label("-a", false));
        let url = parse_url("https://example.com:8443/a/b").unwrap();
        let Value::Object(url) = url else { panic!() };
        assert_eq!(url["authority"], Value::String("example.com:8443".into()));
        assert_eq!(url["path"], Value::String("/a/b".into()));
        assert_eq!(url["normalizedPath"], Value::String("/a/b/".into()));
        assert_eq!(url["isIp"], Value::Bool(false));
        assert_eq!(parse_url("https://example.com/?q"), None);
        assert_eq!(parse_url("ftp://example.com"), None);
        assert_eq!(parse_url("http://abc.com:a/foo"), None);
        let Some(Value::Object(ip)) = parse_url("http://[::1]:80") else {
            panic!()
        };
        assert_eq!(ip["isIp"], Value::Bool(true));
        assert_eq!(
            split("a--b--c", "--", 2),
            Value::Array(vec![
                Value::String("a".into()),
                Value::String("b--c".into())
            ])
        );
        let arn = parse_arn("arn:aws:s3:us-east-1:123:accesspoint/my:ap").unwrap();
        assert_eq!(
            get_attr(
                &arn,
                &[PathStep::Key("resourceId".into()), PathStep::Index(-1)]
            ),
            Some(Value::String("ap".into()))
        );
        assert_eq!(parse_arn("arn:aws:s3:::"), None);
        assert!(is_virtual_hostable_s3_bucket("my-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("My-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("a.b.c", false));
        assert!(is_virtual_hostable_s3_bucket("a.b.c", true));
        assert!(!is_virtual_hostable_s3_bucket("192.168.1.1", true));
    }
}
