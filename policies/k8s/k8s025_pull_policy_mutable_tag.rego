# METADATA
# title: Image pulled once per node under a mutable tag
# description: |
#   With `imagePullPolicy: IfNotPresent` (the default for any tag but `latest`) or
#   `Never`, a node that has pulled `app:1.4` once keeps running that copy after the tag
#   is moved: pods of one Deployment run different code depending on the node they land
#   on, and a fixed image does not reach nodes that cached the broken one.
#   Decision: reported for an image not pinned by digest whose pull policy, written or
#   defaulted the way the API server defaults it, is not `Always`; at
#   `imagePullPolicy`, or at `image` when the policy is the default. An image pinned by
#   digest is immutable, so any policy is fine (K8S012 asks for the digest). Peers ask
#   for `Always` whatever the image; a digest makes `IfNotPresent` the better choice
#   (no registry round trip), so envgate does not.
# related_resources:
#   - ref: https://github.com/zegl/kube-score/blob/master/README_CHECKS.md
#     description: kube-score container-image-pull-policy
#   - ref: https://www.checkov.io/5.Policy%20Index/kubernetes.html
#     description: checkov CKV_K8S_15
#   - ref: https://polaris.docs.fairwinds.com/checks/reliability/
#     description: Polaris pullPolicyNotAlways
# custom:
#   id: K8S025
#   severity: warning
#   since: 1.1.0
#   reads: [kubernetes]
#   autofix: safe
#   per_file: true
#   category: Supply chain
#   remediation: |
#     In {{ vars.file }}, pin the image of {{ vars.workload }} container "{{ vars.container }}" by digest ({{ vars.container_path }}.image, see K8S012), or make every node check the registry:
#       imagePullPolicy: Always
package envgate.k8s.k8s025_pull_policy_mutable_tag

import data.envgate.k8s.fix_lib
import data.envgate.k8s.lib
import data.envgate.k8s.lib_containers
import rego.v1

deny contains finding if {
	some c in lib_containers.containers
	image := c.container.image
	is_string(image)
	image != ""
	not contains(image, "@")
	written := object.get(c.container, "imagePullPolicy", null)
	policy := effective(written, lib.image_ref(image).tag)
	policy != "Always"
	finding := {
		"msg": sprintf("%s runs image %s with imagePullPolicy %s%s: a node keeps the copy it pulled first when the tag is moved", [c.label, image, policy, defaulted(written)]),
		"location": {"file": c.file, "document": c.document, "path": array.concat(c.path, [key(written)])},
		"vars": c.vars,
		"fix": [fix_lib.yaml_set(c, array.concat(c.path, ["imagePullPolicy"]), "Always", true) | fix_lib.wanted],
	}
}

# The API server's default: Always for `latest` or no tag, IfNotPresent otherwise.
effective(written, _) := written if is_string(written)

effective(null, tag) := "Always" if tag in {"", "latest"}

effective(null, tag) := "IfNotPresent" if not tag in {"", "latest"}

defaulted(null) := " (the default for a tag other than latest)"

defaulted(written) := "" if written != null

key(null) := "image"

key(written) := "imagePullPolicy" if written != null
