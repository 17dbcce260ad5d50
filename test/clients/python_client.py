"""The Debian python3-kubernetes client, used as its README shows, against berth.

    python3 python_client.py KUBECONFIG NAMESPACE CONFIGMAP POD_SELECTOR

Prints one JSON line per step for the test to check. After the watch's ADDED it waits for the
test to change the ConfigMap (MODIFIED), then deletes it itself (DELETED). Exits non-zero with
{"step": "failed", ...} on any exception.
"""
import json
import sys
import traceback

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException


def say(step, **fields):
    print(json.dumps({"step": step, **fields}), flush=True)


def main(kubeconfig, namespace, name, pod_selector):
    config.load_kube_config(config_file=kubeconfig)
    v1 = client.CoreV1Api()
    host = v1.api_client.configuration.host
    say("config", host=host, verifiesTls=v1.api_client.configuration.verify_ssl, hasToken="authorization" in v1.api_client.configuration.api_key)

    namespaces = v1.list_namespace()
    say("namespaces", names=sorted(ns.metadata.name for ns in namespaces.items), resourceVersion=namespaces.metadata.resource_version)

    before = v1.list_namespaced_config_map(namespace)
    created = v1.create_namespaced_config_map(
        namespace,
        client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name, labels={"made-by": "python"}), data={"greeting": "hello"}),
    )
    say("created", name=created.metadata.name, uid=created.metadata.uid, resourceVersion=created.metadata.resource_version)

    read = v1.read_namespaced_config_map(name, namespace)
    say("read", name=read.metadata.name, uid=read.metadata.uid, data=read.data, labels=read.metadata.labels,
        created=read.metadata.creation_timestamp.isoformat())

    pods = v1.list_namespaced_pod(namespace, label_selector=pod_selector)
    say("pods", names=sorted(p.metadata.name for p in pods.items), phases=sorted({p.status.phase or "" for p in pods.items}))

    # From the list made before the create: the watch replays the ADDED, then follows.
    w = watch.Watch()
    for event in w.stream(v1.list_namespaced_config_map, namespace, resource_version=before.metadata.resource_version,
                          field_selector="metadata.name=" + name, timeout_seconds=30):
        cm = event["object"]
        say("event", type=event["type"], name=cm.metadata.name, resourceVersion=cm.metadata.resource_version, data=cm.data)
        if event["type"] == "ADDED":
            say("waiting")  # the test changes the ConfigMap now
        elif event["type"] == "MODIFIED":
            v1.delete_namespaced_config_map(name, namespace)
        elif event["type"] == "DELETED":
            w.stop()

    # A version from before the server's history: the client raises the server's 410.
    try:
        for _ in watch.Watch().stream(v1.list_namespaced_config_map, namespace, resource_version="1", timeout_seconds=5):
            pass
        say("expired", status=None)
    except ApiException as e:
        say("expired", status=e.status, reason=e.reason)

    say("done")


if __name__ == "__main__":
    try:
        main(*sys.argv[1:5])
    except Exception as e:  # the test shows what failed
        say("failed", error=repr(e), trace=traceback.format_exc())
        sys.exit(1)
