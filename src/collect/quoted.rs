//! cmd/go's splitting of a command held in one variable (CC, CXX, PKG_CONFIG) and, since
//! Go 1.20, of GOFLAGS: Go's `cmd/internal/quoted.Split`, which cmd/go's `envList` runs
//! before it starts the program and which `BuildInit` runs before any build. Public for
//! the oracle test (tests/quoted_oracle.rs) that holds it to the real go command. Fields are separated by
//! spaces, tabs, CR and LF; a field that starts with `'` or `"` runs to the same quote
//! and keeps everything inside, spaces and backslashes included (no escapes); a quote
//! anywhere else is an ordinary character. So `"C:\Program Files\LLVM\bin\clang.exe"
//! -O2` is the program `C:\Program Files\LLVM\bin\clang.exe` and the flag `-O2`.

/// The fields of `s`, or Go's error for a quote that is not closed (every build then
/// stops with `go: CC environment variable could not be parsed: unterminated " string`).
pub fn split(s: &str) -> Result<Vec<String>, String> {
    Ok(fields(s)?.into_iter().map(|f| f.value).collect())
}

/// One field of [`fields`]: its text as written and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field<'a> {
    /// The field as written, its quotes included (`'-ldflags=-s -w'`): joined with
    /// spaces, such texts split into the same fields again.
    pub raw: &'a str,
    /// What cmd/go takes from it (`-ldflags=-s -w`).
    pub value: String,
}

/// [`split`], keeping where each field was written.
pub fn fields(s: &str) -> Result<Vec<Field<'_>>, String> {
    let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r');
    let bytes = s.as_bytes();
    let mut fields = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        if i == bytes.len() {
            break;
        }
        let start = i;
        if matches!(bytes[i], b'"' | b'\'') {
            let quote = bytes[i];
            let Some(len) = bytes[i + 1..].iter().position(|&c| c == quote) else {
                return Err(format!("unterminated {} string", quote as char));
            };
            // Both ends are ASCII quotes, so the slices fall on character boundaries.
            i = start + len + 2;
            fields.push(Field {
                raw: &s[start..i],
                value: s[start + 1..start + 1 + len].to_string(),
            });
            continue;
        }
        while i < bytes.len() && !is_space(bytes[i]) {
            i += 1;
        }
        fields.push(Field {
            raw: &s[start..i],
            value: s[start..i].to_string(),
        });
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::split;

    fn ok(s: &str) -> Vec<String> {
        split(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    #[test]
    fn fields_are_separated_by_ascii_space_tab_and_line_ends() {
        assert!(ok("").is_empty());
        assert!(ok(" \t\r\n").is_empty());
        assert_eq!(ok("gcc"), ["gcc"]);
        assert_eq!(ok("  gcc -m32  "), ["gcc", "-m32"]);
        assert_eq!(
            ok("zig\tcc\n-target\r\naarch64-linux-gnu"),
            ["zig", "cc", "-target", "aarch64-linux-gnu"]
        );
        // A non-breaking space is not a separator, as in Go (bytes, not Unicode).
        assert_eq!(ok("gcc\u{a0}-O2 é"), ["gcc\u{a0}-O2", "é"]);
    }

    #[test]
    fn a_quote_at_the_start_of_a_field_groups_up_to_the_same_quote() {
        assert_eq!(
            ok(r#""C:\Program Files\LLVM\bin\clang.exe" -O2"#),
            [r"C:\Program Files\LLVM\bin\clang.exe", "-O2"]
        );
        assert_eq!(
            ok(r#""C:\msys64\ucrt64\bin\gcc.exe""#),
            [r"C:\msys64\ucrt64\bin\gcc.exe"]
        );
        assert_eq!(
            ok("'/opt/my tools/gcc' -I'x y'"),
            ["/opt/my tools/gcc", "-I'x", "y'"]
        );
        // The other quote is an ordinary character inside, and empty quotes are a field.
        assert_eq!(ok(r#"'say "hi"' "it's""#), [r#"say "hi""#, "it's"]);
        assert_eq!(ok(r#"cc "" -O2"#), ["cc", "", "-O2"]);
        // No separator is needed after the closing quote: a new field starts there.
        assert_eq!(ok(r#""a b"c 'd'"e""#), ["a b", "c", "d", "e"]);
    }

    #[test]
    fn a_quote_inside_a_field_and_a_backslash_are_ordinary() {
        assert_eq!(ok(r#"gcc"x y""#), [r#"gcc"x"#, r#"y""#]);
        assert_eq!(ok(r"C:\Program\ Files\gcc"), [r"C:\Program\", r"Files\gcc"]);
        assert_eq!(ok(r#"\"a b\""#), [r#"\"a"#, r#"b\""#]);
    }

    #[test]
    fn fields_keep_their_text_as_written() {
        let fields = super::fields(r#" -a  '-b c'"d e" x"y "#).unwrap();
        let raw: Vec<&str> = fields.iter().map(|f| f.raw).collect();
        assert_eq!(raw, ["-a", "'-b c'", r#""d e""#, r#"x"y"#]);
        assert_eq!(fields[1].value, "-b c");
        // Rejoined with spaces, the texts give the same fields.
        assert_eq!(ok(&raw.join(" ")), ok(r#" -a  '-b c'"d e" x"y "#));
    }

    #[test]
    fn an_unclosed_quote_is_go_s_error() {
        assert_eq!(
            split(r#""C:\Program Files\LLVM\bin\clang.exe -O2"#),
            Err(r#"unterminated " string"#.to_string())
        );
        assert_eq!(split("gcc 'x"), Err("unterminated ' string".to_string()));
        // A quote later in a field opens nothing.
        assert_eq!(ok("gcc x'"), ["gcc", "x'"]);
    }
}
