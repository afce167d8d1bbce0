//! [`BigInteger`] and [`BigDecimal`]: arbitrary-precision numbers kept as
//! validated decimal text, so no precision is lost on the way through.

use std::fmt;
use std::str::FromStr;

/// The text is not a number of the expected form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseBigNumberError {
    kind: &'static str,
}

impl fmt::Display for ParseBigNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {} literal", self.kind)
    }
}

impl std::error::Error for ParseBigNumberError {}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_integer(s: &str) -> bool {
    digits(s.strip_prefix(['-', '+']).unwrap_or(s))
}

fn is_decimal(s: &str) -> bool {
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mantissa = mantissa.strip_prefix(['-', '+']).unwrap_or(mantissa);
    let mantissa_ok = match mantissa.split_once('.') {
        Some((a, b)) => {
            (digits(a) || a.is_empty())
                && (digits(b) || b.is_empty())
                && !(a.is_empty() && b.is_empty())
        }
        None => digits(mantissa),
    };
    mantissa_ok && exponent.is_none_or(is_integer)
}

macro_rules! big_number {
    ($name:ident, $kind:literal, $check:ident, $doc:literal) => {
        #[doc = $doc]
        #[derive(Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            /// The number's decimal text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = ParseBigNumberError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                if $check(s) {
                    Ok($name(s.to_owned()))
                } else {
                    Err(ParseBigNumberError { kind: $kind })
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl From<i64> for $name {
            fn from(v: i64) -> Self {
                $name(v.to_string())
            }
        }
    };
}

big_number!(
    BigInteger,
    "bigInteger",
    is_integer,
    "An integer of any size (Smithy `bigInteger`)."
);
big_number!(
    BigDecimal,
    "bigDecimal",
    is_decimal,
    "A decimal of any size and precision (Smithy `bigDecimal`)."
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_numbers() {
        assert!(
            "123456789012345678901234567890"
                .parse::<BigInteger>()
                .is_ok()
        );
        assert!("-1".parse::<BigInteger>().is_ok());
        assert!("1.5".parse::<BigInteger>().is_err());
        assert!("1.5e-3".parse::<BigDecimal>().is_ok());
        assert!(".5".parse::<BigDecimal>().is_ok());
        assert!("1e".parse::<BigDecimal>().is_err());
        assert!("abc".parse::<BigDecimal>().is_err());
    }
}
