//! The go command's module path patterns (GOPRIVATE, GONOPROXY, GONOSUMDB,
//! GOINSECURE): a comma-separated list of `path.Match` globs, each matched against as
//! many leading elements of a module path as it has itself, so `*.corp.example`
//! covers `git.corp.example/team/repo`. A port of `golang.org/x/mod/module`'s
//! `MatchPrefixPatterns` and Go's `path.Match`.

/// The patterns of `globs` that match `target`, in the order given.
pub fn matching_patterns(globs: &str, target: &str) -> Vec<String> {
    globs
        .split(',')
        .map(str::trim)
        .filter(|glob| !glob.is_empty())
        .filter(|glob| {
            let elements = glob.matches('/').count() + 1;
            let mut parts = target.splitn(elements + 1, '/');
            let prefix: Vec<&str> = parts.by_ref().take(elements).collect();
            // Too few elements in the target: the pattern cannot match it.
            prefix.len() == elements && path_match(glob, &prefix.join("/"))
        })
        .map(str::to_owned)
        .collect()
}

/// One piece of a glob.
#[derive(Debug, PartialEq)]
enum Piece {
    /// `*`: any run of characters other than `/`.
    Star,
    /// `?`: one character other than `/`.
    AnyChar,
    /// `[…]`: ranges of characters, possibly negated with `^`.
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
    Literal(char),
}

/// Go's `path.Match`. A malformed pattern matches nothing, as the go command treats it
/// (it ignores the error).
pub fn path_match(pattern: &str, name: &str) -> bool {
    let Some(pieces) = parse(pattern) else {
        return false;
    };
    let name: Vec<char> = name.chars().collect();
    // reachable[j]: the pieces so far can consume exactly name[..j].
    let mut reachable = vec![false; name.len() + 1];
    reachable[0] = true;
    for piece in &pieces {
        let mut next = vec![false; name.len() + 1];
        for j in 0..=name.len() {
            if !reachable[j] {
                continue;
            }
            match piece {
                Piece::Star => {
                    next[j] = true;
                    for (k, c) in name.iter().enumerate().skip(j) {
                        if *c == '/' {
                            break;
                        }
                        next[k + 1] = true;
                    }
                }
                _ => {
                    if j < name.len() && single_matches(piece, name[j]) {
                        next[j + 1] = true;
                    }
                }
            }
        }
        reachable = next;
    }
    reachable[name.len()]
}

fn single_matches(piece: &Piece, c: char) -> bool {
    match piece {
        Piece::Star => false,
        Piece::AnyChar => c != '/',
        Piece::Literal(l) => *l == c,
        Piece::Class { negated, ranges } => {
            let inside = ranges.iter().any(|(lo, hi)| *lo <= c && c <= *hi);
            inside != *negated
        }
    }
}

/// Splits a glob into pieces; `None` when Go would report `ErrBadPattern`.
fn parse(pattern: &str) -> Option<Vec<Piece>> {
    let mut pieces = Vec::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' => {
                if pieces.last() != Some(&Piece::Star) {
                    pieces.push(Piece::Star);
                }
            }
            '?' => pieces.push(Piece::AnyChar),
            '\\' => pieces.push(Piece::Literal(chars.next()?)),
            '[' => {
                let negated = chars.next_if_eq(&'^').is_some();
                let mut ranges = Vec::new();
                loop {
                    if !ranges.is_empty() && chars.next_if_eq(&']').is_some() {
                        break;
                    }
                    let lo = class_char(&mut chars)?;
                    let hi = if chars.next_if_eq(&'-').is_some() {
                        class_char(&mut chars)?
                    } else {
                        lo
                    };
                    ranges.push((lo, hi));
                }
                pieces.push(Piece::Class { negated, ranges });
            }
            other => pieces.push(Piece::Literal(other)),
        }
    }
    Some(pieces)
}

/// One character of a `[…]` class, unescaping `\x`; `-` and `]` must be escaped, and
/// the class must not end here.
fn class_char(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<char> {
    let c = match chars.next()? {
        '-' | ']' => return None,
        '\\' => chars.next()?,
        c => c,
    };
    chars.peek()?;
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_match_follows_go() {
        // Cases from Go's path/match_test.go.
        let cases: &[(&str, &str, bool)] = &[
            ("abc", "abc", true),
            ("*", "abc", true),
            ("*c", "abc", true),
            ("a*", "a", true),
            ("a*", "abc", true),
            ("a*", "ab/c", false),
            ("a*/b", "abc/b", true),
            ("a*/b", "a/c/b", false),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", true),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/f", true),
            ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", false),
            ("a*b?c*x", "abxbbxdbxebxczzx", true),
            ("a*b?c*x", "abxbbxdbxebxczzy", false),
            ("ab[c]", "abc", true),
            ("ab[b-d]", "abc", true),
            ("ab[e-g]", "abc", false),
            ("ab[^c]", "abc", false),
            ("ab[^b-d]", "abc", false),
            ("ab[^e-g]", "abc", true),
            ("a\\*b", "a*b", true),
            ("a\\*b", "ab", false),
            ("a?b", "a☺b", true),
            ("a[^a]b", "a☺b", true),
            ("a???b", "a☺b", false),
            ("a[^a][^a][^a]b", "a☺b", false),
            ("[a-ζ]*", "α", true),
            ("*[a-ζ]", "A", false),
            ("a?b", "a/b", false),
            ("a*b", "a/b", false),
            ("[\\]a]", "]", true),
            ("[\\-]", "-", true),
            ("[x\\-]", "x", true),
            ("[x\\-]", "-", true),
            ("[x\\-]", "z", false),
            ("[\\-x]", "x", true),
            ("[]a]", "]", false),
            ("[-]", "-", false),
            ("[x-]", "x", false),
            ("[-x]", "x", false),
            ("\\", "a", false),
            ("[a-b-c]", "a", false),
            ("[", "a", false),
            ("[^", "a", false),
            ("[^bc", "a", false),
            ("a[", "a", false),
            ("a[", "ab", false),
            ("*x", "xxx", true),
        ];
        for (pattern, name, want) in cases {
            assert_eq!(
                path_match(pattern, name),
                *want,
                "Match({pattern:?}, {name:?})"
            );
        }
    }

    #[test]
    fn prefix_patterns_match_leading_elements() {
        let globs = "*.corp.example, github.com/acme/*,,rsc.io/private";
        assert_eq!(
            matching_patterns(globs, "git.corp.example/platform/auth"),
            vec!["*.corp.example"]
        );
        assert_eq!(
            matching_patterns(globs, "github.com/acme/tools/cmd"),
            vec!["github.com/acme/*"]
        );
        assert!(matching_patterns(globs, "github.com/other/tools").is_empty());
        assert!(
            matching_patterns(globs, "github.com/acme").is_empty(),
            "too few elements"
        );
        assert_eq!(
            matching_patterns(globs, "rsc.io/private"),
            vec!["rsc.io/private"]
        );
        assert!(matching_patterns(globs, "rsc.io/privatekey").is_empty());
        assert_eq!(matching_patterns("*", "example.com/x/y"), vec!["*"]);
        assert!(matching_patterns("", "example.com").is_empty());
    }
}
