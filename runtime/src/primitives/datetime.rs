//! [`DateTime`]: an instant, with the three wire formats Smithy defines
//! (`date-time`, `http-date`, `epoch-seconds`). Formatting and parsing are
//! done by the `time` crate (and `httpdate` for the obsolete forms of an
//! HTTP date a server may still send).

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, PrimitiveDateTime};

/// IMF-fixdate (RFC 9110 §5.6.7), for every year from 1 to 9999 (the
/// `httpdate` crate writes and reads only years from 1970).
const IMF_FIXDATE: &[time::format_description::BorrowedFormatItem<'_>] = time::macros::format_description!(
    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
);

/// The wire formats of Smithy timestamps (`@timestampFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimestampFormat {
    /// RFC 3339 in UTC, e.g. `1985-04-12T23:20:50.52Z`.
    DateTime,
    /// IMF-fixdate (RFC 7231), e.g. `Tue, 29 Apr 2014 18:30:38 GMT`.
    HttpDate,
    /// Seconds since the Unix epoch, with an optional fraction, e.g. `1515531081.123`.
    EpochSeconds,
}

/// A timestamp that could not be parsed or formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTimeError {
    message: String,
}

impl fmt::Display for DateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DateTimeError {}

fn error(message: impl Into<String>) -> DateTimeError {
    DateTimeError {
        message: message.into(),
    }
}

/// An instant in time with nanosecond precision (Smithy `timestamp`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime {
    seconds: i64,
    nanos: u32,
}

impl DateTime {
    /// The Unix epoch.
    pub const UNIX_EPOCH: DateTime = DateTime {
        seconds: 0,
        nanos: 0,
    };

    /// Whole seconds since the epoch.
    pub fn from_secs(seconds: i64) -> DateTime {
        DateTime { seconds, nanos: 0 }
    }

    /// Seconds and a sub-second part; `nanos` above one second carries over.
    pub fn from_secs_and_nanos(seconds: i64, nanos: u32) -> DateTime {
        DateTime {
            seconds: seconds + i64::from(nanos / 1_000_000_000),
            nanos: nanos % 1_000_000_000,
        }
    }

    /// Fractional seconds since the epoch (rounded to the microsecond, as
    /// `f64` cannot carry more for current dates).
    pub fn from_secs_f64(seconds: f64) -> DateTime {
        let whole = seconds.floor();
        let micros = ((seconds - whole) * 1_000_000.0).round() as u32;
        DateTime::from_secs_and_nanos(whole as i64, micros * 1_000)
    }

    /// Epoch seconds read as a float from the wire (a CBOR float, a JSON
    /// number in exponent form): the shortest decimal that reads back as
    /// the float, which is what the sender wrote, to the precision the
    /// float carries (so `1646464089.123456` keeps its microseconds, and
    /// milliseconds survive for every year up to 9999).
    pub(crate) fn from_wire_secs_f64(seconds: f64) -> DateTime {
        // `Display` writes that decimal, never in exponent form.
        let text = seconds.to_string();
        let text = match text.split_once('.') {
            Some((whole, fraction)) if fraction.len() > 9 => format!("{whole}.{}", &fraction[..9]),
            _ => text,
        };
        decimal_secs(&text).unwrap_or_else(|| DateTime::from_secs_f64(seconds))
    }

    /// Epoch seconds as the float a wire carries: the one nearest the
    /// decimal text (milliseconds at most), whose shortest form is that
    /// text again ([`from_wire_secs_f64`](Self::from_wire_secs_f64)).
    pub(crate) fn to_wire_secs_f64(self) -> f64 {
        self.format(TimestampFormat::EpochSeconds)
            .ok()
            .and_then(|text| text.parse().ok())
            .unwrap_or_else(|| self.as_secs_f64())
    }

    /// The current time.
    pub fn now() -> DateTime {
        DateTime::from(SystemTime::now())
    }

    /// Whole seconds since the epoch (floor).
    pub fn secs(&self) -> i64 {
        self.seconds
    }

    /// Nanoseconds past [`secs`](Self::secs), `0..1_000_000_000`.
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Seconds since the epoch as `f64`.
    pub fn as_secs_f64(&self) -> f64 {
        self.seconds as f64 + f64::from(self.nanos) / 1e9
    }

    fn offset_date_time(&self) -> Result<OffsetDateTime, DateTimeError> {
        let nanos = i128::from(self.seconds) * 1_000_000_000 + i128::from(self.nanos);
        OffsetDateTime::from_unix_timestamp_nanos(nanos)
            .map_err(|e| error(format!("timestamp out of range: {e}")))
    }

    /// The instant with its sub-millisecond part dropped (towards the past),
    /// the precision every wire format keeps.
    pub fn truncated_to_millis(&self) -> DateTime {
        DateTime {
            seconds: self.seconds,
            nanos: self.nanos - self.nanos % 1_000_000,
        }
    }

    /// Formats the instant as it is sent on the wire. Sub-millisecond
    /// precision is truncated: Smithy's `@timestampFormat` (spec: "Protocol
    /// traits") allows at most milliseconds in `date-time` and
    /// `epoch-seconds`, and none in `http-date`.
    pub fn fmt(&self, format: TimestampFormat) -> Result<String, DateTimeError> {
        self.truncated_to_millis().format(format)
    }

    /// Formats the instant with all the precision it has.
    fn format(&self, format: TimestampFormat) -> Result<String, DateTimeError> {
        match format {
            TimestampFormat::EpochSeconds => Ok(if self.nanos == 0 {
                self.seconds.to_string()
            } else if self.seconds < 0 {
                // `seconds` is the floor: -1.5 s is -2 s + 0.5 s.
                let whole = -(i128::from(self.seconds) + 1);
                let fraction = format!("{:09}", 1_000_000_000 - self.nanos);
                format!("-{whole}.{}", fraction.trim_end_matches('0'))
            } else {
                let fraction = format!("{:09}", self.nanos);
                format!("{}.{}", self.seconds, fraction.trim_end_matches('0'))
            }),
            TimestampFormat::DateTime => {
                let dt = self.offset_date_time()?;
                let mut out = format!(
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                    dt.year(),
                    u8::from(dt.month()),
                    dt.day(),
                    dt.hour(),
                    dt.minute(),
                    dt.second()
                );
                if self.nanos != 0 {
                    let fraction = format!("{:09}", self.nanos);
                    out.push('.');
                    out.push_str(fraction.trim_end_matches('0'));
                }
                out.push('Z');
                Ok(out)
            }
            TimestampFormat::HttpDate => self
                .offset_date_time()?
                .format(IMF_FIXDATE)
                .map_err(|e| error(format!("timestamp out of range for an HTTP date: {e}"))),
        }
    }

    /// Parses a timestamp as a server reads a request's: as
    /// [`DateTime::parse`], except that a `date-time` must be in UTC with
    /// an upper-case `T` and `Z` (`1985-04-12T23:20:50.52Z`; spec:
    /// `@timestampFormat`, "date-time ... with no UTC offset").
    pub fn parse_strict(text: &str, format: TimestampFormat) -> Result<DateTime, DateTimeError> {
        if format == TimestampFormat::DateTime
            && !(text.len() > 11 && text.as_bytes()[10] == b'T' && text.ends_with('Z'))
        {
            return Err(error(format!(
                "`{text}` is not an RFC 3339 date-time in UTC (`YYYY-MM-DDThh:mm:ssZ`)"
            )));
        }
        DateTime::parse(text, format)
    }

    /// Parses a timestamp in a wire format. `date-time` accepts any UTC
    /// offset; `epoch-seconds` accepts integers and fractions.
    pub fn parse(text: &str, format: TimestampFormat) -> Result<DateTime, DateTimeError> {
        match format {
            TimestampFormat::EpochSeconds => {
                if let Some(exact) = decimal_secs(text) {
                    return Ok(exact);
                }
                match text.parse::<f64>() {
                    Ok(f) if f.is_finite() => Ok(DateTime::from_wire_secs_f64(f)),
                    _ => Err(error(format!("`{text}` is not an epoch-seconds timestamp"))),
                }
            }
            TimestampFormat::DateTime => {
                let dt = OffsetDateTime::parse(text, &Rfc3339)
                    .map_err(|e| error(format!("`{text}` is not an RFC 3339 date-time: {e}")))?;
                let nanos = dt.unix_timestamp_nanos();
                let seconds = nanos.div_euclid(1_000_000_000) as i64;
                Ok(DateTime {
                    seconds,
                    nanos: nanos.rem_euclid(1_000_000_000) as u32,
                })
            }
            TimestampFormat::HttpDate => match PrimitiveDateTime::parse(text, IMF_FIXDATE) {
                // The form is fixed, so writing the date again checks its
                // weekday, which parsing does not.
                Ok(dt) if dt.format(IMF_FIXDATE).is_ok_and(|again| again == text) => {
                    Ok(DateTime::from_secs(dt.assume_utc().unix_timestamp()))
                }
                // The obsolete RFC 850 and asctime forms (a wrong weekday
                // is refused there too).
                _ => httpdate::parse_http_date(text)
                    .map(DateTime::from)
                    .map_err(|e| error(format!("`{text}` is not an HTTP date: {e}"))),
            },
        }
    }
}

/// Epoch seconds written in digits (`-4.5`, `1646464089.123456789`), read
/// exactly; `None` for any other form (exponents, over nine fraction
/// digits, out of range).
fn decimal_secs(text: &str) -> Option<DateTime> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
        || fraction.len() > 9
    {
        return None;
    }
    let seconds = whole.parse::<i64>().ok()?;
    let nanos = format!("{fraction:0<9}").parse::<u32>().ok()?;
    Some(match (negative, nanos) {
        (false, _) => DateTime::from_secs_and_nanos(seconds, nanos),
        (true, 0) => DateTime::from_secs(-seconds),
        // -4.5 s is -5 s + 0.5 s.
        (true, _) => DateTime::from_secs_and_nanos(-seconds - 1, 1_000_000_000 - nanos),
    })
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.format(TimestampFormat::DateTime) {
            Ok(s) => write!(f, "DateTime({s})"),
            Err(_) => write!(f, "DateTime({}s {}ns)", self.seconds, self.nanos),
        }
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.format(TimestampFormat::DateTime) {
            Ok(s) => f.write_str(&s),
            Err(_) => write!(f, "{}", self.as_secs_f64()),
        }
    }
}

impl From<SystemTime> for DateTime {
    fn from(t: SystemTime) -> DateTime {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => DateTime::from_secs_and_nanos(d.as_secs() as i64, d.subsec_nanos()),
            Err(e) => {
                let d = e.duration();
                let (secs, nanos) = (d.as_secs() as i64, d.subsec_nanos());
                if nanos == 0 {
                    DateTime::from_secs(-secs)
                } else {
                    DateTime {
                        seconds: -secs - 1,
                        nanos: 1_000_000_000 - nanos,
                    }
                }
            }
        }
    }
}

impl TryFrom<DateTime> for SystemTime {
    type Error = DateTimeError;

    fn try_from(t: DateTime) -> Result<SystemTime, DateTimeError> {
        let out_of_range = || error("timestamp out of range for SystemTime");
        if t.seconds >= 0 {
            UNIX_EPOCH
                .checked_add(Duration::new(t.seconds as u64, t.nanos))
                .ok_or_else(out_of_range)
        } else {
            UNIX_EPOCH
                .checked_sub(Duration::from_secs(t.seconds.unsigned_abs()))
                .and_then(|s| s.checked_add(Duration::from_nanos(u64::from(t.nanos))))
                .ok_or_else(out_of_range)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_each_wire_format() {
        let t = DateTime::from_secs(1_398_796_238);
        assert_eq!(
            t.fmt(TimestampFormat::DateTime).unwrap(),
            "2014-04-29T18:30:38Z"
        );
        assert_eq!(
            t.fmt(TimestampFormat::HttpDate).unwrap(),
            "Tue, 29 Apr 2014 18:30:38 GMT"
        );
        assert_eq!(t.fmt(TimestampFormat::EpochSeconds).unwrap(), "1398796238");
        let f = DateTime::from_secs_and_nanos(1_398_796_238, 123_000_000);
        assert_eq!(
            f.fmt(TimestampFormat::DateTime).unwrap(),
            "2014-04-29T18:30:38.123Z"
        );
        assert_eq!(
            f.fmt(TimestampFormat::EpochSeconds).unwrap(),
            "1398796238.123"
        );
    }

    #[test]
    fn parses_each_wire_format() {
        let expected = DateTime::from_secs(1_398_796_238);
        assert_eq!(
            DateTime::parse("2014-04-29T18:30:38Z", TimestampFormat::DateTime).unwrap(),
            expected
        );
        assert_eq!(
            DateTime::parse("2014-04-29T20:30:38+02:00", TimestampFormat::DateTime).unwrap(),
            expected
        );
        assert_eq!(
            DateTime::parse("Tue, 29 Apr 2014 18:30:38 GMT", TimestampFormat::HttpDate).unwrap(),
            expected
        );
        assert_eq!(
            DateTime::parse("1398796238", TimestampFormat::EpochSeconds).unwrap(),
            expected
        );
        let f = DateTime::parse("1398796238.123", TimestampFormat::EpochSeconds).unwrap();
        assert_eq!((f.secs(), f.subsec_nanos()), (1_398_796_238, 123_000_000));
        assert!(DateTime::parse("yesterday", TimestampFormat::DateTime).is_err());
        assert!(DateTime::parse("1e400", TimestampFormat::EpochSeconds).is_err());
    }

    #[test]
    fn http_dates_cover_years_1_to_9999() {
        // Found by the round-trip property tests: the `httpdate` crate
        // panicked on times before 1970.
        for (secs, text) in [
            (-62_135_596_800, "Mon, 01 Jan 0001 00:00:00 GMT"),
            (-1, "Wed, 31 Dec 1969 23:59:59 GMT"),
            (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
            (253_402_300_799, "Fri, 31 Dec 9999 23:59:59 GMT"),
        ] {
            let t = DateTime::from_secs(secs);
            assert_eq!(t.fmt(TimestampFormat::HttpDate).unwrap(), text);
            assert_eq!(DateTime::parse(text, TimestampFormat::HttpDate).unwrap(), t);
        }
        // Past the formats' range: an error, not a panic.
        assert!(
            DateTime::from_secs(253_402_300_800)
                .fmt(TimestampFormat::HttpDate)
                .is_err()
        );
        // A weekday that is not the date's, and the obsolete forms.
        assert!(
            DateTime::parse("Tue, 01 Jan 1970 00:00:00 GMT", TimestampFormat::HttpDate).is_err()
        );
        for obsolete in ["Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"] {
            assert_eq!(
                DateTime::parse(obsolete, TimestampFormat::HttpDate).unwrap(),
                DateTime::from_secs(784_111_777)
            );
        }
    }

    #[test]
    fn sends_millisecond_precision_and_keeps_the_rest() {
        let t = DateTime::from_secs_and_nanos(1_646_464_089, 123_456_780);
        assert_eq!(
            t.fmt(TimestampFormat::EpochSeconds).unwrap(),
            "1646464089.123"
        );
        assert_eq!(
            t.fmt(TimestampFormat::DateTime).unwrap(),
            "2022-03-05T07:08:09.123Z"
        );
        assert_eq!(
            t.fmt(TimestampFormat::HttpDate).unwrap(),
            "Sat, 05 Mar 2022 07:08:09 GMT"
        );
        assert_eq!(
            t.subsec_nanos(),
            123_456_780,
            "the value itself is untouched"
        );
        assert_eq!(t.to_string(), "2022-03-05T07:08:09.12345678Z");
        let parsed = DateTime::parse("1646464089.12345678", TimestampFormat::EpochSeconds).unwrap();
        assert_eq!(parsed, t, "received values keep what was sent");
        let before = DateTime::parse("-1.0005", TimestampFormat::EpochSeconds).unwrap();
        assert_eq!(before.fmt(TimestampFormat::EpochSeconds).unwrap(), "-1.001");
        let half = DateTime::parse("-0.5", TimestampFormat::EpochSeconds).unwrap();
        assert_eq!(half.fmt(TimestampFormat::EpochSeconds).unwrap(), "-0.5");
        assert_eq!(
            DateTime::parse(
                &before.fmt(TimestampFormat::EpochSeconds).unwrap(),
                TimestampFormat::EpochSeconds
            )
            .unwrap(),
            before.truncated_to_millis()
        );
    }

    #[test]
    fn handles_times_before_the_epoch() {
        let t = DateTime::parse("-1.5", TimestampFormat::EpochSeconds).unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (-2, 500_000_000));
        assert_eq!(
            t.fmt(TimestampFormat::DateTime).unwrap(),
            "1969-12-31T23:59:58.5Z"
        );
    }

    #[test]
    fn epoch_seconds_keep_their_milliseconds_exactly() {
        // Found by the round-trip property tests: times before 1970 were
        // read through a float and came back microseconds off.
        for secs in [-62_135_596_800, -13_705_380_252, -1, 0, 253_402_300_799] {
            for millis in [0, 1, 213, 999] {
                let t = DateTime::from_secs_and_nanos(secs, millis * 1_000_000);
                let text = t.fmt(TimestampFormat::EpochSeconds).unwrap();
                assert_eq!(
                    DateTime::parse(&text, TimestampFormat::EpochSeconds).unwrap(),
                    t,
                    "{text}"
                );
                // As the float a wire carries (CBOR's tag 1, JSON in
                // exponent form), and back.
                let float = t.to_wire_secs_f64();
                assert_eq!(DateTime::from_wire_secs_f64(float), t, "{float}");
            }
        }
        // Digits beyond milliseconds that a float carries are kept.
        let t = DateTime::from_wire_secs_f64(1_646_464_089.123_456);
        assert_eq!((t.secs(), t.subsec_nanos()), (1_646_464_089, 123_456_000));
        let t = DateTime::from_wire_secs_f64(-0.000_000_000_1);
        assert_eq!((t.secs(), t.subsec_nanos()), (0, 0));
    }
}
