/**
 * A pod made from a controller's pod template (upstream's controller.GetPodFromTemplate): the
 * template's labels, annotations, finalizers and spec, a name generated from the owner's, and a
 * controller ownerReference that blocks the owner's foreground deletion until the pod is gone.
 */
import type { Obj, OwnerReference } from '../../src/api/object';
import { nameProblems } from '../../src/api/names';
import { Invalid } from '../../src/api/errors';
import type { Pod, PodTemplateSpec } from '../../src/api/types';
import { clone } from '../../src/util/json';

/** The controller reference an owner puts on what it creates or adopts. */
export function controllerRef(owner: Obj): OwnerReference {
  return { apiVersion: owner.apiVersion!, kind: owner.kind!, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** `web-`, so the server names pods `web-x7k2q`; the bare name when `web-` would not be a valid prefix. */
export function podNamePrefix(ownerName: string): string {
  const prefix = `${ownerName}-`;
  return nameProblems(prefix, 'dns1123-subdomain', true).length === 0 ? prefix : ownerName;
}

export function podFromTemplate(template: PodTemplateSpec | undefined, owner: Obj): Pod {
  const labels = template?.metadata?.labels ?? {};
  if (Object.keys(labels).length === 0) {
    throw new Invalid(`${owner.kind} ${owner.metadata.namespace}/${owner.metadata.name}: unable to create pods: the template has no labels`, {
      causes: [{ reason: 'FieldValueRequired', field: 'spec.template.metadata.labels', message: 'Required value: pods need labels to be selected' }],
    });
  }
  const metadata: Pod['metadata'] = {
    generateName: podNamePrefix(owner.metadata.name!),
    namespace: owner.metadata.namespace,
    labels: { ...labels },
    ownerReferences: [controllerRef(owner)],
  };
  if (template?.metadata?.annotations) metadata.annotations = { ...template.metadata.annotations };
  if (template?.metadata?.finalizers) metadata.finalizers = [...template.metadata.finalizers];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: clone(template?.spec) } as Pod;
}
