import { initialState, probeDue, ProbeOutcome, ProbeState, probeTiming, recordOutcome } from './probe-state';
import { inSubnet, probeHost } from './runners';

const run = (state: ProbeState, outcomes: ProbeOutcome[], timing = probeTiming({}, state.kind)) => {
  const verdicts: (boolean | undefined)[] = [];
  for (const outcome of outcomes) {
    state = recordOutcome(state, timing, outcome).state;
    verdicts.push(state.verdict);
  }
  return { state, verdicts };
};

describe('probe state machine', () => {
  it('uses the upstream defaults: every 10 s, 1 s timeout, 1 success, 3 failures', () => {
    expect(probeTiming({}, 'readiness')).toEqual({ initialDelayMs: 0, periodMs: 10_000, timeoutMs: 1000, successThreshold: 1, failureThreshold: 3 });
  });

  it('starts liveness passing, readiness failing and startup unknown', () => {
    expect(initialState('liveness').verdict).toBe(true);
    expect(initialState('readiness').verdict).toBe(false);
    expect(initialState('startup').verdict).toBeUndefined();
  });

  it('fails liveness only after failureThreshold failures in a row', () => {
    const { verdicts, state } = run(initialState('liveness'), ['failure', 'failure', 'success', 'failure', 'failure', 'failure']);
    expect(verdicts).toEqual([true, true, true, true, true, false]);
    // Held until the container is replaced.
    expect(state.onHold).toBe(true);
    expect(probeDue(state, probeTiming({}, 'liveness'), { running: true, startedAt: 0, started: true }, 60_000)).toBe(false);
  });

  it('makes readiness pass after successThreshold successes and fail again after failureThreshold failures', () => {
    const timing = probeTiming({ successThreshold: 2, failureThreshold: 2 }, 'readiness');
    const { verdicts, state } = run(initialState('readiness'), ['success', 'success', 'failure', 'success', 'failure', 'failure'], timing);
    expect(verdicts).toEqual([false, true, true, true, true, false]);
    // Readiness keeps probing after a failure.
    expect(state.onHold).toBe(false);
  });

  it('reports a change only when the verdict moves', () => {
    const timing = probeTiming({ failureThreshold: 1 }, 'readiness');
    const first = recordOutcome(initialState('readiness'), timing, 'success');
    expect(first.changed).toBe(true);
    expect(recordOutcome(first.state, timing, 'success').changed).toBe(false);
    expect(recordOutcome(first.state, timing, 'failure').changed).toBe(true);
  });

  it('waits for the initial delay', () => {
    const timing = probeTiming({ initialDelaySeconds: 5 }, 'readiness');
    const container = { running: true, startedAt: 1000, started: true };
    expect(probeDue(initialState('readiness'), timing, container, 5999)).toBe(false);
    expect(probeDue(initialState('readiness'), timing, container, 6000)).toBe(true);
  });

  it('holds liveness and readiness until the startup probe passed, then stops the startup probe', () => {
    const timing = probeTiming({}, 'startup');
    const notStarted = { running: true, startedAt: 0, started: false };
    expect(probeDue(initialState('liveness'), timing, notStarted, 1000)).toBe(false);
    expect(probeDue(initialState('readiness'), timing, notStarted, 1000)).toBe(false);
    const startup = initialState('startup');
    expect(probeDue(startup, timing, notStarted, 1000)).toBe(true);
    const passed = recordOutcome(startup, timing, 'success').state;
    expect(passed.verdict).toBe(true);
    expect(probeDue(passed, timing, { ...notStarted, started: true }, 2000)).toBe(false);
    expect(probeDue(initialState('liveness'), timing, { ...notStarted, started: true }, 2000)).toBe(true);
  });

  it('never probes a container that does not run', () => {
    expect(probeDue(initialState('readiness'), probeTiming({}, 'readiness'), { running: false, startedAt: 0, started: true }, 99_000)).toBe(false);
  });
});

describe('probe targets', () => {
  const target = { containerId: 'c', podIP: '10.88.0.7', hostNetwork: false, ports: [] };

  it.each([
    ['10.88.0.7', '10.88.0.0/16', true],
    ['10.89.0.7', '10.88.0.0/16', false],
    ['127.0.0.1', '127.0.0.0/8', true],
    ['0.0.0.0', '10.0.0.0/8', false],
  ])('%s in %s: %s', (ip, cidr, inside) => {
    expect(inSubnet(ip, cidr)).toBe(inside);
  });

  it('probes the pod IP, or loopback for a hostNetwork pod', () => {
    expect(probeHost(undefined, target, ['10.88.0.0/16'])).toEqual({ host: '10.88.0.7' });
    expect(probeHost(undefined, { ...target, hostNetwork: true }, ['10.88.0.0/16'])).toEqual({ host: '127.0.0.1' });
    expect(probeHost('localhost', target, [])).toEqual({ host: '127.0.0.1' });
  });

  it('refuses hosts outside loopback and the pod network', () => {
    expect(probeHost('93.184.216.34', target, ['10.88.0.0/16'])).toEqual({
      refused: 'probe host 93.184.216.34 is outside 127.0.0.0/8 and the pod network (10.88.0.0/16)',
    });
    expect(probeHost('example.com', target, ['10.88.0.0/16'])).toHaveProperty('refused');
  });
});
