/** kubectl against `berth up` on a real etcd; see suite.ts. */
import { kubectlConformance } from './suite';

jest.setTimeout(180_000);
kubectlConformance('etcd');
