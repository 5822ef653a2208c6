//! The YAML edits on real shapes: block and flow, comments kept, refusals.

use super::*;

fn steps(path: &str) -> Vec<Step> {
    path.split('/')
        .map(|s| match s.parse() {
            Ok(i) => Step::Index(i),
            Err(_) => Step::Key(s.to_string()),
        })
        .collect()
}

const POD: &str = "\
# a comment that stays
apiVersion: v1
kind: Pod
metadata:
  name: web   # the name
spec:
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      allowPrivilegeEscalation: true # on purpose?
      capabilities:
        drop:
          - NET_RAW
    ports:
    - containerPort: 80
---
apiVersion: v1
kind: ServiceAccount
metadata: {}
";

#[test]
fn an_existing_value_is_replaced_in_place() {
    let out = set(
        POD,
        0,
        &steps("spec/containers/0/securityContext/allowPrivilegeEscalation"),
        &serde_json::json!(false),
    )
    .unwrap();
    assert_eq!(
        out,
        POD.replace(
            "allowPrivilegeEscalation: true # on purpose?",
            "allowPrivilegeEscalation: false # on purpose?"
        )
    );
}

#[test]
fn missing_keys_are_added_at_the_mapping_s_indentation() {
    let out = set(
        POD,
        0,
        &steps("spec/containers/0/securityContext/seccompProfile/type"),
        &serde_json::json!("RuntimeDefault"),
    )
    .unwrap();
    assert!(
        out.contains(
            "          - NET_RAW\n      seccompProfile:\n        type: RuntimeDefault\n    ports:\n"
        ),
        "{out}"
    );
    let out = set(
        &out,
        0,
        &steps("spec/automountServiceAccountToken"),
        &serde_json::json!(false),
    )
    .unwrap();
    assert!(
        out.contains("    - containerPort: 80\n  automountServiceAccountToken: false\n---"),
        "{out}"
    );
    assert!(out.starts_with("# a comment that stays\n"));
}

#[test]
fn sequences_get_an_item_and_flow_mappings_their_first_key() {
    let out = set(
        POD,
        0,
        &steps("spec/containers/0/securityContext/capabilities/drop/1"),
        &serde_json::json!("ALL"),
    )
    .unwrap();
    assert!(
        out.contains("          - NET_RAW\n          - ALL\n"),
        "{out}"
    );
    let out = set(
        POD,
        1,
        &steps("metadata/name"),
        &serde_json::json!("builder"),
    )
    .unwrap();
    assert!(out.ends_with("metadata:\n  name: builder\n"), "{out}");
    let out = set(
        POD,
        0,
        &steps("spec/containers/0/resources/limits"),
        &serde_json::json!({"memory": "128Mi"}),
    )
    .unwrap();
    assert!(
        out.contains("    resources:\n      limits:\n        memory: \"128Mi\"\n"),
        "{out}"
    );
}

#[test]
fn keys_are_deleted_with_their_block() {
    let out = delete(
        POD,
        0,
        &steps("spec/containers/0/securityContext/capabilities"),
    )
    .unwrap();
    assert!(
        out.contains("allowPrivilegeEscalation: true # on purpose?\n    ports:"),
        "{out}"
    );
    assert_eq!(
        delete(
            &out,
            0,
            &steps("spec/containers/0/securityContext/capabilities")
        )
        .unwrap(),
        out
    );
}

#[test]
fn sequence_items_are_deleted_with_their_lines() {
    let env = "\
spec:
  containers:
    - name: app
      env:
        - name: MODE   # first
          value: a
        # a comment that stays
        - name: PORT
          value: \"8080\"
        - name: MODE
          value: b
      securityContext:
        capabilities:
          add: [NET_ADMIN, \"SYS_PTRACE\", CHOWN]
          drop:
          - NET_RAW
";
    let out = delete(env, 0, &steps("spec/containers/0/env/0")).unwrap();
    assert!(
        out.contains("      env:\n        # a comment that stays\n        - name: PORT\n"),
        "{out}"
    );
    for (index, expected) in [
        (0, "add: [\"SYS_PTRACE\", CHOWN]"),
        (1, "add: [NET_ADMIN, CHOWN]"),
        (2, "add: [NET_ADMIN, \"SYS_PTRACE\"]"),
    ] {
        let path = format!("spec/containers/0/securityContext/capabilities/add/{index}");
        let out = delete(env, 0, &steps(&path)).unwrap();
        assert!(out.contains(expected), "{out}");
    }
    // The last item of a block sequence leaves an empty one, not null.
    let out = delete(
        env,
        0,
        &steps("spec/containers/0/securityContext/capabilities/drop/0"),
    )
    .unwrap();
    assert!(out.ends_with("          drop: []\n"), "{out}");
    let one = "a:\n  b: [x]\n";
    assert_eq!(delete(one, 0, &steps("a/b/0")).unwrap(), "a:\n  b: []\n");
    // Several deletes of one sequence, in any order, remove the items named.
    let edits: Vec<Edit> = [0, 2, 1]
        .iter()
        .map(|i| Edit {
            file: "f.yaml".into(),
            op: Op::YamlDelete {
                document: 0,
                path: steps(&format!(
                    "spec/containers/0/securityContext/capabilities/add/{i}"
                )),
            },
            safe: true,
            needs: None,
        })
        .collect();
    let refs: Vec<&Edit> = edits.iter().collect();
    let out = apply_yaml_edits(env, &refs).unwrap();
    assert!(out.contains("          add: []\n"), "{out}");
    assert_eq!(apply_yaml_edits(&out, &refs).unwrap(), out);
}

#[test]
fn flow_mappings_are_edited_in_flow_style() {
    let flow = "apiVersion: v1\nkind: Pod\nspec: {containers: [{name: a, securityContext: {privileged: true}}]}\n";
    let out = set(
        flow,
        0,
        &steps("spec/containers/0/securityContext/privileged"),
        &serde_json::json!(false),
    )
    .unwrap();
    assert!(out.contains("{privileged: false}}]}"), "{out}");
    let out = set(
        &out,
        0,
        &steps("spec/containers/0/securityContext/seccompProfile/type"),
        &serde_json::json!("RuntimeDefault"),
    )
    .unwrap();
    assert!(
        out.contains("{seccompProfile: {type: RuntimeDefault}, privileged: false}"),
        "{out}"
    );
    let out = set(
        &out,
        0,
        &steps("spec/hostNetwork"),
        &serde_json::json!(false),
    )
    .unwrap();
    assert!(
        out.contains("spec: {hostNetwork: false, containers:"),
        "{out}"
    );
}

#[test]
fn what_cannot_be_edited_in_place_is_refused() {
    // A new item of a flow sequence, a quoted flow value.
    let flow = "apiVersion: v1\nkind: Pod\nspec: {containers: [{name: a}], x: \"b\"}\n";
    assert!(
        set(
            flow,
            0,
            &steps("spec/containers/1"),
            &serde_json::json!("c")
        )
        .is_err()
    );
    assert!(set(flow, 0, &steps("spec/x"), &serde_json::json!("c")).is_err());
    assert!(set(POD, 0, &steps("spec/containers/5/x"), &serde_json::json!(1)).is_err());
    assert!(set("a: [\n", 0, &steps("a"), &serde_json::json!(1)).is_err());
}

fn budget() -> serde_json::Value {
    serde_json::json!({
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": {"name": "web-pdb", "namespace": "shop"},
        "spec": {"maxUnavailable": 1, "selector": {"matchLabels": {"app": "web", "tier": "front end"}}},
    })
}

#[test]
fn items_that_are_mappings_are_written_in_flow_style() {
    let mut content = budget();
    content["spec"]["selector"] = serde_json::json!({
        "matchExpressions": [{"key": "tier", "operator": "In", "values": ["front", "edge one"]}],
    });
    let out = add_document("kind: Service\n", &content).unwrap();
    assert!(
        out.contains("\n    matchExpressions:\n      - {key: tier, operator: In, values: [front, \"edge one\"]}\n"),
        "{out}"
    );
}

#[test]
fn a_document_is_added_after_the_last_once() {
    let out = add_document(POD, &budget()).unwrap();
    assert!(
        out.starts_with(POD),
        "the file before it is kept byte for byte"
    );
    assert_eq!(
        &out[POD.len()..],
        "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web-pdb\n  namespace: shop\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: web\n      tier: \"front end\"\n"
    );
    // Applied again, nothing changes: the file already has a document that reads so.
    assert_eq!(add_document(&out, &budget()).unwrap(), out);
    // Line endings and a last line without one are kept as the file has them.
    let crlf = "kind: Service\r\nmetadata: {name: web}";
    let out = add_document(crlf, &budget()).unwrap();
    assert!(out.starts_with("kind: Service\r\nmetadata: {name: web}\r\n---\r\napiVersion:"));
    assert!(!out.replace("\r\n", "").contains('\n'));
}

#[test]
fn a_trailing_separator_is_reused_and_bad_input_refused() {
    // A file ending in `---` gets no second one.
    let out = add_document("kind: Service\n---\n", &budget()).unwrap();
    assert!(
        out.starts_with("kind: Service\n---\napiVersion: policy/v1\n"),
        "{out}"
    );
    // A file that does not parse is not edited.
    assert!(add_document("a: [1,\n", &budget()).is_err());
    assert!(add_document("a: 1\n", &serde_json::json!([1])).is_err());
}
