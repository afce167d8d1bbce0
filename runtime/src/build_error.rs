//! [`BuildError`]: why a builder could not build its value.

use std::fmt;

/// A builder's `build()` failed: required members were not set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    shape: &'static str,
    missing: Vec<&'static str>,
}

impl BuildError {
    /// Required members of `shape` that were not set.
    pub fn missing_members(shape: &'static str, missing: Vec<&'static str>) -> BuildError {
        BuildError { shape, missing }
    }

    /// Checks a structure's required members: `set` pairs each one's
    /// name with whether it was set. `Ok` when every one was; otherwise the
    /// error names each missing one, in the order given.
    ///
    /// ```
    /// use tinsmith_runtime::BuildError;
    ///
    /// assert!(BuildError::check("Forecast", &[("cityId", true)]).is_ok());
    /// let e = BuildError::check("Forecast", &[("cityId", false), ("day", true)]).unwrap_err();
    /// assert_eq!(e.missing(), ["cityId"]);
    /// ```
    pub fn check(shape: &'static str, set: &[(&'static str, bool)]) -> Result<(), BuildError> {
        if set.iter().all(|&(_, set)| set) {
            return Ok(());
        }
        let missing = set
            .iter()
            .filter(|&&(_, set)| !set)
            .map(|&(name, _)| name)
            .collect();
        Err(BuildError { shape, missing })
    }

    /// The name of the shape being built.
    pub fn shape(&self) -> &str {
        self.shape
    }

    /// Every required member that was missing, in declaration order.
    pub fn missing(&self) -> &[&'static str] {
        &self.missing
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = if self.missing.len() == 1 { "" } else { "s" };
        write!(
            f,
            "cannot build `{}`: missing required member{plural} `{}`",
            self.shape,
            self.missing.join("`, `")
        )
    }
}

impl std::error::Error for BuildError {}

/// The value of an enum variant the client does not know (a value added to
/// the service after the client was generated). Opaque, so that it can never
/// be built for a value the client does know.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownVariant<T>(T);

impl<T> UnknownVariant<T> {
    /// Used by generated code only; prefer the enum's `From` impls.
    #[doc(hidden)]
    pub fn new(value: T) -> Self {
        UnknownVariant(value)
    }

    /// The value as received.
    pub fn value(&self) -> &T {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_missing_member() {
        let e = BuildError::missing_members("Forecast", vec!["cityId", "day"]);
        assert_eq!(
            e.to_string(),
            "cannot build `Forecast`: missing required members `cityId`, `day`"
        );
    }

    #[test]
    fn check_names_the_unset_members_in_order() {
        assert_eq!(BuildError::check("Forecast", &[]), Ok(()));
        assert_eq!(
            BuildError::check(
                "Forecast",
                &[("day", false), ("cityId", true), ("at", false)]
            ),
            Err(BuildError::missing_members("Forecast", vec!["day", "at"]))
        );
    }
}
