//! Hostile input for the file parsers: every prefix of the fixtures (truncated files),
//! pseudo-random bytes, and very deep nesting. Nothing may panic or hang, and deep
//! input must be refused at the nesting limit, with a position, rather than exhaust the
//! stack. Runs each case on a thread with a small stack, so a recursion that escaped
//! the limit shows up as a crash here rather than on a user's machine.

use envgate::files::detect::Syntax;
use envgate::files::parse_str;
use envgate::snapshot::FileDocument;

const SYNTAXES: &[(Syntax, &str)] = &[
    (Syntax::Yaml, "x.yaml"),
    (Syntax::Json, "x.json"),
    (Syntax::Jsonc, "x.jsonc"),
    (Syntax::Toml, "x.toml"),
    (Syntax::GoMod, "go.mod"),
    (Syntax::Dotenv, ".env"),
    (Syntax::Dockerfile, "Dockerfile"),
];

/// Parses on a 2 MiB stack (the main and the parsing threads have 8): recursion that
/// escaped the nesting limit would overflow it.
fn parse(syntax: Syntax, name: &str, text: String) -> Vec<FileDocument> {
    let name = name.to_string();
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || parse_str(&name, syntax, &text))
        .unwrap()
        .join()
        .unwrap_or_else(|_| panic!("the {syntax:?} parser panicked"))
}

fn fixture_texts() -> Vec<String> {
    let mut texts = Vec::new();
    for dir in ["k8s", "broken", "misc"] {
        for entry in std::fs::read_dir(format!("tests/fixtures/files/{dir}")).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                texts.push(std::fs::read_to_string(path).unwrap());
            }
        }
    }
    texts
}

#[test]
fn truncated_files_never_panic() {
    for text in fixture_texts() {
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        for &cut in &cuts {
            let prefix = &text[..cut];
            for &(syntax, name) in SYNTAXES {
                let docs = parse_str(name, syntax, prefix);
                for doc in docs {
                    if let Some(error) = doc.error {
                        assert!(error.line >= 1 && error.column >= 1, "{error:?}");
                    }
                }
            }
        }
    }
}

/// xorshift: the same "random" bytes on every run.
fn junk(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed.max(1);
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

#[test]
fn binary_and_random_text_never_panic() {
    for seed in 1..200u64 {
        let bytes = junk(seed, (seed as usize * 37) % 3000);
        let lossy = String::from_utf8_lossy(&bytes).into_owned();
        // Also the YAML/JSON punctuation soup that reaches deeper parser states.
        let soup: String = bytes
            .iter()
            .map(|b| {
                let table = b"{}[]:,-?&*!|>'\"#\n \t=abc0.\\`<";
                table[*b as usize % table.len()] as char
            })
            .collect();
        for &(syntax, name) in SYNTAXES {
            parse_str(name, syntax, &lossy);
            parse_str(name, syntax, &soup);
        }
    }
}

#[test]
fn deep_nesting_is_refused_at_the_limit() {
    let deep = 100_000;
    let cases = [
        (Syntax::Yaml, "x.yaml", "[".repeat(deep)),
        (Syntax::Yaml, "x.yaml", "{a: ".repeat(deep)),
        (
            Syntax::Yaml,
            "x.yaml",
            (0..2000)
                .map(|i| format!("{}- \n", " ".repeat(i * 2)))
                .collect(),
        ),
        (Syntax::Json, "x.json", "[".repeat(deep)),
        (Syntax::Json, "x.json", "{\"a\":".repeat(deep)),
        (Syntax::Jsonc, "x.jsonc", "[".repeat(deep)),
        (Syntax::Toml, "x.toml", format!("a = {}", "[".repeat(deep))),
        (
            Syntax::Toml,
            "x.toml",
            format!("a = {}", "{b = ".repeat(deep)),
        ),
    ];
    for (syntax, name, text) in cases {
        let docs = parse(syntax, name, text);
        let error = docs
            .iter()
            .find_map(|d| d.error.clone())
            .unwrap_or_else(|| panic!("{syntax:?}: {} levels accepted", deep));
        assert!(error.line >= 1 && error.column >= 1);
    }
    // Just under the limit is fine.
    let ok = format!("{}1{}", "[".repeat(200), "]".repeat(200));
    let docs = parse(Syntax::Json, "x.json", ok.clone());
    assert!(docs[0].error.is_none(), "{:?}", docs[0].error);
    let docs = parse(Syntax::Yaml, "x.yaml", ok);
    assert!(docs[0].error.is_none(), "{:?}", docs[0].error);
}

/// A flat file is parsed whole up to the bound on values per file (1,000,000: five per
/// item here), and is one error past it; the work is bounded by that count.
#[test]
fn a_huge_flat_file_is_parsed_in_bounded_time() {
    let items = |count: usize| {
        let mut text = String::from("items:\n");
        for i in 0..count {
            text.push_str(&format!("  - {{name: item-{i}, value: {i}}}\n"));
        }
        text
    };
    let docs = parse_str("x.yaml", Syntax::Yaml, &items(190_000));
    assert!(docs[0].error.is_none());
    assert_eq!(
        docs[0].positions.get("/items/189999/value"),
        Some(&[190_001, 25])
    );
    let docs = parse_str("x.yaml", Syntax::Yaml, &items(200_000));
    let error = docs[0].error.as_ref().expect("past the bound");
    assert!(error.message.contains("too large to judge"), "{error:?}");
}
