//! Values as the evaluator knows them, and PATH as a list of entries with origins.

use crate::snapshot::Origin;

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
    Path(Vec<PathSeg>),
}

/// The text of pieces; `None` when any is unknown.
pub fn pieces_text(pieces: &[Piece]) -> Option<String> {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Unknown(_) => return None,
            Piece::Path(segs) => out.push_str(&join_known(segs)?),
        }
    }
    Some(out)
}

/// The pieces as written, unknown parts included.
pub fn pieces_raw(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) | Piece::Unknown(t) => t.clone(),
            Piece::Path(segs) => segs
                .iter()
                .map(|s| s.raw.as_str())
                .collect::<Vec<_>>()
                .join(":"),
        })
        .collect()
}

pub fn join_known(segs: &[PathSeg]) -> Option<String> {
    let dirs: Option<Vec<&str>> = segs.iter().map(|s| s.dir.as_deref()).collect();
    Some(dirs?.join(":"))
}

enum Flat {
    Chunk { text: String, known: bool },
    Seg(PathSeg),
    Sep,
}

/// The PATH an assignment produces: split on `:`, with the entries of `$PATH` kept as
/// they were (their origins too) and every new entry tagged with this line.
pub fn pieces_to_segs(
    pieces: &[Piece],
    origin: &Origin,
    source: SegSource,
    assumed: bool,
) -> Vec<PathSeg> {
    let mut flat = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => {
                for (i, chunk) in text.split(':').enumerate() {
                    if i > 0 {
                        flat.push(Flat::Sep);
                    }
                    flat.push(Flat::Chunk {
                        text: chunk.to_string(),
                        known: true,
                    });
                }
            }
            Piece::Unknown(raw) => flat.push(Flat::Chunk {
                text: raw.clone(),
                known: false,
            }),
            Piece::Path(segs) => {
                for (i, seg) in segs.iter().enumerate() {
                    if i > 0 {
                        flat.push(Flat::Sep);
                    }
                    flat.push(Flat::Seg(seg.clone()));
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut field: Vec<Flat> = Vec::new();
    let flush = |field: &mut Vec<Flat>, out: &mut Vec<PathSeg>| {
        // Empty text chunks carry nothing: `$PATH` followed by `:` leaves one behind.
        field.retain(|f| !matches!(f, Flat::Chunk { text, .. } if text.is_empty()));
        let taken = std::mem::take(field);
        match taken.as_slice() {
            [Flat::Seg(seg)] => out.push(seg.clone()),
            _ => {
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
                        Flat::Sep => {}
                    }
                }
                out.push(PathSeg {
                    dir: known.then(|| raw.clone()),
                    raw,
                    origin: Some(origin.clone()),
                    source,
                    assumed,
                });
            }
        }
    };
    let had_any = !flat.is_empty();
    for f in flat {
        if matches!(f, Flat::Sep) {
            flush(&mut field, &mut out);
        } else {
            field.push(f);
        }
    }
    if had_any {
        flush(&mut field, &mut out);
    }
    out
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
            Piece::Path(default_path()),
        ];
        let segs = pieces_to_segs(&pieces, &origin(), SegSource::Shell, false);
        let dirs: Vec<_> = segs.iter().map(|s| s.dir.clone().unwrap()).collect();
        assert_eq!(dirs, ["/home/dev/go/bin", "/usr/bin", "/bin"]);
        assert_eq!(segs[0].origin, Some(origin()));
        assert_eq!(segs[1].origin, None);
    }

    #[test]
    fn appending_and_unknown_entries() {
        let pieces = vec![
            Piece::Path(default_path()),
            Piece::Text(":".into()),
            Piece::Unknown("$(go env GOROOT)".into()),
            Piece::Text("/bin".into()),
        ];
        let segs = pieces_to_segs(&pieces, &origin(), SegSource::Shell, false);
        assert_eq!(segs.len(), 3);
        assert_eq!(segs[2].dir, None);
        assert_eq!(segs[2].raw, "$(go env GOROOT)/bin");
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
