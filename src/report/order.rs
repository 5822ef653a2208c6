//! The report's order of findings, and merging findings sorted in parts (the batches
//! of a large check) into it.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::collections::binary_heap::PeekMut;

use super::Finding;

/// The report's order: most severe first, then by id, place, subject and message.
pub fn finding_order(a: &Finding, b: &Finding) -> Ordering {
    b.severity
        .cmp(&a.severity)
        .then_with(|| a.id.cmp(&b.id))
        .then_with(|| a.location.cmp(&b.location))
        .then_with(|| a.subject.cmp(&b.subject))
        .then_with(|| a.message.cmp(&b.message))
}

/// Sorts `findings` into the report's order (stably: equal findings keep their order).
/// Boxed findings (a large check's) sort by moving pointers.
pub fn sort_findings<F: Borrow<Finding>>(findings: &mut [F]) {
    findings.sort_by(|a, b| finding_order(a.borrow(), b.borrow()));
}

/// `runs`, each already in the report's order, as one list in that order: exactly what
/// a stable sort of their concatenation gives (of findings equal in the order, those of
/// an earlier run first), in one pass. Sorting the concatenation of 64 batches of a
/// 150,000-finding check moved every finding six times and took a scratch copy of half
/// of them; each run's buffer is freed here as soon as it is used up. A large check's
/// findings are boxed: merging moves pointers, and the findings are not held twice.
pub fn merge_sorted<F: Borrow<Finding>>(runs: Vec<Vec<F>>) -> Vec<F> {
    let total = runs.iter().map(Vec::len).sum();
    let mut merged = Vec::with_capacity(total);
    let mut runs: Vec<std::vec::IntoIter<F>> = runs.into_iter().map(Vec::into_iter).collect();
    let mut heads: BinaryHeap<Head<F>> = (runs.iter_mut().enumerate())
        .filter_map(|(run, findings)| {
            Some(Head {
                finding: findings.next()?,
                run,
            })
        })
        .collect();
    while let Some(mut head) = heads.peek_mut() {
        match runs[head.run].next() {
            Some(next) => merged.push(std::mem::replace(&mut head.finding, next)),
            None => {
                let head = PeekMut::pop(head);
                runs[head.run] = Vec::new().into_iter();
                merged.push(head.finding);
            }
        }
    }
    merged
}

/// The next finding of a run, in a max-heap that must yield the least finding (the
/// earliest run's among equal ones) first: the order reversed.
struct Head<F> {
    finding: F,
    run: usize,
}

impl<F: Borrow<Finding>> Ord for Head<F> {
    fn cmp(&self, other: &Self) -> Ordering {
        finding_order(other.finding.borrow(), self.finding.borrow())
            .then_with(|| other.run.cmp(&self.run))
    }
}

impl<F: Borrow<Finding>> PartialOrd for Head<F> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<F: Borrow<Finding>> PartialEq for Head<F> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl<F: Borrow<Finding>> Eq for Head<F> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Severity;
    use crate::report::Location;

    /// A finding whose place in the order is (severity, id, file, line); `tag` is not
    /// part of the order, so equal findings can be told apart.
    fn finding(severity: Severity, id: &str, file: &str, line: usize, tag: usize) -> Finding {
        Finding {
            id: id.into(),
            name: "".into(),
            pack: "k8s".into(),
            severity,
            category: "".into(),
            title: "".into(),
            message: "m".into(),
            location: Some(Location {
                file: file.into(),
                line: Some(line),
                column: None,
                snippet: None,
                snippet_offset: None,
            }),
            subject: None,
            remediation: String::new(),
            evidence: [("tag".to_string(), serde_json::json!(tag))]
                .into_iter()
                .collect(),
            waiver: None,
            fix: Vec::new(),
        }
    }

    #[test]
    fn merging_sorted_runs_is_a_stable_sort_of_their_concatenation() {
        let severities = [Severity::Info, Severity::Warning, Severity::Error];
        // A small linear congruential generator: many shapes, the same on every run.
        let mut state: u64 = 7;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            usize::try_from((state >> 33) % n).unwrap()
        };
        for case in 0..200 {
            let mut tag = 0;
            let runs: Vec<Vec<Finding>> = (0..next(6))
                .map(|_| {
                    let mut run: Vec<Finding> = (0..next(12))
                        .map(|_| {
                            tag += 1;
                            // Few values of each key: many findings equal in the order.
                            finding(
                                severities[next(3)],
                                ["K8S001", "K8S002", "K8S010"][next(3)],
                                ["a.yaml", "b.yaml"][next(2)],
                                next(3),
                                tag,
                            )
                        })
                        .collect();
                    sort_findings(&mut run);
                    run
                })
                .collect();
            let mut expected: Vec<Finding> = runs.concat();
            sort_findings(&mut expected);
            assert_eq!(merge_sorted(runs), expected, "case {case}");
        }
    }
}
