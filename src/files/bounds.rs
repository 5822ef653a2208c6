//! How much of one file envgate parses and judges. [`super::MAX_FILE_BYTES`] bounds the
//! bytes, not the work: 16 MiB of one-line Pods is 160,000 documents (67 s and 4.9 GB
//! before this bound), and 16 MiB of `0,` is a 7-million-element JSON array. A file past
//! these bounds is one error (K8S000 for the gate: too large to judge, so it fails
//! rather than passing unjudged), found before the values are built.

use super::detect::Syntax;
use super::source_map::LineIndex;
use crate::snapshot::FileParseError;

/// Values (scalars, sequences, mappings, and mapping keys; alias copies included) in
/// one file. 10,000 typical Kubernetes documents hold ~560,000.
pub const MAX_FILE_NODES: usize = 1_000_000;

/// YAML documents in one file (a `helm template` dump of a whole platform has
/// thousands).
pub const MAX_FILE_DOCUMENTS: usize = 20_000;

/// The error of a file past a bound, at the place it was crossed.
pub fn too_large(what: &str, line: usize, column: usize) -> FileParseError {
    FileParseError {
        message: format!("more than {what} {TOO_LARGE}"),
        line,
        column,
    }
}

/// Whether `error` is one [`too_large`] made.
pub fn is_too_large(error: &FileParseError) -> bool {
    error.message.ends_with(TOO_LARGE)
}

const TOO_LARGE: &str = "in one file: too large to judge (split it into smaller files)";

/// The values bound, as [`too_large`] words it.
pub fn nodes_bound() -> String {
    format!("{} values", thousands(MAX_FILE_NODES))
}

/// The documents bound, as [`too_large`] words it.
pub fn documents_bound() -> String {
    format!("{} documents", thousands(MAX_FILE_DOCUMENTS))
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// For the formats not read event by event (YAML counts its events as it reads), the
/// error when `text` holds more than [`MAX_FILE_NODES`] values, counted by a scan that
/// parses nothing: JSON and TOML by their separators outside strings and comments, the
/// line-based formats by their lines.
pub fn check(text: &str, syntax: Syntax) -> Option<FileParseError> {
    let offset = match syntax {
        Syntax::Yaml => return None,
        Syntax::Json => separators(text, false, false),
        Syntax::Jsonc => separators(text, true, false),
        Syntax::Toml => separators(text, false, true),
        Syntax::GoMod
        | Syntax::GoWork
        | Syntax::Dotenv
        | Syntax::Dockerfile
        | Syntax::ToolVersions => text.match_indices('\n').nth(MAX_FILE_NODES).map(|(i, _)| i),
    }?;
    let [line, column] = LineIndex::new(text).position(offset);
    Some(too_large(&nodes_bound(), line, column))
}

/// Byte offset where the count of value separators (`[`, `{`, `,`, `:`, `=`) outside
/// strings and comments passes [`MAX_FILE_NODES`]: each value but the first in a
/// container follows one, each container opens with one, each key has one.
fn separators(text: &str, slash_comments: bool, toml: bool) -> Option<usize> {
    structural_bytes(text, slash_comments, toml)
        .filter(|&(_, b)| matches!(b, b'[' | b'{' | b',' | b':' | b'='))
        .nth(MAX_FILE_NODES)
        .map(|(i, _)| i)
}

/// The bytes of JSON, JSONC or TOML text outside strings and comments, with their
/// offsets: what a quick scan counts (values here, nesting depth in `json.rs`) before
/// a parser builds anything.
pub(super) fn structural_bytes(
    text: &str,
    slash_comments: bool,
    toml: bool,
) -> impl Iterator<Item = (usize, u8)> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let at = i;
            let byte = bytes[i];
            i += 1;
            match byte {
                b'"' => {
                    while i < bytes.len() && bytes[i] != b'"' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    i += 1;
                }
                b'\'' if toml => {
                    while i < bytes.len() && bytes[i] != b'\'' {
                        i += 1;
                    }
                    i += 1;
                }
                b'#' if toml => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                b'/' if slash_comments && bytes.get(i) == Some(&b'/') => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                b'/' if slash_comments && bytes.get(i) == Some(&b'*') => {
                    i += 1;
                    while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                        i += 1;
                    }
                    i += 2;
                }
                _ => return Some((at, byte)),
            }
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_outside_strings_and_comments_are_counted() {
        let under = format!("[{}0]", "0,".repeat(MAX_FILE_NODES - 1));
        assert!(check(&under, Syntax::Json).is_none());
        let over = format!("[{}0]", "0,".repeat(MAX_FILE_NODES));
        let error = check(&over, Syntax::Json).unwrap();
        assert!(
            error.message.contains("more than 1,000,000 values"),
            "{error:?}"
        );
        assert_eq!((error.line, error.column), (1, 2 * MAX_FILE_NODES + 1));
        // Commas in strings and comments are no values.
        let quoted = format!("[\"{}\"]", ",".repeat(MAX_FILE_NODES + 1));
        assert!(check(&quoted, Syntax::Json).is_none());
        let comment = format!("// {}\n{{}}", ",".repeat(MAX_FILE_NODES + 1));
        assert!(check(&comment, Syntax::Jsonc).is_none());
        let toml = format!(
            "# {}\na = '{}'\n",
            ",".repeat(MAX_FILE_NODES + 1),
            ",".repeat(10)
        );
        assert!(check(&toml, Syntax::Toml).is_none());
        let toml = format!("a = [{}]\n", "1,".repeat(MAX_FILE_NODES + 1));
        assert!(check(&toml, Syntax::Toml).is_some());
        let env = "A=1\n".repeat(MAX_FILE_NODES + 1);
        assert_eq!(
            check(&env, Syntax::Dotenv).unwrap().line,
            MAX_FILE_NODES + 1
        );
    }

    fn yaml_errors(text: &str) -> Vec<String> {
        super::super::yaml::parse_with(text, true)
            .into_iter()
            .filter_map(|d| d.error.map(|e| e.message))
            .collect()
    }

    #[test]
    fn a_yaml_file_past_the_document_bound_is_one_error() {
        let at_bound = "---\na: 1\n".repeat(MAX_FILE_DOCUMENTS);
        assert_eq!(
            super::super::yaml::parse(&at_bound).len(),
            MAX_FILE_DOCUMENTS
        );
        let past = "---\na: 1\n".repeat(MAX_FILE_DOCUMENTS + 1);
        let documents = super::super::yaml::parse_with(&past, true);
        assert_eq!(documents.len(), 1, "the whole file is the error");
        let error = documents[0].error.as_ref().unwrap();
        assert!(
            error.message.contains("more than 20,000 documents"),
            "{error:?}"
        );
        assert_eq!(error.line, 2 * MAX_FILE_DOCUMENTS + 1);
    }

    #[test]
    fn yaml_values_count_alias_copies_across_documents() {
        // Each document stays under the per-document alias bound (100,000) with 90,300
        // values; twelve of them pass the file's million.
        let list = format!("[{}]", vec!["1"; 300].join(","));
        let aliases = format!("[{}]", vec!["*a"; 300].join(","));
        let document = format!("---\nx: &a {list}\ny: {aliases}\n");
        assert!(yaml_errors(&document.repeat(11)).is_empty());
        let errors = yaml_errors(&document.repeat(12));
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].contains("more than 1,000,000 values"),
            "{errors:?}"
        );
    }
}
