//! Which lines of the rule and library files the unit tests evaluated, from regorus's
//! coverage report, per file and in total.

use serde::Serialize;

/// The lines the tests evaluated, per file, sorted by path.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Coverage {
    pub files: Vec<FileCoverage>,
    /// Lines evaluated, over all files.
    pub covered: usize,
    /// Lines that could be evaluated (regorus's covered + not covered), over all files.
    pub total: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FileCoverage {
    pub file: String,
    pub covered: usize,
    pub total: usize,
    /// The lines no test evaluated, ascending.
    pub not_covered: Vec<u32>,
}

impl Coverage {
    /// The files of `report` that `keep` accepts (by path).
    pub fn from_report(report: &regorus::coverage::Report, keep: impl Fn(&str) -> bool) -> Self {
        let mut files: Vec<FileCoverage> = report
            .files
            .iter()
            .filter(|f| keep(&f.path))
            .map(|f| {
                // A line can be both (one expression of it ran, another did not): it
                // counts as covered, as the report's colouring shows it.
                let not_covered: Vec<u32> = f
                    .not_covered
                    .iter()
                    .filter(|line| !f.covered.contains(line))
                    .copied()
                    .collect();
                FileCoverage {
                    file: f.path.clone(),
                    covered: f.covered.len(),
                    total: f.covered.len() + not_covered.len(),
                    not_covered,
                }
            })
            .collect();
        files.sort_by(|a, b| a.file.cmp(&b.file));
        Coverage {
            covered: files.iter().map(|f| f.covered).sum(),
            total: files.iter().map(|f| f.total).sum(),
            files,
        }
    }

    /// The human report: one line per file, then the total.
    pub fn render(&self) -> String {
        let mut out = String::from("coverage of rule and library files:\n");
        for file in &self.files {
            out.push_str(&format!(
                "  {}: {}/{} lines ({})",
                file.file,
                file.covered,
                file.total,
                percent(file.covered, file.total)
            ));
            if !file.not_covered.is_empty() {
                out.push_str(&format!(", not covered: {}", ranges(&file.not_covered)));
            }
            out.push('\n');
        }
        out.push_str(&format!(
            "total: {}/{} lines ({})\n",
            self.covered,
            self.total,
            percent(self.covered, self.total)
        ));
        out
    }
}

/// One decimal; a file with nothing to evaluate is fully covered.
fn percent(covered: usize, total: usize) -> String {
    if total == 0 {
        return "100.0%".into();
    }
    format!("{:.1}%", covered as f64 * 100.0 / total as f64)
}

/// `[3, 4, 5, 9, 12, 13]` → `3-5, 9, 12-13`.
pub fn ranges(lines: &[u32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut iter = lines.iter().copied().peekable();
    while let Some(start) = iter.next() {
        let mut end = start;
        while iter.peek() == Some(&(end + 1)) {
            end = iter.next().unwrap_or(end);
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_compact() {
        assert_eq!(ranges(&[3, 4, 5, 9, 12, 13]), "3-5, 9, 12-13");
        assert_eq!(ranges(&[7]), "7");
        assert_eq!(ranges(&[]), "");
    }

    #[test]
    fn percentages_have_one_decimal() {
        assert_eq!(percent(7, 8), "87.5%");
        assert_eq!(percent(2, 3), "66.7%");
        assert_eq!(percent(0, 0), "100.0%");
    }
}
