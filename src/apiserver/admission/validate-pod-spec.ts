/**
 * A pod spec, in a Pod or in a template (upstream's ValidatePodSpec and ValidatePodTemplateSpec):
 * containers (at least one, names unique across containers and init containers), volumes (names
 * unique, one source each), host ports, DNS, deadlines, node selector and tolerations.
 */
import type { Cause } from '../../api/errors';
import { isQualifiedName, isValidLabelValue, validateAnnotations } from '../../api/names';
import type { PodSpec, PodTemplateSpec, Toleration, Volume } from '../../api/types';
import { child, duplicate, forbidden, index, invalid, required } from './field-errors';
import { containerCauses, ContainerContext } from './validate-container';
import { dnsLabelCauses, labelCauses } from './validate-common';

const INT32_MAX = 2 ** 31 - 1;

/** Where a pod spec sits, which changes a few rules. */
export type PodSpecUse = 'pod' | 'template';

export function podSpecCauses(spec: PodSpec, path: string, use: PodSpecUse): Cause[] {
  const volumeCheck = volumeCauses(spec.volumes ?? [], child(path, 'volumes'));
  const causes = [...volumeCheck.causes];
  const names = new Set<string>();
  const containers = spec.containers ?? [];
  if (containers.length === 0) causes.push(required(child(path, 'containers')));
  for (const kind of ['containers', 'initContainers', 'ephemeralContainers'] as const) {
    const context: ContainerContext = { names, volumes: volumeCheck.names, kind };
    (spec[kind] ?? []).forEach((c, i) => causes.push(...containerCauses(c, index(child(path, kind), i), context)));
  }
  if ((spec.ephemeralContainers ?? []).length > 0) {
    causes.push(
      forbidden(child(path, 'ephemeralContainers'), use === 'template' ? 'ephemeral containers not allowed in pod template' : 'cannot be set on create'),
    );
  }
  causes.push(...hostPortCauses(spec, path));
  if (spec.dnsPolicy === 'None' && !spec.dnsConfig) causes.push(required(child(path, 'dnsConfig'), 'must provide `dnsConfig` when `dnsPolicy` is None'));
  const deadline = spec.activeDeadlineSeconds;
  if (deadline !== undefined && (deadline < 1 || deadline > INT32_MAX)) {
    causes.push(invalid(child(path, 'activeDeadlineSeconds'), deadline, `must be between 1 and ${INT32_MAX}, inclusive`));
  }
  causes.push(...labelCauses(spec.nodeSelector, child(path, 'nodeSelector')));
  (spec.tolerations ?? []).forEach((t, i) => causes.push(...tolerationCauses(t, index(child(path, 'tolerations'), i))));
  if (spec.hostname) causes.push(...dnsLabelCauses(spec.hostname, child(path, 'hostname')));
  if (spec.subdomain) causes.push(...dnsLabelCauses(spec.subdomain, child(path, 'subdomain')));
  return causes;
}

/** A template: its labels and annotations (at upstream's paths) and its pod spec. */
export function podTemplateCauses(template: PodTemplateSpec | undefined, path: string): Cause[] {
  if (!template) return [required(path)];
  const causes = [
    // upstream names these `<template>.labels`, not `<template>.metadata.labels`.
    ...labelCauses(template.metadata?.labels, child(path, 'labels')),
    ...validateAnnotations(template.metadata?.annotations ?? {}, child(path, 'annotations')),
  ];
  if (!template.spec) causes.push(required(child(path, 'spec')));
  else causes.push(...podSpecCauses(template.spec, child(path, 'spec'), 'template'));
  return causes;
}

const volumeSources = (volume: Volume): string[] => Object.keys(volume).filter((k) => k !== 'name' && volume[k as keyof Volume] !== undefined);

function volumeCauses(volumes: Volume[], path: string): { causes: Cause[]; names: Set<string> } {
  const causes: Cause[] = [];
  const names = new Set<string>();
  volumes.forEach((volume, i) => {
    const at = index(path, i);
    if (!volume.name) causes.push(required(child(at, 'name')));
    else {
      causes.push(...dnsLabelCauses(volume.name, child(at, 'name')));
      if (names.has(volume.name)) causes.push(duplicate(child(at, 'name'), volume.name));
      else names.add(volume.name);
    }
    const sources = volumeSources(volume);
    if (sources.length === 0) causes.push(required(at, 'must specify a volume type'));
    for (const extra of sources.slice(1)) causes.push(forbidden(child(at, extra), 'may not specify more than 1 volume type'));
    if (volume.hostPath && !volume.hostPath.path) causes.push(required(child(child(at, 'hostPath'), 'path')));
    if (volume.secret && !volume.secret.secretName) causes.push(required(child(child(at, 'secret'), 'secretName')));
    if (volume.configMap && !volume.configMap.name) causes.push(required(child(child(at, 'configMap'), 'name')));
    if (volume.persistentVolumeClaim && !volume.persistentVolumeClaim.claimName) {
      causes.push(required(child(child(at, 'persistentVolumeClaim'), 'claimName')));
    }
  });
  return { causes, names };
}

/** Host ports are unique per host IP and protocol across the pod; with hostNetwork they equal the container port. */
function hostPortCauses(spec: PodSpec, path: string): Cause[] {
  const causes: Cause[] = [];
  const taken = new Set<string>();
  for (const field of ['containers', 'initContainers'] as const) {
    (spec[field] ?? []).forEach((c, i) => {
      (c.ports ?? []).forEach((port, j) => {
        const at = index(child(index(child(path, field), i), 'ports'), j);
        if (spec.hostNetwork && port.hostPort && port.hostPort !== port.containerPort) {
          causes.push(invalid(child(at, 'containerPort'), port.containerPort, 'must match `hostPort` when `hostNetwork` is true'));
        }
        if (!port.hostPort) return;
        const id = `${port.hostIP ?? ''}/${port.protocol ?? 'TCP'}/${port.hostPort}`;
        if (taken.has(id)) causes.push(duplicate(child(at, 'hostPort'), id));
        else taken.add(id);
      });
    });
  }
  return causes;
}

function tolerationCauses(toleration: Toleration, path: string): Cause[] {
  const causes: Cause[] = [];
  if (toleration.key) for (const p of isQualifiedName(toleration.key)) causes.push(invalid(child(path, 'key'), toleration.key, p));
  const operator = toleration.operator || 'Equal';
  if (!toleration.key && operator !== 'Exists') {
    causes.push(
      invalid(child(path, 'operator'), toleration.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'),
    );
  }
  if (toleration.tolerationSeconds !== undefined && toleration.effect !== 'NoExecute') {
    causes.push(invalid(child(path, 'effect'), toleration.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
  }
  if (operator === 'Equal') {
    for (const p of isValidLabelValue(toleration.value ?? '')) causes.push(invalid(child(path, 'operator'), toleration.value ?? '', p));
  } else if (operator === 'Exists' && toleration.value) {
    causes.push(invalid(child(path, 'operator'), toleration, "value must be empty when `operator` is 'Exists'"));
  }
  return causes;
}
