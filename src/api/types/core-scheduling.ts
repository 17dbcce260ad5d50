/** core/v1 placement constraints: node and pod (anti-)affinity, taints and tolerations, topology spread. */
import * as t from 'io-ts';
import { atomicList, described, enumOf, struct } from '../codecs';
import { int32, int64, time } from '../scalars';
import { LabelSelector } from './meta';

export const NodeSelectorRequirement = struct(
  'NodeSelectorRequirement',
  {
    key: described(t.string, 'The label key the selector applies to.'),
    operator: described(
      enumOf('NodeSelectorOperator', ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']),
      "The key's relationship to the values.",
    ),
  },
  { values: described(atomicList(t.string), 'One value for Gt and Lt (an integer), none for Exists and DoesNotExist.') },
);

export const NodeSelectorTerm = struct(
  'NodeSelectorTerm',
  {},
  {
    matchExpressions: described(atomicList(NodeSelectorRequirement), "Requirements on the node's labels."),
    matchFields: described(atomicList(NodeSelectorRequirement), "Requirements on the node's fields."),
  },
);
export type NodeSelectorTerm = t.TypeOf<typeof NodeSelectorTerm>;

export const NodeSelector = struct('NodeSelector', {
  nodeSelectorTerms: described(atomicList(NodeSelectorTerm), 'The terms are ORed.'),
});

export const PreferredSchedulingTerm = struct('PreferredSchedulingTerm', {
  weight: described(int32, 'Weight of matching the term, 1-100.'),
  preference: described(NodeSelectorTerm, 'A node selector term.'),
});

export const NodeAffinity = struct(
  'NodeAffinity',
  {},
  {
    requiredDuringSchedulingIgnoredDuringExecution: described(NodeSelector, 'The pod is placed only on nodes that match.'),
    preferredDuringSchedulingIgnoredDuringExecution: described(
      atomicList(PreferredSchedulingTerm),
      'Nodes that match get a higher score, by the weights of the terms they match.',
    ),
  },
);

export const PodAffinityTerm = struct(
  'PodAffinityTerm',
  { topologyKey: described(t.string, 'Node label whose equal values make one topology domain (a node, a zone...).') },
  {
    labelSelector: described(LabelSelector, 'A label query over the pods to be near (or away from).'),
    namespaces: described(atomicList(t.string), "Namespaces the selector applies to; the pod's own when empty."),
    namespaceSelector: described(LabelSelector, 'A label query over the namespaces the selector applies to.'),
    matchLabelKeys: described(atomicList(t.string), "Label keys whose values are taken from the incoming pod's labels."),
    mismatchLabelKeys: described(atomicList(t.string), "Label keys whose values must differ from the incoming pod's."),
  },
);

export const WeightedPodAffinityTerm = struct('WeightedPodAffinityTerm', {
  weight: described(int32, 'Weight of matching the term, 1-100.'),
  podAffinityTerm: described(PodAffinityTerm, 'A pod affinity term.'),
});

const podAffinityFields = {
  requiredDuringSchedulingIgnoredDuringExecution: described(atomicList(PodAffinityTerm), 'Every term must hold for the pod to be placed.'),
  preferredDuringSchedulingIgnoredDuringExecution: described(atomicList(WeightedPodAffinityTerm), 'Terms that raise a node score.'),
};

export const PodAffinity = struct('PodAffinity', {}, podAffinityFields);
export const PodAntiAffinity = struct('PodAntiAffinity', {}, podAffinityFields);

export const Affinity = struct(
  'Affinity',
  {},
  {
    nodeAffinity: described(NodeAffinity, 'Node affinity scheduling rules.'),
    podAffinity: described(PodAffinity, 'Place the pod in the same domain as other pods.'),
    podAntiAffinity: described(PodAntiAffinity, 'Keep the pod out of the domains of other pods.'),
  },
);
export type Affinity = t.TypeOf<typeof Affinity>;

export const TaintEffect = enumOf('TaintEffect', ['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

export const Taint = struct(
  'Taint',
  {
    key: described(t.string, 'The taint key.'),
    effect: described(TaintEffect, 'What happens to pods that do not tolerate the taint.'),
  },
  {
    value: described(t.string, 'The taint value.'),
    timeAdded: described(time, 'When the taint was added; only for NoExecute taints.'),
  },
);
export type Taint = t.TypeOf<typeof Taint>;

export const Toleration = struct(
  'Toleration',
  {},
  {
    key: described(t.string, 'The taint key the toleration applies to; empty matches all keys (with operator Exists).'),
    operator: described(enumOf('TolerationOperator', ['', 'Exists', 'Equal']), "Exists or Equal. Defaults to Equal."),
    value: described(t.string, 'The taint value to match; empty with operator Exists.'),
    effect: described(enumOf('TolerationEffect', ['', 'NoSchedule', 'PreferNoSchedule', 'NoExecute']), 'The effect to match; empty matches all.'),
    tolerationSeconds: described(int64, 'How long a NoExecute taint is tolerated before eviction; forever when unset.'),
  },
);
export type Toleration = t.TypeOf<typeof Toleration>;

const NodeInclusionPolicy = enumOf('NodeInclusionPolicy', ['Honor', 'Ignore']);

export const TopologySpreadConstraint = struct(
  'TopologySpreadConstraint',
  {
    maxSkew: described(int32, 'How unevenly matching pods may be spread between domains.'),
    topologyKey: described(t.string, 'Node label whose equal values make one domain.'),
    whenUnsatisfiable: described(
      enumOf('UnsatisfiableConstraintAction', ['DoNotSchedule', 'ScheduleAnyway']),
      'DoNotSchedule keeps the pod pending; ScheduleAnyway only prefers less skew.',
    ),
  },
  {
    labelSelector: described(LabelSelector, 'Finds the pods that are counted in each domain.'),
    minDomains: described(int32, 'Minimum number of eligible domains.'),
    nodeAffinityPolicy: described(NodeInclusionPolicy, "Whether the pod's node affinity limits the domains. Defaults to Honor."),
    nodeTaintsPolicy: described(NodeInclusionPolicy, 'Whether node taints limit the domains. Defaults to Ignore.'),
    matchLabelKeys: described(atomicList(t.string), "Label keys whose values are taken from the incoming pod's labels."),
  },
);
export type TopologySpreadConstraint = t.TypeOf<typeof TopologySpreadConstraint>;
