/**
 * The kubectl conformance suite: every kubectl command issue 7 lists, run against `berth up` with
 * real Docker, asserting what kubectl prints and what then happened. One cluster per store backend;
 * each part works in its own namespace; the node part runs last (drain evicts every pod).
 */
import { Backend, stopSharedEtcd } from '../support/api-server';
import { access } from './access';
import { applying } from './applying';
import { BerthUp } from './berth-up';
import { creating } from './creating';
import { customResources } from './custom-resources';
import { deleting } from './deleting';
import { nodes } from './nodes';
import { reading } from './reading';
import { workloads } from './workloads';

export function kubectlConformance(backend: Backend): void {
  let cluster: BerthUp | undefined;
  const up = () => {
    if (!cluster) throw new Error('berth up did not start');
    return cluster;
  };

  beforeAll(async () => {
    cluster = await BerthUp.start(backend);
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
    await stopSharedEtcd();
  }, 60_000);

  describe('access and discovery', () => access(up));
  describe('typed create commands (protobuf bodies)', () => creating(up));
  describe('a Deployment on Docker', () => workloads(up));
  describe('apply, diff and prune', () => applying(up));
  describe('get', () => reading(up));
  describe('delete', () => deleting(up));
  describe('custom resources', () => customResources(up));
  describe('nodes', () => nodes(up));
}
