//! Form bodies for generated awsQuery and ec2Query requests: the input as
//! `key=value` pairs whose keys are dotted paths (`Tags.member.1.Key`),
//! after `Action` and `Version`, encoded by form_urlencoded. Generated
//! serializers compute the keys (the two protocols name lists and maps
//! differently); this module only collects and encodes them.

pub use crate::xml::{fmt_blob, fmt_bool, fmt_f32, fmt_float, fmt_int, fmt_timestamp};

/// The pairs of a request's form body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form {
    pairs: Vec<(String, String)>,
}

impl Form {
    /// A form that calls `action` of API `version`.
    pub fn new(action: &str, version: &str) -> Form {
        Form {
            pairs: vec![
                (String::from("Action"), action.to_owned()),
                (String::from("Version"), version.to_owned()),
            ],
        }
    }

    /// Adds a pair.
    pub fn push(&mut self, key: String, value: impl Into<String>) {
        self.pairs.push((key, value.into()));
    }

    /// The pairs so far.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// The encoded body.
    pub fn to_body(&self) -> bytes::Bytes {
        let mut serializer = form_urlencoded::Serializer::new(String::new());
        for (key, value) in &self.pairs {
            serializer.append_pair(key, value);
        }
        bytes::Bytes::from(serializer.finish())
    }
}

/// The key of `name` under `prefix`: `prefix.name`, or `name` at the top.
pub fn key(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// The key of the `index`th (from 0) item under `prefix`, numbered from 1.
pub fn item(prefix: &str, index: usize) -> String {
    format!("{prefix}.{}", index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_pairs_in_order() {
        let mut form = Form::new("Do", "2020-01-01");
        form.push(key("", "A"), "x y&z");
        form.push(item(&key("List", "member"), 0), "é");
        assert_eq!(
            form.to_body(),
            "Action=Do&Version=2020-01-01&A=x+y%26z&List.member.1=%C3%A9"
        );
    }
}
