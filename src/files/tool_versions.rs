//! asdf's `.tool-versions` (`golang 1.22.1 1.21.0 # comment`) and the one-version
//! files (`.go-version`): `{"tools": [{"tool", "versions", "line"}]}`. A line holding
//! a single word is a version of Go (what `.go-version` holds). Nothing here is a
//! syntax error: asdf and goenv skip what they cannot use, and so does the pack.

use serde_json::{Value, json};

use super::ParsedDocument;
use super::source_map::{Positions, element, member};

pub fn parse(text: &str) -> ParsedDocument {
    let mut tools = Vec::new();
    let mut positions = Positions::new();
    positions.insert(String::new(), [1, 1]);
    for (index, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("");
        let words: Vec<&str> = line.split_whitespace().collect();
        let (tool, versions) = match words.as_slice() {
            [] => continue,
            [version] => ("go", vec![*version]),
            [tool, versions @ ..] => (*tool, versions.to_vec()),
        };
        let number = index + 1;
        let column = raw.len() - raw.trim_start().len() + 1;
        let pointer = element("/tools", tools.len());
        positions.insert(pointer.clone(), [number, column]);
        positions.insert(member(&pointer, "line"), [number, column]);
        tools.push(json!({"tool": tool, "versions": versions, "line": number}));
    }
    if let Some(&first) = positions.get("/tools/0") {
        positions.insert("/tools".into(), first);
    }
    ParsedDocument::parsed(1, json!({ "tools": Value::Array(tools) }), positions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tools_with_their_lines() {
        let doc = parse("# pins\nnodejs 20.1.0\n  golang 1.22.1 1.21.0 # two\n\n");
        assert_eq!(
            doc.content.unwrap()["tools"],
            json!([
                {"tool": "nodejs", "versions": ["20.1.0"], "line": 2},
                {"tool": "golang", "versions": ["1.22.1", "1.21.0"], "line": 3},
            ])
        );
        assert_eq!(doc.positions.get("/tools/1"), Some(&[3, 3]));
    }

    #[test]
    fn a_lone_version_is_go() {
        let doc = parse("1.23.4\n");
        assert_eq!(
            doc.content.unwrap()["tools"],
            json!([{"tool": "go", "versions": ["1.23.4"], "line": 1}])
        );
    }
}
