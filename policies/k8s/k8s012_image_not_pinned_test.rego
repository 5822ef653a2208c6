package envgate.k8s.k8s012_image_not_pinned_test

import data.envgate.k8s.k8s012_image_not_pinned as rule
import data.envgate.k8s.lib_test as t
import rego.v1

finding_for(image) := f if {
	[f] := [x | some x in rule.deny] with input as t.input_of(t.with_container({"image": image}))
}

test_error_without_a_tag if {
	f := finding_for("registry.example.com:5000/shop/web")
	f.msg == `Deployment/web container "app" uses image registry.example.com:5000/shop/web with no tag, which means :latest: what runs changes whenever someone pushes`
	f.severity == "error"
	f.location == t.at(array.concat(t.container_path, ["image"]))
	f.vars.repository == "registry.example.com:5000/shop/web"
	f.vars.tag == ""
}

test_error_on_latest if {
	f := finding_for("nginx:latest")
	f.msg == `Deployment/web container "app" uses image nginx:latest: what runs changes whenever someone pushes`
	f.severity == "error"
}

test_info_when_tagged_but_not_pinned if {
	f := finding_for("registry.example.com:5000/shop/web:1.4.2")
	f.msg == `Deployment/web container "app" uses image registry.example.com:5000/shop/web:1.4.2 by tag, not pinned by digest (@sha256:…): the tag can be moved to other content`
	f.severity == "info"
	f.vars.repository == "registry.example.com:5000/shop/web"
	f.vars.tag == "1.4.2"
}

test_quiet_with_a_digest_even_on_latest if {
	inp := t.input_of(t.with_container({"image": "nginx:latest@sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"}))
	count(rule.deny) == 0 with input as inp
}
