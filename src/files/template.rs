//! Unrendered templates: a Helm chart's templates or a manifest with `${VAR}`
//! placeholders is not what reaches the cluster. Parsed as it is, it gives raw YAML
//! errors or findings about the placeholders (`image: ${IMAGE}` "has no tag"); it is
//! reported as a template to render first (`helm template … | envgate check -`).

use std::path::Path;

use serde_json::Value;

use super::ParsedDocument;

/// Why a file is taken for a template, for the summary.
pub fn template_reason(
    path: Option<&Path>,
    text: &str,
    documents: &[ParsedDocument],
) -> Option<&'static str> {
    if path.is_some_and(in_helm_chart_templates) {
        return Some("a Helm chart template (render it: helm template CHART | envgate check -)");
    }
    // `{{ … }}` outside quotes is either a syntax error or, parsed as flow mappings,
    // a mapping used as a key: neither is in a rendered manifest. Inside quoted or
    // block scalars (alert templates, scripts) it is text and judged as such.
    if text.contains("{{") && documents.iter().any(|d| d.error.is_some() || d.complex_key) {
        return Some(
            "an unrendered Go/Helm template (render it first: helm template … | envgate check -)",
        );
    }
    if text.contains("${")
        && documents
            .iter()
            .filter_map(|d| d.content.as_ref())
            .any(has_placeholder_value)
    {
        return Some(
            "a template with ${VAR} placeholders (substitute them first, e.g. envsubst < FILE | envgate check -)",
        );
    }
    None
}

/// A file under `templates/` of a directory holding a `Chart.yaml`.
fn in_helm_chart_templates(path: &Path) -> bool {
    path.ancestors().skip(1).any(|dir| {
        dir.file_name().is_some_and(|n| n == "templates")
            && dir
                .parent()
                .is_some_and(|chart| chart.join("Chart.yaml").is_file())
    })
}

/// A string value that is a placeholder rather than a value: `${NAME}` somewhere in a
/// value without spaces (`${IMAGE}`, `${REGISTRY}/app:${TAG}`). A script with a shell
/// variable (`echo ${HOME}`) has spaces and is not one.
fn has_placeholder_value(value: &Value) -> bool {
    match value {
        Value::String(text) => is_placeholder(text),
        Value::Object(map) => map.values().any(has_placeholder_value),
        Value::Array(items) => items.iter().any(has_placeholder_value),
        _ => false,
    }
}

fn is_placeholder(text: &str) -> bool {
    if text.contains(char::is_whitespace) {
        return false;
    }
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        if let Some(end) = after.find('}') {
            let name = &after[..end];
            let named = name
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':' || c == '-');
            if named {
                return true;
            }
        }
        rest = after;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_told_from_shell_variables() {
        assert!(is_placeholder("${IMAGE}"));
        assert!(is_placeholder("${REGISTRY}/app:${TAG}"));
        assert!(is_placeholder("${TAG:-latest}"));
        assert!(!is_placeholder("echo ${HOME}"));
        assert!(!is_placeholder("$(POD_NAME)"));
        assert!(!is_placeholder("${}"));
        assert!(!is_placeholder("price: $5"));
    }
}
