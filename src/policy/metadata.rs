//! OPA-standard `# METADATA` blocks, read by envgate itself (regorus ignores comments).
//!
//! A block is YAML behind `# ` prefixes, starting at a `# METADATA` line and ending at
//! the first non-comment line; the block that stands right before a `package` line
//! describes that package, which for envgate is one rule.

use serde::Deserialize;

/// The YAML of a package's METADATA block.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Annotations {
    pub title: Option<String>,
    pub description: Option<String>,
    /// OPA's annotation scope; envgate only reads package-scoped blocks.
    pub scope: Option<String>,
    #[serde(default)]
    pub related_resources: Vec<RelatedResource>,
    #[serde(default)]
    pub authors: Vec<yaml_serde::Value>,
    #[serde(default)]
    pub organizations: Vec<String>,
    pub schemas: Option<yaml_serde::Value>,
    pub entrypoint: Option<bool>,
    pub custom: Option<Custom>,
}

/// envgate's own keys under `custom:`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Custom {
    /// Stable rule id such as `GO013`.
    pub id: Option<String>,
    /// `error`, `warning` or `info`.
    pub severity: Option<String>,
    /// The pack version that introduced the rule.
    pub since: Option<String>,
    /// The doctor checklist group.
    pub category: Option<String>,
    /// A tera template rendered with the finding's `vars`.
    pub remediation: Option<String>,
    /// The rule judges facts only a running session has (the catalogue's "L"): it
    /// cannot be judged in an image and is reported as not applicable there.
    pub live_only: Option<bool>,
    /// The systems whose snapshots the rule judges, in GOOS spelling (`[windows]`,
    /// `[linux, darwin]`); absent: every system. On another system the rule is
    /// reported as not applicable instead of passing a check of facts never collected.
    pub systems: Option<Vec<String>>,
    /// Snapshot paths the rule judges (`[windows.defender]`): when one is absent from
    /// a snapshot (nothing is known of it there), the rule is reported as not
    /// applicable instead of passing a check of facts never collected.
    pub requires: Option<Vec<String>>,
    /// What the rule says about a file's documents depends on that file alone, never on
    /// the other checked files: a check may judge it a batch of files at a time.
    pub per_file: Option<bool>,
    /// A rule that compares files (not `per_file`): the kinds of document it reads
    /// (`[go.mod, dockerfile]`). A check judges the per-file rules a batch of files at
    /// a time and this rule once, over the documents of these kinds only; without it
    /// the rule is given every document.
    pub reads: Option<Vec<String>>,
    /// A rule that compares files: object keys whose values it never looks inside
    /// (`[containers, annotations]`), though it may test their type. The documents kept
    /// for it across the batches of a large check have them emptied (an array stays an
    /// array), which is most of a workload's size.
    pub never_reads: Option<Vec<String>>,
    /// The rule runs only when `.envgate.yaml` gives it a severity (`severity:
    /// {K8S031: warning}`): checks some teams want and most do not, turned on
    /// without editing Rego.
    pub opt_in: Option<bool>,
    /// Its findings carry structured edits that `envgate fix` applies: `safe` (without
    /// `--unsafe`) or `unsafe`. Checked against the rule's trigger fixtures by
    /// `tests/fix.rs`, which also computes the coverage figure.
    pub autofix: Option<String>,
}

/// OPA allows either a bare reference or `{ref, description}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RelatedResource {
    Plain(String),
    Full {
        #[serde(rename = "ref")]
        reference: String,
        description: Option<String>,
    },
}

impl RelatedResource {
    pub fn reference(&self) -> &str {
        match self {
            RelatedResource::Plain(r) => r,
            RelatedResource::Full { reference, .. } => reference,
        }
    }
}

/// What one source file declares at its top.
#[derive(Debug, Clone)]
pub struct FileHeader {
    /// `data.`-less package path, e.g. `envgate.go.go013_gopath_bin_not_on_path`.
    pub package: String,
    /// 1-based line of the `package` statement.
    pub package_line: usize,
    /// The package's METADATA block, if any, and the line it starts on.
    pub annotations: Option<(Annotations, usize)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataError {
    pub line: usize,
    pub message: String,
}

/// Finds the package statement and the METADATA block right before it.
pub fn read_header(source: &str) -> Result<Option<FileHeader>, MetadataError> {
    read_header_with(source, None)
}

/// [`read_header`], with the block already parsed: `parsed` is its JSON as the build
/// wrote it for a built-in file ([`block_json`]), read ten times faster than its YAML.
pub fn read_header_with(
    source: &str,
    parsed: Option<&str>,
) -> Result<Option<FileHeader>, MetadataError> {
    let Some(header) = scan_header(source) else {
        return Ok(None);
    };
    let annotations = match (header.block, parsed) {
        (Some((line, _)), Some(json)) => Some((
            serde_json::from_str::<Annotations>(json).map_err(|e| MetadataError {
                line,
                message: format!("invalid METADATA block: {e}"),
            })?,
            line,
        )),
        (Some((line, yaml)), None) => Some((parse_block(line, &yaml)?, line)),
        (None, _) => None,
    };
    Ok(Some(FileHeader {
        package: header.package,
        package_line: header.package_line,
        annotations,
    }))
}

/// The package statement, and the METADATA block right before it as YAML text.
struct ScannedHeader {
    package: String,
    package_line: usize,
    /// The line of `# METADATA` and the YAML behind its `# ` prefixes.
    block: Option<(usize, String)>,
}

fn scan_header(source: &str) -> Option<ScannedHeader> {
    // Only the lines up to the package statement are read: a rule file is hundreds of
    // lines, and a pack is read whole at every start.
    let mut lines = source.lines().enumerate().peekable();
    let mut block: Option<(usize, Vec<&str>)> = None;
    while let Some((index, line)) = lines.next() {
        let trimmed = line.trim();
        if trimmed == "# METADATA" {
            let mut yaml = Vec::new();
            while let Some((_, line)) = lines.next_if(|(_, l)| l.trim_start().starts_with('#')) {
                let text = line.trim_start();
                yaml.push(text.strip_prefix("# ").unwrap_or(&text[1..]));
            }
            block = Some((index + 1, yaml));
            continue;
        }
        if trimmed.is_empty() {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("package ") {
            let package = rest.split('#').next().unwrap_or("").trim().to_string();
            return Some(ScannedHeader {
                package,
                package_line: index + 1,
                block: block.map(|(line, yaml)| (line, yaml.join("\n"))),
            });
        }
        if !trimmed.starts_with('#') {
            // Code before any package statement: not a valid module; regorus will say so.
            return None;
        }
        // Any other comment separates a METADATA block from what follows.
        block = None;
    }
    None
}

/// The METADATA block of `source` as JSON, for the build to store beside a built-in
/// file: `None` when there is none, or when its YAML does not read the same through
/// JSON (a scalar YAML reads as a string only where a string is wanted), so that such
/// a file keeps being read from its YAML.
#[allow(dead_code)] // used by build.rs, which includes this file
pub fn block_json(source: &str) -> Option<String> {
    let (line, yaml) = scan_header(source)?.block?;
    let direct = parse_block(line, &yaml).ok()?;
    let value: serde_json::Value = yaml_serde::from_str(&yaml).ok()?;
    let json = serde_json::to_string(&value).ok()?;
    let through_json: Annotations = serde_json::from_str(&json).ok()?;
    (format!("{direct:?}") == format!("{through_json:?}")).then_some(json)
}

fn parse_block(first_line: usize, yaml: &str) -> Result<Annotations, MetadataError> {
    yaml_serde::from_str::<Annotations>(yaml).map_err(|e| MetadataError {
        // The YAML's first line is the one after `# METADATA` (`first_line`).
        line: first_line + e.location().map_or(1, |l| l.line()),
        message: format!("invalid METADATA block: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: &str = r#"# A leading comment that is not metadata.

# METADATA
# title: GOPATH/bin is not on PATH
# description: |
#   Tools installed with go install land in GOBIN.
# related_resources:
#   - ref: https://github.com/microsoft/vscode-go/issues/10
#   - https://go.dev/doc/gopath_code
# custom:
#   id: GO013
#   severity: error
#   since: 0.1.0
#   category: Shell & PATH
#   remediation: |
#     export PATH="$PATH:{{ vars.bin }}"
package envgate.go.go013_gopath_bin_not_on_path

import rego.v1
"#;

    #[test]
    fn reads_the_block_before_the_package() {
        let header = read_header(RULE).unwrap().unwrap();
        assert_eq!(header.package, "envgate.go.go013_gopath_bin_not_on_path");
        assert_eq!(header.package_line, 17);
        let (annotations, line) = header.annotations.unwrap();
        assert_eq!(line, 3, "the line of `# METADATA`");
        let custom = annotations.custom.unwrap();
        assert_eq!(custom.id.as_deref(), Some("GO013"));
        assert_eq!(
            custom.remediation.as_deref(),
            Some("export PATH=\"$PATH:{{ vars.bin }}\"")
        );
        assert_eq!(annotations.related_resources.len(), 2);
        assert_eq!(
            annotations.related_resources[1].reference(),
            "https://go.dev/doc/gopath_code"
        );
    }

    #[test]
    fn bad_yaml_points_into_the_block() {
        let source = "# METADATA\n# title: x\n# custom:\n#   id: [unclosed\npackage p\n";
        let error = read_header(source).unwrap_err();
        // The unclosed flow sequence is reported at or after its own line (4).
        assert!((4..=5).contains(&error.line), "{error:?}");
    }

    #[test]
    fn unknown_custom_keys_are_rejected() {
        let source = "# METADATA\n# custom:\n#   severty: error\npackage p\n";
        let error = read_header(source).unwrap_err();
        assert!(error.message.contains("severty"), "{}", error.message);
    }

    #[test]
    fn a_file_without_metadata_is_a_library() {
        let header = read_header("package envgate.go.lib\n").unwrap().unwrap();
        assert!(header.annotations.is_none());
    }
}
