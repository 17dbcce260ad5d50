/**
 * Whether the container runtime can run pods: it answers (within a few seconds: an engine that
 * hangs is as bad as one that is gone) and what it needs is set up (the pod network, the sandbox
 * image — prepared again after every outage, since an engine may come back without them).
 */
import { errorMessage } from '../../log';
import { ContainerRuntime } from '../runtime/runtime';

export class RuntimeHealth {
  private prepared = false;

  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly timeoutMs = 5_000,
  ) {}

  async check(): Promise<{ runtimeError?: string; runtimeVersion?: string }> {
    try {
      const version = await this.within(this.runtime.version(), 'answer');
      if (!this.prepared) {
        await this.runtime.prepare();
        this.prepared = true;
      }
      return { runtimeVersion: `${version.runtime}://${version.version}` };
    } catch (error) {
      this.prepared = false;
      return { runtimeError: errorMessage(error) };
    }
  }

  private within<T>(promise: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the ${this.runtime.kind} runtime did not ${what} within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}
