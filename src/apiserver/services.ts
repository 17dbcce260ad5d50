/**
 * The parts of a running API server that request handlers and in-server loops share.
 */
import type { Registry, ResourceType } from './registry';
import type { ResourceStorage } from './storage';
import type { WatchCache } from './watch-cache';
import type { Admission } from './admission/admission';
import type { FieldSchemas } from './field-schemas';
import type { NodeExec } from './node-exec';
import type { NodeLogs } from './node-logs';
import type { NodeCommitments } from './node-commitments';

export interface WatchCaches {
  /** The running cache of a resource (shared by all its versions). */
  for(type: ResourceType): WatchCache;
}

export interface Services {
  registry: Registry;
  storage: ResourceStorage;
  watchCaches: WatchCaches;
  admission: Admission;
  schemas: FieldSchemas;
  /** The longest a watch without timeoutSeconds stays open, before the random extra up to twice that. */
  minRequestTimeoutSeconds: number;
  /** Pod logs from node agents; absent until an agent proxy is configured. */
  nodeLogs?: NodeLogs;
  /** Commands in pods' containers through node agents (kubectl exec); absent until configured. */
  nodeExec?: NodeExec;
  /** What each node has committed; binds are checked against it. */
  commitments?: NodeCommitments;
}
