//! Values as the evaluator knows them, and PATH as a list of entries with origins.

use std::rc::Rc;

use crate::snapshot::Origin;

/// PATH entries a session keeps: beyond, one unknown entry stands for the rest. A real
/// PATH has tens; `PATH="$PATH:$PATH"` sixteen times over has millions (3.7 GB).
pub const MAX_PATH_ENTRIES: usize = 4096;

/// The longest value a variable is given; a longer one is unknown (not evaluated), as
/// `X="$X$X"` repeated would otherwise double without bound.
pub const MAX_VALUE_BYTES: usize = 64 * 1024;

/// The text of the entry that stands for the entries beyond [`MAX_PATH_ENTRIES`].
pub const PATH_CUT: &str = "[PATH has more than 4096 entries: the rest is not evaluated]";

/// What is noted where PATH was cut.
pub fn path_cut_note() -> String {
    format!("PATH grew past {MAX_PATH_ENTRIES} entries: the rest is not evaluated")
}

/// How a PATH entry got there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegSource {
    /// The built-in default PATH of a login.
    Default,
    /// `/etc/environment`, read by pam_env.
    PamEnv,
    /// systemd's environment.d.
    EnvironmentD,
    /// An assignment in a shell startup file.
    Shell,
    /// A version manager's activation line (its effect is modelled, not run).
    Activation,
    /// WSL's init, which starts every session of a WSL distribution.
    Wsl,
}

impl SegSource {
    pub fn as_str(self) -> &'static str {
        match self {
            SegSource::Default => "default",
            SegSource::PamEnv => "pam_env",
            SegSource::EnvironmentD => "environment.d",
            SegSource::Shell => "shell",
            SegSource::Activation => "activation",
            SegSource::Wsl => "wsl",
        }
    }
}

/// One PATH entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathSeg {
    /// `None` when it depends on something envgate does not evaluate.
    pub dir: Option<String>,
    /// The entry as far as it could be expanded (`$(go env GOPATH)/bin`).
    pub raw: String,
    pub origin: Option<Origin>,
    pub source: SegSource,
    /// Added under a condition that could not be evaluated (assumed to hold).
    pub assumed: bool,
}

impl PathSeg {
    pub fn known(dir: &str, origin: Option<Origin>, source: SegSource) -> Self {
        PathSeg {
            dir: Some(dir.to_string()),
            raw: dir.to_string(),
            origin,
            source,
            assumed: false,
        }
    }
}

/// A piece of an expanded word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    /// Something not evaluated, as written (`$(brew --prefix)`).
    Unknown(String),
    /// `$PATH` (or zsh's `$path`): the entries themselves, so they keep their origins.
    /// Shared with the session's PATH: referring to it copies nothing.
    Path(Rc<Vec<PathSeg>>),
}

/// The text of pieces; `None` when any is unknown or the text is longer than
/// [`MAX_VALUE_BYTES`].
pub fn pieces_text(pieces: &[Piece]) -> Option<String> {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Unknown(_) => return None,
            Piece::Path(segs) => out.push_str(&join_known(segs)?),
        }
        if out.len() > MAX_VALUE_BYTES {
            return None;
        }
    }
    Some(out)
}

/// Whether the pieces' text is longer than [`MAX_VALUE_BYTES`].
pub fn too_long(pieces: &[Piece]) -> bool {
    let mut length = 0;
    for piece in pieces {
        length += match piece {
            Piece::Text(t) | Piece::Unknown(t) => t.len(),
            Piece::Path(segs) => segs.iter().map(|s| s.raw.len() + 1).sum(),
        };
        if length > MAX_VALUE_BYTES {
            return true;
        }
    }
    false
}

/// The pieces as written, unknown parts included, cut short for a note.
pub fn pieces_raw(pieces: &[Piece]) -> String {
    const SHOWN: usize = 200;
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(t) | Piece::Unknown(t) => out.push_str(t),
            Piece::Path(segs) => {
                for (i, seg) in segs.iter().enumerate() {
                    if i > 0 {
                        out.push(':');
                    }
                    out.push_str(&seg.raw);
                    if out.len() > SHOWN {
                        break;
                    }
                }
            }
        }
        if out.len() > SHOWN {
            let end = (0..=SHOWN)
                .rev()
                .find(|&i| out.is_char_boundary(i))
                .unwrap_or(0);
            out.truncate(end);
            out.push('…');
            break;
        }
    }
    out
}

pub fn join_known(segs: &[PathSeg]) -> Option<String> {
    let dirs: Option<Vec<&str>> = segs.iter().map(|s| s.dir.as_deref()).collect();
    Some(dirs?.join(":"))
}

enum Flat {
    Chunk { text: String, known: bool },
    Seg(PathSeg),
}

/// The PATH an assignment produces: split on `:`, with the entries of `$PATH` kept as
/// they were (their origins too) and every new entry tagged with this line. At most
/// [`MAX_PATH_ENTRIES`] entries, then one unknown entry ([`PATH_CUT`]).
///
/// Linear in the entries added: the pieces are consumed, and `$PATH`'s entries are
/// moved, not copied (`PATH="$PATH:/x"` takes over the old list and pushes one entry).
pub fn pieces_to_segs(
    pieces: Vec<Piece>,
    origin: &Origin,
    source: SegSource,
    assumed: bool,
) -> Vec<PathSeg> {
    let mut out: Vec<PathSeg> = Vec::new();
    // The entry being put together, from pieces between two `:`.
    let mut field: Vec<Flat> = Vec::new();
    let mut any = false;
    let flush = |field: &mut Vec<Flat>, out: &mut Vec<PathSeg>| {
        // Empty text chunks carry nothing: `$PATH` followed by `:` leaves one behind.
        field.retain(|f| !matches!(f, Flat::Chunk { text, .. } if text.is_empty()));
        let taken = std::mem::take(field);
        if let [Flat::Seg(_)] = taken.as_slice() {
            if let Some(Flat::Seg(seg)) = taken.into_iter().next() {
                out.push(seg);
            }
            return;
        }
        let mut raw = String::new();
        let mut known = true;
        for f in &taken {
            match f {
                Flat::Chunk { text, known: k } => {
                    raw.push_str(text);
                    known &= *k;
                }
                Flat::Seg(seg) => {
                    raw.push_str(&seg.raw);
                    known &= seg.dir.is_some();
                }
            }
        }
        out.push(PathSeg {
            dir: known.then(|| raw.clone()),
            raw,
            origin: Some(origin.clone()),
            source,
            assumed,
        });
    };
    for piece in pieces {
        if out.len() > MAX_PATH_ENTRIES {
            break;
        }
        match piece {
            Piece::Text(text) => {
                any = true;
                for (i, chunk) in text.split(':').enumerate() {
                    if i > 0 {
                        flush(&mut field, &mut out);
                    }
                    field.push(Flat::Chunk {
                        text: chunk.to_string(),
                        known: true,
                    });
                }
            }
            Piece::Unknown(raw) => {
                any = true;
                field.push(Flat::Chunk {
                    text: raw,
                    known: false,
                });
            }
            Piece::Path(segs) => {
                // The only holder (the session dropped its own): moved, else copied.
                let mut segs = Rc::try_unwrap(segs).unwrap_or_else(|shared| (*shared).clone());
                let Some(last) = segs.pop() else { continue };
                any = true;
                if !segs.is_empty() {
                    field.retain(|f| !matches!(f, Flat::Chunk { text, .. } if text.is_empty()));
                    if field.is_empty() && out.is_empty() {
                        // The first entry stands alone: the list is taken over whole.
                        out = segs;
                    } else {
                        let mut rest = segs.into_iter();
                        field.extend(rest.next().map(Flat::Seg));
                        flush(&mut field, &mut out);
                        out.extend(rest);
                    }
                }
                // The last entry may still be joined by text (`$PATH/x`).
                field.push(Flat::Seg(last));
            }
        }
    }
    if any && out.len() <= MAX_PATH_ENTRIES {
        flush(&mut field, &mut out);
    }
    cap_path(&mut out, origin);
    out
}

/// Keeps the first [`MAX_PATH_ENTRIES`] entries and one unknown entry for the rest;
/// whether it cut anything.
pub fn cap_path(path: &mut Vec<PathSeg>, origin: &Origin) -> bool {
    if path.len() <= MAX_PATH_ENTRIES {
        return false;
    }
    if path.last().is_some_and(|s| s.raw == PATH_CUT) && path.len() == MAX_PATH_ENTRIES + 1 {
        return false;
    }
    path.truncate(MAX_PATH_ENTRIES);
    path.push(PathSeg {
        dir: None,
        raw: PATH_CUT.to_string(),
        origin: Some(origin.clone()),
        source: SegSource::Shell,
        assumed: false,
    });
    true
}

/// Matches `text` against a shell pattern (`*`, `?`, `[…]`); `literal[i]` marks pattern
/// characters that came from quotes and match only themselves.
pub fn glob_match(pattern: &[(char, bool)], text: &str) -> bool {
    let text: Vec<char> = text.chars().collect();
    glob_from(pattern, &text)
}

fn glob_from(pattern: &[(char, bool)], text: &[char]) -> bool {
    let Some(&(c, literal)) = pattern.first() else {
        return text.is_empty();
    };
    if !literal && c == '*' {
        return (0..=text.len()).any(|skip| glob_from(&pattern[1..], &text[skip..]));
    }
    let Some(&t) = text.first() else {
        return false;
    };
    if !literal && c == '?' {
        return glob_from(&pattern[1..], &text[1..]);
    }
    if !literal
        && c == '['
        && let Some(close) = pattern.iter().skip(2).position(|(p, _)| *p == ']')
    {
        let class = &pattern[1..close + 2];
        let (negated, class) = match class.first() {
            Some(('!' | '^', _)) => (true, &class[1..]),
            _ => (false, class),
        };
        let mut hit = false;
        let mut i = 0;
        while i < class.len() {
            if i + 2 < class.len() && class[i + 1].0 == '-' {
                hit |= class[i].0 <= t && t <= class[i + 2].0;
                i += 3;
            } else {
                hit |= class[i].0 == t;
                i += 1;
            }
        }
        return hit != negated && glob_from(&pattern[close + 3..], &text[1..]);
    }
    c == t && glob_from(&pattern[1..], &text[1..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> Origin {
        Origin {
            file: "/home/dev/.profile".into(),
            line: 3,
        }
    }

    fn default_path() -> Vec<PathSeg> {
        ["/usr/bin", "/bin"]
            .iter()
            .map(|d| PathSeg::known(d, None, SegSource::Default))
            .collect()
    }

    #[test]
    fn prepending_keeps_old_entries_and_their_origins() {
        let pieces = vec![
            Piece::Text("/home/dev/go/bin:".into()),
            Piece::Path(Rc::new(default_path())),
        ];
        let segs = pieces_to_segs(pieces, &origin(), SegSource::Shell, false);
        let dirs: Vec<_> = segs.iter().map(|s| s.dir.clone().unwrap()).collect();
        assert_eq!(dirs, ["/home/dev/go/bin", "/usr/bin", "/bin"]);
        assert_eq!(segs[0].origin, Some(origin()));
        assert_eq!(segs[1].origin, None);
    }

    #[test]
    fn appending_and_unknown_entries() {
        let pieces = vec![
            Piece::Path(Rc::new(default_path())),
            Piece::Text(":".into()),
            Piece::Unknown("$(go env GOROOT)".into()),
            Piece::Text("/bin".into()),
        ];
        let segs = pieces_to_segs(pieces, &origin(), SegSource::Shell, false);
        assert_eq!(segs.len(), 3);
        assert_eq!(segs[2].dir, None);
        assert_eq!(segs[2].raw, "$(go env GOROOT)/bin");
    }

    #[test]
    fn appending_takes_the_old_list_over_instead_of_copying_it() {
        let mut old = Vec::with_capacity(3);
        old.extend(default_path());
        let before = old.as_ptr();
        let pieces = vec![Piece::Path(Rc::new(old)), Piece::Text(":/x".into())];
        let segs = pieces_to_segs(pieces, &origin(), SegSource::Shell, false);
        // The same allocation: `PATH="$PATH:/x"` is one push, not a copy of PATH
        // (8,000 such lines were quadratic).
        assert_eq!(segs.as_ptr(), before);
        let dirs: Vec<_> = segs.iter().map(|s| s.dir.clone().unwrap()).collect();
        assert_eq!(dirs, ["/usr/bin", "/bin", "/x"]);
    }

    #[test]
    fn joined_and_cut_paths() {
        // `$PATH/x` joins the last entry; `a$PATH` the first.
        let pieces = vec![
            Piece::Text("a".into()),
            Piece::Path(Rc::new(default_path())),
            Piece::Text("/x".into()),
        ];
        let segs = pieces_to_segs(pieces, &origin(), SegSource::Shell, false);
        let raws: Vec<_> = segs.iter().map(|s| s.raw.as_str()).collect();
        assert_eq!(raws, ["a/usr/bin", "/bin/x"]);
        let long = Rc::new(vec![PathSeg::known("/d", None, SegSource::Shell); 3000]);
        let pieces = vec![
            Piece::Path(Rc::clone(&long)),
            Piece::Text(":".into()),
            Piece::Path(long),
        ];
        let segs = pieces_to_segs(pieces, &origin(), SegSource::Shell, false);
        assert_eq!(segs.len(), MAX_PATH_ENTRIES + 1);
        assert_eq!(segs[MAX_PATH_ENTRIES].raw, PATH_CUT);
    }

    #[test]
    fn patterns() {
        let pat = |s: &str| s.chars().map(|c| (c, false)).collect::<Vec<_>>();
        assert!(glob_match(&pat("*i*"), "himBH"));
        assert!(!glob_match(&pat("*i*"), "hB"));
        assert!(glob_match(&pat("*:/usr/bin:*"), ":/bin:/usr/bin:/x:"));
        assert!(glob_match(&pat("[a-c]x"), "bx"));
        assert!(!glob_match(&[('*', true)], "abc"));
    }
}
