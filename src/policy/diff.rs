//! Baseline versions: what a pack version contains and what changed between two.
//!
//! A rule belongs to every version of its pack from its `since` on: version V of a pack
//! holds the rules whose `since` ≤ V, and going from A to B adds the rules whose
//! `since` lies in (A, B]. Rule ids are never removed or reused (a retired id stays
//! retired), so "added" is the whole of a change today.

use std::fmt;

use super::{Pack, Rule};
use crate::error::Error;

/// A pack version as a baseline is named: `1`, `1.0` or `1.0.0` (missing parts are 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u64, pub u64, pub u64);

impl Version {
    pub fn parse(text: &str) -> Option<Self> {
        let parts: Vec<&str> = text.trim().trim_start_matches('v').split('.').collect();
        if parts.is_empty() || parts.len() > 3 {
            return None;
        }
        let mut numbers = [0u64; 3];
        for (slot, part) in numbers.iter_mut().zip(&parts) {
            if part.is_empty() || !part.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            *slot = part.parse().ok()?;
        }
        Some(Version(numbers[0], numbers[1], numbers[2]))
    }

    /// Like [`Version::parse`], as a usage error naming the flag or argument.
    pub fn parse_arg(text: &str, what: &str) -> Result<Self, Error> {
        Self::parse(text).ok_or_else(|| {
            Error::Usage(format!(
                "{what} {text:?} is not a version (write MAJOR[.MINOR[.PATCH]], e.g. 1.0)"
            ))
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// Whether `rule` is part of `version` of its pack (its `since` is not newer).
pub fn in_version(rule: &Rule, version: Version) -> bool {
    Version::parse(&rule.since).is_some_and(|since| since <= version)
}

/// What one pack gained from `old` to `new`.
#[derive(Debug, Clone)]
pub struct PackChanges<'a> {
    pub pack: &'a Pack,
    /// Rules whose `since` is in (old, new], by id.
    pub added: Vec<&'a Rule>,
}

/// The changes of every pack from `old` to `new` (`old` ≤ `new`), in pack order.
pub fn changes(packs: &[Pack], old: Version, new: Version) -> Vec<PackChanges<'_>> {
    packs
        .iter()
        .map(|pack| {
            let mut added: Vec<&Rule> = pack
                .rules
                .iter()
                .filter(|r| in_version(r, new) && !in_version(r, old))
                .collect();
            added.sort_by(|a, b| a.id.cmp(&b.id));
            PackChanges { pack, added }
        })
        .collect()
}

/// `envgate policies diff OLD NEW`: per pack, the rules added, or "no changes".
pub fn render_changes(changes: &[PackChanges<'_>], old: Version, new: Version) -> String {
    let mut out = String::new();
    for change in changes {
        let latest = Version::parse(&change.pack.version);
        // Versions the pack has not reached yet are named, so an empty diff is not
        // mistaken for "nothing will change".
        let note = match latest {
            Some(latest) if latest < new => format!(" (latest is {latest})"),
            _ => String::new(),
        };
        if change.added.is_empty() {
            out.push_str(&format!(
                "{} {old} -> {new}{note}: no changes\n",
                change.pack.name
            ));
            continue;
        }
        out.push_str(&format!(
            "{} {old} -> {new}{note}: {} added\n",
            change.pack.name,
            change.added.len()
        ));
        for rule in &change.added {
            out.push_str(&format!("  + {}\n", rule_line(rule)));
        }
    }
    out
}

/// A rule as the listings show it: id, severity, category, title, and since.
pub fn rule_line(rule: &Rule) -> String {
    format!(
        "{:<7} {:<8} {:<20} {} (since {})",
        rule.id,
        rule.severity.as_str(),
        rule.category,
        rule.title,
        rule.since
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_versions_are_padded_with_zeros() {
        assert_eq!(Version::parse("1.0"), Some(Version(1, 0, 0)));
        assert_eq!(Version::parse("1"), Some(Version(1, 0, 0)));
        assert_eq!(Version::parse("0.10.2"), Some(Version(0, 10, 2)));
        assert_eq!(Version::parse("1.0.0.0"), None);
        assert_eq!(Version::parse("1.x"), None);
        assert_eq!(Version::parse(""), None);
        assert!(Version(0, 10, 0) > Version(0, 9, 9));
    }
}
