//! Source maps: JSON Pointers (RFC 6901) of the values of a parsed document → where
//! they are in the file, and the way back from a rule's `location.path` to a line.

use std::collections::BTreeMap;

/// `[line, column]`, both 1-based, the column counted in characters.
pub type Position = [usize; 2];

/// Pointer → position for one document.
pub type Positions = BTreeMap<String, Position>;

/// Where a pointer is, from a full source map or its compact index.
pub trait Lookup {
    fn position(&self, pointer: &str) -> Option<Position>;
}

impl Lookup for Positions {
    fn position(&self, pointer: &str) -> Option<Position> {
        self.get(pointer).copied()
    }
}

/// A document's source map cut down to what placing findings needs: each pointer's
/// 64-bit hash with its position, sorted, 16 bytes an entry where the map with its
/// pointer strings takes ~110. 10,000 manifests keep ~35 MB less for the whole run.
/// A pointer that is not in the document could only be taken for one that is by a
/// hash collision among that document's few hundred pointers (odds ~10^-16).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PositionIndex(Vec<(u64, u32, u32)>);

impl PositionIndex {
    pub fn new(positions: &Positions) -> Self {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let mut entries: Vec<(u64, u32, u32)> = positions
            .iter()
            .map(|(pointer, [line, column])| (hash(pointer), clamp(*line), clamp(*column)))
            .collect();
        entries.sort_unstable();
        Self(entries)
    }
}

impl Lookup for PositionIndex {
    fn position(&self, pointer: &str) -> Option<Position> {
        let key = hash(pointer);
        let i = self.0.binary_search_by_key(&key, |e| e.0).ok()?;
        let (_, line, column) = self.0[i];
        Some([line as usize, column as usize])
    }
}

/// Deterministic (SipHash with fixed keys), so a run's placements never vary.
fn hash(pointer: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    pointer.hash(&mut hasher);
    hasher.finish()
}

/// Deepest nesting any parser accepts: deeper input is a syntax error at the place the
/// limit was crossed, so hostile files (100k nested `[`) cost neither stack nor memory.
pub const MAX_DEPTH: usize = 256;

/// Byte offset → line and column, for parsers that report byte ranges.
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { text, starts }
    }

    /// 1-based line and character column of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&start| start <= offset);
        let start = self.starts[line.saturating_sub(1)];
        let column = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            // An offset inside a multi-byte character: count its bytes instead.
            .unwrap_or(offset - start);
        [line.max(1), column + 1]
    }
}

/// One reference token of a pointer: `~` → `~0`, `/` → `~1`.
pub fn escape(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

/// The pointer of member `key` of the object at `parent`.
pub fn member(parent: &str, key: &str) -> String {
    let token = escape(key);
    let mut pointer = String::with_capacity(parent.len() + 1 + token.len());
    pointer.push_str(parent);
    pointer.push('/');
    pointer.push_str(&token);
    pointer
}

/// The pointer of element `index` of the array at `parent`.
pub fn element(parent: &str, index: usize) -> String {
    format!("{parent}/{index}")
}

/// A step of a rule's `location.path`: an object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

impl Step {
    fn borrowed(&self) -> StepRef<'_> {
        match self {
            Step::Key(key) => StepRef::Key(key),
            Step::Index(index) => StepRef::Index(*index),
        }
    }
}

/// A [`Step`] that borrows its key (a finding's path is resolved without copying it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepRef<'a> {
    Key(&'a str),
    Index(usize),
}

/// Where `path` is in the document: its own position, else the nearest parent's, else
/// the document start. Also says how many steps were matched, so the caller can tell
/// an exact hit from a fallback.
pub fn resolve(positions: &impl Lookup, path: &[Step]) -> Option<(Position, usize)> {
    resolve_steps(positions, path.iter().map(Step::borrowed))
}

/// [`resolve`] for borrowed steps. The pointer is built once; each parent's is a prefix
/// of it (a finding is placed for every one of a large check's 150,000).
pub fn resolve_steps<'s>(
    positions: &impl Lookup,
    path: impl Iterator<Item = StepRef<'s>>,
) -> Option<(Position, usize)> {
    use std::fmt::Write as _;
    let mut pointer = String::new();
    let mut ends = vec![0];
    for step in path {
        pointer.push('/');
        match step {
            StepRef::Key(key) => pointer.push_str(&escape(key)),
            StepRef::Index(index) => {
                let _ = write!(pointer, "{index}");
            }
        }
        ends.push(pointer.len());
    }
    ends.iter()
        .enumerate()
        .rev()
        .find_map(|(depth, &end)| positions.position(&pointer[..end]).map(|pos| (pos, depth)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_character_columns() {
        let text = "ab\nçd: 1\n\nx";
        let index = LineIndex::new(text);
        assert_eq!(index.position(0), [1, 1]);
        assert_eq!(index.position(1), [1, 2]);
        assert_eq!(index.position(3), [2, 1]);
        // "ç" is two bytes: the `d` at byte 5 is the second character.
        assert_eq!(index.position(5), [2, 2]);
        assert_eq!(index.position(10), [3, 1]);
        assert_eq!(index.position(11), [4, 1]);
        assert_eq!(index.position(999), [4, 2]);
    }

    /// A path resolves to its own pointer, escaped, else to its deepest parent's, and
    /// says how deep it got.
    #[test]
    fn a_path_resolves_to_itself_or_its_nearest_parent() {
        let positions: Positions = [("", [1, 1]), ("/a~1b", [2, 3]), ("/a~1b/10", [4, 5])]
            .into_iter()
            .map(|(p, at)| (p.to_string(), at))
            .collect();
        let path = [Step::Key("a/b".into()), Step::Index(10)];
        assert_eq!(resolve(&positions, &path), Some(([4, 5], 2)));
        let deeper = [
            Step::Key("a/b".into()),
            Step::Index(10),
            Step::Key("x~y".into()),
        ];
        assert_eq!(resolve(&positions, &deeper), Some(([4, 5], 2)));
        let other = [Step::Key("a/b".into()), Step::Index(1)];
        assert_eq!(resolve(&positions, &other), Some(([2, 3], 1)));
        assert_eq!(resolve(&positions, &[]), Some(([1, 1], 0)));
        let borrowed = [StepRef::Key("a/b"), StepRef::Index(10)];
        assert_eq!(
            resolve_steps(&positions, borrowed.into_iter()),
            Some(([4, 5], 2))
        );
    }

    #[test]
    fn pointers_escape_tilde_and_slash() {
        assert_eq!(member("", "a/b~c"), "/a~1b~0c");
        assert_eq!(element("/x", 3), "/x/3");
    }

    #[test]
    fn resolution_falls_back_to_the_nearest_parent() {
        let mut positions = Positions::new();
        positions.insert(String::new(), [1, 1]);
        positions.insert("/spec".into(), [4, 1]);
        positions.insert("/spec/containers/0".into(), [6, 5]);
        let path = |steps: &[Step]| resolve(&positions, steps);
        let spec = Step::Key("spec".into());
        let containers = Step::Key("containers".into());
        assert_eq!(
            path(&[spec.clone(), containers.clone(), Step::Index(0)]),
            Some(([6, 5], 3))
        );
        assert_eq!(
            path(&[spec.clone(), containers, Step::Index(1)]),
            Some(([4, 1], 1))
        );
        assert_eq!(path(&[Step::Key("nope".into())]), Some(([1, 1], 0)));
        // The compact index places every path alike.
        let index = PositionIndex::new(&positions);
        for steps in [
            vec![spec.clone(), Step::Key("containers".into()), Step::Index(0)],
            vec![spec.clone(), Step::Key("containers".into()), Step::Index(7)],
            vec![spec, Step::Key("x/y~z".into())],
            vec![Step::Key("nope".into())],
        ] {
            assert_eq!(
                resolve(&index, &steps),
                resolve(&positions, &steps),
                "{steps:?}"
            );
        }
        assert_eq!(resolve(&PositionIndex::default(), &[]), None);
    }
}
