/** kubectl against `berth up` on the embedded SQLite store; see suite.ts. */
import { kubectlConformance } from './suite';

jest.setTimeout(180_000);
kubectlConformance('sqlite');
