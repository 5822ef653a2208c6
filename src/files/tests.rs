//! The engine's value of a document, built from the parsed tree, is the one its JSON
//! text gave (the way it was built before): every document of the test fixtures, and
//! numbers of every size.

use super::*;

/// The value as the engine's JSON reader makes it of the document's JSON text.
fn through_text(doc: &FileDocument, positions: bool) -> regorus::Value {
    let input = DocumentInput::of(doc, positions, &doc.content);
    regorus::Value::from_json_str(&serde_json::to_string(&input).unwrap()).unwrap()
}

fn syntax_of(path: &std::path::Path) -> Option<Syntax> {
    detect::by_name(&path.to_string_lossy()).map(|d| d.syntax)
}

#[test]
fn engine_values_are_what_the_json_text_gave() {
    let mut documents = 0;
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for entry in walkdir::WalkDir::new(fixtures).sort_by_file_name() {
        let entry = entry.unwrap();
        let Some(syntax) = entry
            .file_type()
            .is_file()
            .then(|| syntax_of(entry.path()))
            .flatten()
        else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        for doc in parse_str(&entry.path().to_string_lossy(), syntax, &text) {
            for positions in [false, true] {
                assert_eq!(
                    engine_value(&doc, positions),
                    through_text(&doc, positions),
                    "{} document {}",
                    doc.path,
                    doc.document
                );
            }
            documents += 1;
        }
    }
    assert!(
        documents > 200,
        "only {documents} documents in the fixtures"
    );
}

#[test]
fn numbers_of_every_size_are_read_as_the_json_text_gave_them() {
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: n}\ndata: {}\nspec:\n  \
        a: 0\n  b: -3\n  c: 1.5\n  d: 18446744073709551615\n  e: 18446744073709551616\n  \
        f: -9223372036854775809\n  g: 1e300\n  h: 0.1\n  i: 0777\n  j: 0x1F\n  k: .5\n";
    for doc in parse_str("cm.yaml", Syntax::Yaml, text) {
        assert_eq!(engine_value(&doc, true), through_text(&doc, true));
        assert!(doc.content.is_some());
    }
}
