/** core/v1 cluster-scoped kinds: Namespace and Node. */
import * as t from 'io-ts';
import { atomicList, described, enumOf, mergeList, preserveUnknown, setList, struct } from '../codecs';
import { int32, int64, resourceList, time } from '../scalars';
import { ConditionStatus } from './core-common';
import { Taint } from './core-scheduling';
import { resource } from './meta';

export const NamespaceCondition = struct(
  'NamespaceCondition',
  { type: t.string, status: ConditionStatus },
  { lastTransitionTime: time, reason: t.string, message: t.string },
);

export const Namespace = resource(
  'v1',
  'Namespace',
  'Namespace provides a scope for names; deleting it deletes everything in it.',
  {},
  {
    spec: described(
      struct('NamespaceSpec', {}, { finalizers: described(atomicList(t.string), 'Must be empty before the namespace is removed.') }),
      'The behaviour of the Namespace.',
    ),
    status: described(
      struct(
        'NamespaceStatus',
        {},
        {
          phase: described(enumOf('NamespacePhase', ['Active', 'Terminating']), 'Active, or Terminating while its content is deleted.'),
          conditions: described(mergeList(NamespaceCondition, 'type'), 'The latest observations of the namespace state.'),
        },
      ),
      'The current status of the Namespace.',
    ),
  },
);
export type Namespace = t.TypeOf<typeof Namespace>;

export const NodeSpec = struct(
  'NodeSpec',
  {},
  {
    podCIDR: described(t.string, 'The pod IP range assigned to the node.'),
    podCIDRs: described(setList(t.string, { merge: true }), 'The pod IP ranges assigned to the node, the first equal to podCIDR.'),
    providerID: described(t.string, 'ID of the node assigned by the cloud provider.'),
    unschedulable: described(t.boolean, 'No new pods are placed on the node (cordon).'),
    taints: described(atomicList(Taint), "The node's taints."),
    configSource: described(preserveUnknown, 'Deprecated; ignored.'),
    externalID: described(t.string, 'Deprecated; ignored.'),
  },
);
export type NodeSpec = t.TypeOf<typeof NodeSpec>;

export const NodeCondition = struct(
  'NodeCondition',
  {
    type: described(t.string, 'Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable...'),
    status: described(ConditionStatus, 'True, False or Unknown.'),
  },
  {
    lastHeartbeatTime: described(time, 'When the agent last reported this condition.'),
    lastTransitionTime: described(time, 'When the status last changed.'),
    reason: t.string,
    message: t.string,
  },
);
export type NodeCondition = t.TypeOf<typeof NodeCondition>;

export const NodeAddress = struct('NodeAddress', {
  type: described(t.string, 'Hostname, ExternalIP, InternalIP, ExternalDNS or InternalDNS.'),
  address: described(t.string, 'The address.'),
});
export type NodeAddress = t.TypeOf<typeof NodeAddress>;

export const NodeSystemInfo = struct(
  'NodeSystemInfo',
  {
    machineID: t.string,
    systemUUID: t.string,
    bootID: t.string,
    kernelVersion: described(t.string, 'Kernel version reported by uname -r.'),
    osImage: described(t.string, 'OS image reported by the node, from /etc/os-release.'),
    containerRuntimeVersion: described(t.string, 'Container runtime version, <runtime>://<version>.'),
    kubeletVersion: described(t.string, 'Version of the node agent.'),
    kubeProxyVersion: described(t.string, 'Deprecated: version of the service proxy.'),
    operatingSystem: t.string,
    architecture: t.string,
  },
  { swap: struct('NodeSwapStatus', {}, { capacity: int64 }) },
);

export const ContainerImage = struct(
  'ContainerImage',
  {},
  {
    names: described(atomicList(t.string), 'Names by which the image is known.'),
    sizeBytes: described(int64, 'The size of the image in bytes.'),
  },
);

export const NodeStatus = struct(
  'NodeStatus',
  {},
  {
    capacity: described(resourceList, 'Total resources of the node.'),
    allocatable: described(resourceList, 'Resources of the node available to pods; placement uses these.'),
    phase: described(enumOf('NodePhase', ['Pending', 'Running', 'Terminated']), 'Deprecated lifecycle phase.'),
    conditions: described(mergeList(NodeCondition, 'type'), 'Current observed node conditions.'),
    addresses: described(mergeList(NodeAddress, 'type', { atomic: true }), 'Addresses reachable to the node.'),
    daemonEndpoints: described(
      struct('NodeDaemonEndpoints', {}, { kubeletEndpoint: struct('DaemonEndpoint', { Port: int32 }) }),
      'Endpoints of daemons running on the node.',
    ),
    nodeInfo: described(NodeSystemInfo, 'Facts about the node: versions, OS, architecture.'),
    images: described(atomicList(ContainerImage), 'Images present on the node.'),
    volumesInUse: described(atomicList(t.string), 'Volumes in use (mounted) by the node.'),
    volumesAttached: described(
      atomicList(struct('AttachedVolume', { name: t.string, devicePath: t.string })),
      'Volumes attached to the node.',
    ),
    config: described(preserveUnknown, 'Deprecated; ignored.'),
    runtimeHandlers: described(
      atomicList(
        struct(
          'NodeRuntimeHandler',
          {},
          { name: t.string, features: struct('NodeRuntimeHandlerFeatures', {}, { recursiveReadOnlyMounts: t.boolean, userNamespaces: t.boolean }) },
        ),
      ),
      'Available runtime handlers.',
    ),
    features: described(struct('NodeFeatures', {}, { supplementalGroupsPolicy: t.boolean }), 'Features implemented by the node.'),
  },
);
export type NodeStatus = t.TypeOf<typeof NodeStatus>;

export const Node = resource(
  'v1',
  'Node',
  'Node is a host that runs pods; its agent registers it and reports its status.',
  {},
  {
    spec: described(NodeSpec, 'The behaviour of the node.'),
    status: described(NodeStatus, 'The most recently observed status of the node; written by its agent.'),
  },
);
export type Node = t.TypeOf<typeof Node>;
