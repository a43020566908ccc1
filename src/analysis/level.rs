//! How slim a final image is: the levels of PRODUCT.md's table, from a full distro down to
//! an image that holds only the application and what it needs at run time.
//!
//! This module owns the names (`full-distro`, `shell`, …), their order and their parsing. It
//! does not decide which level an image has: the catalogue and the stage analysis do that.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The level of an image, ordered by slimness for the five known levels.
///
/// `Unknown` is not a point on that scale: an image dfslim cannot classify is neither slimmer
/// nor fatter than any other, so comparisons that involve it answer `None` (see
/// [`Level::at_least`]). That is why `Level` does not implement `PartialOrd`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// A distro: shell, package manager, coreutils (`debian`, `golang`, `node`, `nginx`).
    FullDistro,
    /// A shell but no package manager (`busybox`, distroless `:debug`).
    Shell,
    /// No shell, but programs the application does not need.
    Shellless,
    /// No executable or script but the application's own.
    Binaryless,
    /// Only the application, its runtime and the data it needs (`scratch`, distroless).
    Distroless,
    /// Not classified: an image the catalogue does not know, or a reference that is not static.
    Unknown,
}

impl Level {
    /// Every level, slimness order first, `Unknown` last.
    pub const ALL: [Level; 6] = [
        Level::FullDistro,
        Level::Shell,
        Level::Shellless,
        Level::Binaryless,
        Level::Distroless,
        Level::Unknown,
    ];

    /// The kebab-case name used in YAML, JSON and on the command line.
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::FullDistro => "full-distro",
            Level::Shell => "shell",
            Level::Shellless => "shellless",
            Level::Binaryless => "binaryless",
            Level::Distroless => "distroless",
            Level::Unknown => "unknown",
        }
    }

    /// Position on the slimness scale (0 = full distro), `None` for `Unknown`.
    pub const fn slimness(self) -> Option<u8> {
        match self {
            Level::FullDistro => Some(0),
            Level::Shell => Some(1),
            Level::Shellless => Some(2),
            Level::Binaryless => Some(3),
            Level::Distroless => Some(4),
            Level::Unknown => None,
        }
    }

    /// Whether `self` is at least as slim as `required`; `None` when either is `Unknown`,
    /// because an unclassified image can neither pass nor fail a requirement on its own.
    pub fn at_least(self, required: Level) -> Option<bool> {
        Some(self.slimness()? >= required.slimness()?)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A level name that is not one of [`Level::ALL`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown level `{0}`: expected one of full-distro, shell, shellless, binaryless, distroless, unknown"
)]
pub struct UnknownLevel(pub String);

impl FromStr for Level {
    type Err = UnknownLevel;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Level::ALL
            .into_iter()
            .find(|level| level.as_str() == name)
            .ok_or_else(|| UnknownLevel(name.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_from_str_display_and_serde() {
        for level in Level::ALL {
            assert_eq!(level.to_string().parse::<Level>(), Ok(level));
            let json = serde_json::to_string(&level).unwrap();
            assert_eq!(json, format!("\"{}\"", level.as_str()));
            assert_eq!(serde_json::from_str::<Level>(&json).unwrap(), level);
        }
    }

    #[test]
    fn unknown_names_are_rejected_with_the_valid_ones_listed() {
        let err = "distro-less".parse::<Level>().unwrap_err();
        assert_eq!(err, UnknownLevel("distro-less".into()));
        assert!(err.to_string().contains("full-distro"));
        assert!("FullDistro".parse::<Level>().is_err());
    }

    #[test]
    fn slimness_orders_the_five_known_levels() {
        use Level::*;
        let known = [FullDistro, Shell, Shellless, Binaryless, Distroless];
        for (i, a) in known.iter().enumerate() {
            for (j, b) in known.iter().enumerate() {
                assert_eq!(a.at_least(*b), Some(i >= j), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn unknown_compares_to_nothing() {
        for level in Level::ALL {
            assert_eq!(Level::Unknown.at_least(level), None);
            assert_eq!(level.at_least(Level::Unknown), None);
        }
    }
}
