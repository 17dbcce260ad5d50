/**
 * Pod defaults, as upstream's `pkg/apis/core/v1/defaults.go` sets them. `defaultPodSpec` is what
 * every pod spec gets, in a Pod or in a template (Deployment, ReplicaSet, Job, CronJob): a
 * template and the ReplicaSet made from it must default identically, or a rollout would see a
 * changed template where there is none. `defaultPod` adds what only Pods get (requests from
 * limits, service links, host ports under hostNetwork).
 */
import type { Container, EnvVar, Pod, PodSpec, PodTemplateSpec, Probe, Volume } from '../../api/types';
import { onKind } from './kinds';

type AnyContainer = Omit<Container, 'name'> & { name: string };
type HTTPGet = NonNullable<Probe['httpGet']>;
type FieldRef = { apiVersion?: string };

export const DEFAULT_SCHEDULER = 'default-scheduler';
export const DEFAULT_TERMINATION_GRACE_SECONDS = 30;
/** 0644, the mode of files in secret, configMap, downwardAPI and projected volumes. */
const DEFAULT_FILE_MODE = 0o644;
const TOKEN_EXPIRATION_SECONDS = 3600;

export const podDefaults = onKind('pod-defaults', '', 'Pod', {
  mutate(obj) {
    defaultPod(obj as Pod);
  },
});

/** Everything a Pod gets: its spec's defaults and the Pod-only ones. */
export function defaultPod(pod: Pod): void {
  const spec = pod.spec;
  if (!spec) return;
  defaultPodSpec(spec);
  for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) requestsFromLimits(c);
  spec.enableServiceLinks ??= true;
  if (spec.hostNetwork) {
    for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
      for (const port of c.ports ?? []) if (!port.hostPort) port.hostPort = port.containerPort;
    }
  }
}

/** A template's defaults: those of its pod spec. */
export function defaultPodTemplate(template: PodTemplateSpec | undefined): void {
  if (template?.spec) defaultPodSpec(template.spec);
}

export function defaultPodSpec(spec: PodSpec): void {
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst';
  if (!spec.restartPolicy) spec.restartPolicy = 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= DEFAULT_TERMINATION_GRACE_SECONDS;
  if (!spec.schedulerName) spec.schedulerName = DEFAULT_SCHEDULER;
  const containers: AnyContainer[] = [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])];
  for (const c of containers) defaultContainer(c);
  for (const v of spec.volumes ?? []) defaultVolume(v);
}

/** Always for `:latest` or an image without tag or digest, IfNotPresent otherwise (upstream's ParseImageName). */
export function defaultPullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
  return imageTag(image ?? '') === 'latest' ? 'Always' : 'IfNotPresent';
}

function imageTag(image: string): string {
  if (image === '') return '';
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const colon = name.indexOf(':', name.lastIndexOf('/') + 1);
  if (colon >= 0) return name.slice(colon + 1);
  return at >= 0 ? '' : 'latest';
}

function defaultContainer(c: AnyContainer): void {
  if (!c.imagePullPolicy) c.imagePullPolicy = defaultPullPolicy(c.image);
  if (!c.terminationMessagePath) c.terminationMessagePath = '/dev/termination-log';
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = 'File';
  // Resources is a struct upstream, never absent: a server always answers `resources: {}`.
  c.resources ??= {};
  for (const port of c.ports ?? []) if (!port.protocol) port.protocol = 'TCP';
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) if (probe) defaultProbe(probe);
  for (const handler of [c.lifecycle?.postStart, c.lifecycle?.preStop]) if (handler?.httpGet) defaultHTTPGet(handler.httpGet);
  for (const env of c.env ?? []) defaultEnvSource(env);
}

function defaultProbe(probe: Probe): void {
  if (!probe.timeoutSeconds) probe.timeoutSeconds = 1;
  if (!probe.periodSeconds) probe.periodSeconds = 10;
  if (!probe.successThreshold) probe.successThreshold = 1;
  if (!probe.failureThreshold) probe.failureThreshold = 3;
  if (probe.httpGet) defaultHTTPGet(probe.httpGet);
}

function defaultHTTPGet(action: HTTPGet): void {
  if (!action.path) action.path = '/';
  if (!action.scheme) action.scheme = 'HTTP';
}

function defaultFieldRef(ref: FieldRef | undefined): void {
  if (ref && !ref.apiVersion) ref.apiVersion = 'v1';
}

function defaultEnvSource(env: EnvVar): void {
  const source = env.valueFrom;
  if (!source) return;
  defaultFieldRef(source.fieldRef);
  // A Quantity is a struct upstream: an unset divisor is written as "0".
  if (source.resourceFieldRef && source.resourceFieldRef.divisor === undefined) source.resourceFieldRef.divisor = '0';
}

function defaultVolume(volume: Volume): void {
  const sources = Object.keys(volume).filter((k) => k !== 'name');
  if (sources.length === 0) volume.emptyDir = {};
  if (volume.hostPath) volume.hostPath.type ??= '';
  if (volume.secret) volume.secret.defaultMode ??= DEFAULT_FILE_MODE;
  if (volume.configMap) volume.configMap.defaultMode ??= DEFAULT_FILE_MODE;
  if (volume.downwardAPI) {
    volume.downwardAPI.defaultMode ??= DEFAULT_FILE_MODE;
    for (const item of volume.downwardAPI.items ?? []) defaultFieldRef(item.fieldRef);
  }
  if (volume.projected) {
    volume.projected.defaultMode ??= DEFAULT_FILE_MODE;
    for (const source of volume.projected.sources ?? []) {
      if (source.serviceAccountToken) source.serviceAccountToken.expirationSeconds ??= TOKEN_EXPIRATION_SECONDS;
      for (const item of source.downwardAPI?.items ?? []) defaultFieldRef(item.fieldRef);
    }
  }
  const claim = volume.ephemeral?.volumeClaimTemplate?.spec;
  if (claim) claim.volumeMode ??= 'Filesystem';
}

/** A limit without a request is also the request (Pods only, not templates). */
function requestsFromLimits(c: Container): void {
  const limits = c.resources?.limits;
  if (!limits || !c.resources) return;
  const requests = (c.resources.requests ??= {});
  for (const [name, value] of Object.entries(limits)) if (requests[name] === undefined) requests[name] = value;
}
