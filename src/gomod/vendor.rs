//! Parser for `vendor/modules.txt`, the go command's record of what `go mod vendor`
//! copied, read the way `modload.readVendorList` reads it:
//!
//! ```text
//! # example.com/a v1.2.3              module header (path, version)
//! ## explicit; go 1.21               annotations of the module above
//! example.com/a/pkg                  a vendored package of the module above
//! # example.com/b v1.0.0 => ../b      a replaced module
//! # example.com/c => example.com/d v1.1.0   a replacement for every version
//! ```
//!
//! Never fails: lines the go command would skip are recorded as problems.

use crate::snapshot::{ModulesTxt, ParseProblem, VendoredModule};

pub fn parse_modules_txt(file: &str, text: &str) -> ModulesTxt {
    let mut out = ModulesTxt {
        file: file.to_owned(),
        ..ModulesTxt::default()
    };
    // Index into `out.modules` of the module the following lines belong to.
    let mut current: Option<usize> = None;
    for (index, raw) in text.split('\n').enumerate() {
        let line_number = index + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        let mut problem = |message: String| {
            out.errors.push(ParseProblem {
                line: line_number,
                message,
            })
        };
        if let Some(header) = line.strip_prefix("# ") {
            // Like the go command, a header too short to read leaves the lines after it
            // with the module before; any other unreadable header ends that module.
            if header.split_whitespace().count() >= 2 {
                current = None;
            }
            match parse_header(header) {
                Ok((mut module, odd_replacement)) => {
                    if let Some(message) = odd_replacement {
                        problem(message);
                    }
                    module.line = line_number;
                    out.modules.push(module);
                    current = Some(out.modules.len() - 1);
                }
                Err(message) => problem(message),
            }
            continue;
        }
        let Some(module) = current.and_then(|i| out.modules.get_mut(i)) else {
            problem("line outside any module: the go command ignores it".to_owned());
            continue;
        };
        if let Some(annotations) = line.strip_prefix("## ") {
            // Annotations accumulate across lines; unknown ones are reserved.
            for entry in annotations.split(';').map(str::trim) {
                if entry == "explicit" {
                    module.explicit = true;
                } else if let Some(version) = entry.strip_prefix("go ") {
                    module.go_version = Some(version.trim().to_owned());
                }
            }
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.len() == 1 && !words[0].starts_with('#') {
            module.packages += 1;
        } else {
            problem(format!("not a package path: {}", line.trim()));
        }
    }
    out
}

/// `path version [=> new [version]]` or `path => new [version]`. A replacement the go
/// command does not understand is ignored (the module is kept) and reported.
fn parse_header(header: &str) -> Result<(VendoredModule, Option<String>), String> {
    let words: Vec<&str> = header.split_whitespace().collect();
    let (module, rest) = match words.as_slice() {
        [path, version, ..] if is_semver(version) => (
            VendoredModule {
                path: (*path).to_owned(),
                version: Some((*version).to_owned()),
                ..VendoredModule::default()
            },
            &words[2..],
        ),
        [path, arrow, _, ..] if *arrow == "=>" => (
            VendoredModule {
                path: (*path).to_owned(),
                ..VendoredModule::default()
            },
            &words[1..],
        ),
        _ => return Err(format!("not a module line: # {}", header.trim())),
    };
    match rest {
        ["=>", new] => Ok((
            VendoredModule {
                replacement_path: Some((*new).to_owned()),
                ..module
            },
            None,
        )),
        ["=>", new, version] if is_semver(version) => Ok((
            VendoredModule {
                replacement_path: Some((*new).to_owned()),
                replacement_version: Some((*version).to_owned()),
                ..module
            },
            None,
        )),
        [] => Ok((module, None)),
        _ => Ok((
            module,
            Some(format!(
                "replacement the go command does not understand: # {}",
                header.trim()
            )),
        )),
    }
}

/// A semantic version as module versions spell it (`v1.2.3`, `v0.0.0-2023…-abc`,
/// `v2.0.0+incompatible`), loosely: `v`, a digit, then no spaces.
fn is_semver(word: &str) -> bool {
    word.strip_prefix('v')
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(path: &str, version: Option<&str>, line: usize) -> VendoredModule {
        VendoredModule {
            path: path.to_owned(),
            version: version.map(str::to_owned),
            line,
            ..VendoredModule::default()
        }
    }

    #[test]
    fn realistic_modules_txt() {
        let text = "# github.com/google/uuid v1.6.0\n\
                    ## explicit\n\
                    github.com/google/uuid\n\
                    # golang.org/x/sys v0.20.0\n\
                    ## explicit; go 1.18\n\
                    golang.org/x/sys/unix\n\
                    golang.org/x/sys/cpu\n\
                    # golang.org/x/text v0.14.0 => golang.org/x/text v0.15.0\n\
                    ## go 1.18\n\
                    golang.org/x/text/language\n\
                    # example.com/local v1.0.0 => ../local\n\
                    ## explicit\n\
                    # example.com/any => ./forks/any\n";
        let parsed = parse_modules_txt("/p/vendor/modules.txt", text);
        assert_eq!(parsed.errors, vec![]);
        assert_eq!(
            parsed.modules,
            vec![
                VendoredModule {
                    explicit: true,
                    packages: 1,
                    ..module("github.com/google/uuid", Some("v1.6.0"), 1)
                },
                VendoredModule {
                    explicit: true,
                    go_version: Some("1.18".to_owned()),
                    packages: 2,
                    ..module("golang.org/x/sys", Some("v0.20.0"), 4)
                },
                VendoredModule {
                    replacement_path: Some("golang.org/x/text".to_owned()),
                    replacement_version: Some("v0.15.0".to_owned()),
                    go_version: Some("1.18".to_owned()),
                    packages: 1,
                    ..module("golang.org/x/text", Some("v0.14.0"), 8)
                },
                VendoredModule {
                    replacement_path: Some("../local".to_owned()),
                    explicit: true,
                    ..module("example.com/local", Some("v1.0.0"), 11)
                },
                VendoredModule {
                    replacement_path: Some("./forks/any".to_owned()),
                    ..module("example.com/any", None, 13)
                },
            ]
        );
    }

    #[test]
    fn pre_go_1_14_file_has_no_annotations() {
        let parsed = parse_modules_txt(
            "modules.txt",
            "# github.com/pkg/errors v0.8.1\ngithub.com/pkg/errors\r\n",
        );
        assert_eq!(parsed.errors, vec![]);
        assert_eq!(parsed.modules.len(), 1);
        assert!(!parsed.modules[0].explicit);
        assert_eq!(parsed.modules[0].packages, 1);
    }

    #[test]
    fn junk_is_recorded_not_fatal() {
        let text = "orphan/pkg\n# onlypath\n## explicit\n# a v1.0.0 => b c d\n# m v1.0.0\ntwo words\n## explicit;; future-thing\n# m2 v1.0.0\n# short\nm2/pkg\n";
        let parsed = parse_modules_txt("modules.txt", text);
        let lines: Vec<usize> = parsed.errors.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![1, 2, 3, 4, 6, 9]);
        let paths: Vec<&str> = parsed.modules.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(
            paths,
            vec!["a", "m", "m2"],
            "an odd replacement keeps its module"
        );
        assert_eq!(
            parsed.modules[2].packages, 1,
            "a short header keeps the module before"
        );
        assert!(
            parsed.modules[1].explicit,
            "annotations after junk still apply"
        );
        for end in 0..=text.len() {
            let _ = parse_modules_txt("modules.txt", &text[..end]);
        }
    }
}
