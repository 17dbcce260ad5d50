/**
 * The result document of `berth apply -o json` (and `berth delete -o json`): one JSON object at
 * the end, for pipelines to read instead of scraping lines.
 *
 *   { "apiVersion": "berth.dev/v1", "kind": "ApplyResult", "dryRun": false,
 *     "applySet": { "name", "namespace", "id" } | null,
 *     "objects": [ { "apiVersion", "kind", "namespace", "name", "uid", "source", "action",
 *                    "state", "summary", "reason" } ],
 *     "pruned":  [ { "apiVersion", "kind", "namespace", "name", "uid", "verdict", "reason" } ],
 *     "errors":  [ "file:line (document n): ..." ],
 *     "exitCode": 0, "durationMs": 1234 }
 *
 * `action`: created | configured | unchanged (| deleted | not-found for delete). `state` (only
 * when waiting): ready | failed | unschedulable | timeout. `verdict`: prune | gone | not-member | kept.
 */
export interface ObjectResult {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
  /** `deploy/web.yaml:1 (document 1)`. */
  source?: string;
  action: string;
  state?: string;
  summary?: string;
  reason?: string;
}

export interface PruneResult {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  uid: string;
  verdict: string;
  reason?: string;
}

export interface ApplyReport {
  apiVersion: 'berth.dev/v1';
  kind: 'ApplyResult' | 'DeleteResult';
  dryRun: boolean;
  applySet: { name: string; namespace: string; id: string } | null;
  objects: ObjectResult[];
  pruned: PruneResult[];
  errors: string[];
  exitCode: number;
  durationMs: number;
}
