import { amount, formatBytes, formatCpu, parseQuantity, podRequests, QuantityError } from './quantity';

describe('quantities', () => {
  it.each([
    ['100m', 0.1],
    ['1', 1],
    ['1.5', 1.5],
    ['128Mi', 128 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1G', 1e9],
    ['2e3', 2000],
    ['500k', 500000],
    [3, 3],
  ])('parses %s', (q, v) => {
    expect(parseQuantity(q)).toBeCloseTo(v);
  });

  it('rejects what is not a quantity, saying what', () => {
    expect(() => parseQuantity('12 cores')).toThrow(QuantityError);
    expect(() => parseQuantity('1Mb')).toThrow(/"1Mb"/);
  });

  it('counts cpu in millicores, rounding up, and the rest in base units', () => {
    expect(amount('cpu', '100m')).toBe(100);
    expect(amount('cpu', '0.5')).toBe(500);
    expect(amount('cpu', 2)).toBe(2000);
    expect(amount('cpu', '1n')).toBe(1);
    expect(amount('memory', '1Ki')).toBe(1024);
  });

  it('sums container requests and takes the largest init container when larger', () => {
    const r = podRequests({
      containers: [{ resources: { requests: { cpu: '100m', memory: '64Mi' } } }, { resources: { limits: { cpu: '200m' } } }],
      initContainers: [{ resources: { requests: { cpu: '500m', memory: '16Mi' } } }],
    });
    expect(r).toEqual({ cpu: 500, memory: 64 * 2 ** 20 });
  });

  it('counts sidecar init containers for the whole life of the pod', () => {
    const r = podRequests({
      containers: [{ resources: { requests: { cpu: '100m' } } }],
      initContainers: [{ restartPolicy: 'Always', resources: { requests: { cpu: '50m' } } }],
    });
    expect(r).toEqual({ cpu: 150 });
  });

  it('formats amounts as kubectl shows them', () => {
    expect(formatCpu(250)).toBe('250m');
    expect(formatCpu(2000)).toBe('2');
    expect(formatBytes(128 * 2 ** 20)).toBe('128Mi');
    expect(formatBytes(1500)).toBe('1500');
  });
});
