# METADATA
# title: Image tag latest, missing, or not pinned by digest
# description: |
#   An image without a tag means `:latest`, and `:latest` (like any tag) moves: two
#   nodes can run different code under one manifest, a rollback pulls the same moving
#   target, and whoever can push to the repository changes what runs. Only a digest
#   (`@sha256:…`) names exactly one image.
#   Decision: severity per finding: no tag and no digest, or the tag `latest`, is an
#   error; any other tag without a digest is info. An image with a digest passes
#   whatever its tag (the digest wins when both are given). The tag is what follows the
#   last `:` after the last `/`, so a registry port (`registry:5000/app`) is not a tag.
# related_resources:
#   - ref: https://polaris.docs.fairwinds.com/checks/reliability/
#     description: Polaris tagNotSpecified
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=latest-tag
#     description: kube-linter latest-tag
#   - ref: https://www.checkov.io/5.Policy%20Index/kubernetes.html
#     description: checkov CKV_K8S_14, CKV_K8S_43
#   - ref: https://github.com/zegl/kube-score/blob/master/README_CHECKS.md
#     description: kube-score container-image-tag
# custom:
#   id: K8S012
#   severity: error
#   since: 1.0.0
#   reads: [kubernetes]
#   per_file: true
#   category: Supply chain
#   remediation: |
#     In {{ vars.file }}, pin the image of {{ vars.workload }} container "{{ vars.container }}" ({{ vars.container_path }}.image) by digest:
#       image: {{ vars.repository }}:{% if vars.tag and vars.tag != "latest" %}{{ vars.tag }}{% else %}<version>{% endif %}@sha256:<digest>
#     The digest of a tag is printed by `docker buildx imagetools inspect {{ vars.repository }}:{% if vars.tag and vars.tag != "latest" %}{{ vars.tag }}{% else %}<tag>{% endif %}` (or `crane digest`); tools such as Renovate keep pinned digests up to date.
package envgate.k8s.k8s012_image_not_pinned

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
	ref := lib.image_ref(image)
	case := case_of(ref.tag)
	finding := {
		"msg": message(case, c.label, image),
		"severity": severity[case],
		"location": {"file": c.file, "document": c.document, "path": array.concat(c.path, ["image"])},
		"vars": object.union(c.vars, {"image": image, "repository": ref.repository, "tag": ref.tag}),
		"fix": [fix_lib.yaml_needs(c, array.concat(c.path, ["image"]), pinned(ref), sprintf("the digest of %s (`docker buildx imagetools inspect` or `crane digest` prints it)%s", [image, version_needed(ref.tag)])) | fix_lib.wanted],
	}
}

case_of("") := "untagged"

case_of("latest") := "latest"

case_of(tag) := "tagged" if not tag in {"", "latest"}

severity := {"untagged": "error", "latest": "error", "tagged": "info"}

message("untagged", label, image) := sprintf("%s uses image %s with no tag, which means :latest: what runs changes whenever someone pushes", [label, image])

message("latest", label, image) := sprintf("%s uses image %s: what runs changes whenever someone pushes", [label, image])

message("tagged", label, image) := sprintf("%s uses image %s by tag, not pinned by digest (@sha256:…): the tag can be moved to other content", [label, image])

# The image pinned by digest, with `<version>` for a missing or latest tag and
# `<digest>` for the digest, which only the registry knows.
pinned(ref) := text if {
	not ref.tag in {"", "latest"}
	text := sprintf("%s:%s@sha256:<digest>", [ref.repository, ref.tag])
	is_string(text)  # holds for any defined value (L012)
} else := sprintf("%s:<version>@sha256:<digest>", [ref.repository])

version_needed(tag) := ", and the version to run in place of <version>" if tag in {"", "latest"} else := ", in place of <digest>"
