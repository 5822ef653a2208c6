//! A line diff for expected-findings mismatches: the longest common subsequence, shown
//! with `-` (expected only) and `+` (actual only), runs of unchanged lines elided.

/// `expected` against `actual`, as text for a test failure.
pub fn lines(expected: &[&str], actual: &[&str]) -> String {
    let (n, m) = (expected.len(), actual.len());
    // lcs[i][j]: length of the longest common subsequence of expected[i..], actual[j..].
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if expected[i] == actual[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out: Vec<(char, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && expected[i] == actual[j] {
            out.push((' ', expected[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            // Removals before additions: a changed line reads `- old` then `+ new`.
            out.push(('-', expected[i]));
            i += 1;
        } else {
            out.push(('+', actual[j]));
            j += 1;
        }
    }
    // Keep one unchanged line of context around each change.
    let changed: Vec<bool> = out.iter().map(|(c, _)| *c != ' ').collect();
    let near = |k: usize| {
        changed[k.saturating_sub(1)..(k + 2).min(changed.len())]
            .iter()
            .any(|c| *c)
    };
    let mut text = String::new();
    let mut elided = false;
    for (k, (mark, line)) in out.iter().enumerate() {
        if near(k) {
            text.push_str(&format!("{mark} {line}\n"));
            elided = false;
        } else if !elided {
            text.push_str("  …\n");
            elided = true;
        }
    }
    text
}

#[test]
fn shows_what_was_removed_added_and_elides_what_did_not_change() {
    let expected = ["a", "b", "c", "d", "e", "f"];
    let actual = ["a", "b", "c", "x", "e", "f", "g"];
    assert_eq!(
        lines(&expected, &actual),
        "  …\n  c\n- d\n+ x\n  e\n  f\n+ g\n"
    );
}
