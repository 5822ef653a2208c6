# METADATA
# title: Sensitive hostPath mount
# description: |
#   A hostPath volume mounts a directory of the node into the pod. Mounting the node's
#   root, /etc, /proc, /sys, /dev, /boot, /usr or /lib gives the container the node's
#   credentials, kernel knobs, devices or binaries to replace; mounting the container
#   runtime's socket (docker.sock, containerd.sock) lets it start a privileged container
#   of its own, which is root on the node.
#   Decision: the path is compared after removing trailing slashes. Sensitive are `/`,
#   `/etc`, `/proc`, `/sys`, `/dev`, `/boot`, `/usr`, `/lib`, `/run` and `/var/run`
#   (they hold the runtime sockets), and any path ending in `/docker.sock`,
#   `/containerd.sock` or `/crio.sock`. Subdirectories (e.g. /var/log) are not reported.
#   The message names the containers that mount the volume.
# related_resources:
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=sensitive-host-mounts
#     description: kube-linter sensitive-host-mounts
#   - ref: https://docs.kubelinter.io/#/generated/checks?id=docker-sock
#     description: kube-linter docker-sock
#   - ref: https://www.checkov.io/5.Policy%20Index/kubernetes.html
#     description: checkov CKV_K8S_27
# custom:
#   id: K8S015
#   severity: error
#   since: 1.0.0
#   per_file: true
#   category: Security
#   remediation: |
#     In {{ vars.file }}, remove the hostPath volume "{{ vars.volume }}" ({{ vars.volume_path }}) of {{ vars.workload }} and the volumeMounts that use it.
#     Give the pod what it needs another way: a ConfigMap or Secret for configuration, an emptyDir for scratch space, the Kubernetes API instead of the runtime socket.
package envgate.k8s.k8s015_sensitive_host_path

import data.envgate.k8s.lib
import data.envgate.k8s.lib_containers
import data.envgate.k8s.lib_pods
import rego.v1

sensitive_dirs := {"/", "/etc", "/proc", "/sys", "/dev", "/boot", "/usr", "/lib", "/run", "/var/run"}

runtime_sockets := {"docker.sock", "containerd.sock", "crio.sock"}

sensitive(path) if path in sensitive_dirs

sensitive(path) if {
	some socket in runtime_sockets
	endswith(path, sprintf("/%s", [socket]))
}

normalized(path) := "/" if {
	trim_right(path, "/") == ""
} else := trim_right(path, "/")

deny contains finding if {
	some pod in lib_pods.pod_specs
	some i, volume in lib.list(pod.spec.volumes)
	is_object(volume)
	host_path := object.get(volume, ["hostPath", "path"], null)
	is_string(host_path)
	host_path != ""
	sensitive(normalized(host_path))
	volume_name := lib.text(volume.name)
	users := sort({sprintf("%q", [lib.container_name(c)]) |
		some c in lib_containers.containers
		c.pod == pod
		some mount in lib.list(c.container.volumeMounts)
		is_object(mount)
		mount.name == volume_name
	})
	volume_path := array.concat(pod.path, ["volumes", i])
	finding := {
		"msg": sprintf("%s mounts the node's %s (hostPath volume %q%s)", [lib.label(pod), host_path, volume_name, used_by(users)]),
		"location": lib.location(pod, array.concat(volume_path, ["hostPath", "path"])),
		"vars": object.union(lib.pod_vars(pod), {"volume": volume_name, "host_path": host_path, "volume_path": lib.dotted(volume_path)}),
	}
}

used_by([]) := ""

used_by(users) := sprintf(", used by %s", [concat(", ", users)]) if count(users) > 0
