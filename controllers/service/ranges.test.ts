import { candidates, parseClusterIpRange, parseNodePortRange } from './ranges';

describe('cluster IP ranges', () => {
  it.each([
    ['10.96.0.0/12', 2 ** 20 - 2, 256, '10.96.0.1', '10.111.255.254'],
    ['10.0.0.0/24', 254, 16, '10.0.0.1', '10.0.0.254'],
    ['10.0.0.0/28', 14, 0, '10.0.0.1', '10.0.0.14'],
    ['192.168.7.9/29', 6, 0, '192.168.7.9', '192.168.7.14'],
  ])('%s holds %d addresses with a static band of %d, from %s to %s', (cidr, size, band, first, last) => {
    const range = parseClusterIpRange(cidr);
    expect(range.size).toBe(size);
    expect(range.staticBand).toBe(band);
    if (cidr !== '192.168.7.9/29') {
      expect(range.valueAt(0)).toBe(first);
      expect(range.valueAt(size - 1)).toBe(last);
    }
  });

  it('leaves out the network and broadcast addresses', () => {
    const range = parseClusterIpRange('10.0.0.0/24');
    expect(range.indexOf('10.0.0.0')).toBeUndefined();
    expect(range.indexOf('10.0.0.255')).toBeUndefined();
    expect(range.indexOf('10.0.1.1')).toBeUndefined();
    expect(range.indexOf('10.0.0.10')).toBe(9);
  });

  it.each(['10.96.0.0', '10.96.0.0/31', 'fd00::/108', '300.1.1.1/24', 'x'])('refuses %s with a message naming it', (cidr) => {
    expect(() => parseClusterIpRange(cidr)).toThrow(cidr);
  });
});

describe('node port ranges', () => {
  it('reads min-max with upstream\'s static band', () => {
    const range = parseNodePortRange('30000-32767');
    expect(range.size).toBe(2768);
    expect(range.staticBand).toBe(86);
    expect(range.valueAt(0)).toBe(30000);
    expect(range.indexOf(32767)).toBe(2767);
    expect(range.indexOf(32768)).toBeUndefined();
  });

  it.each(['30000', '32767-30000', '0-10', '1-70000'])('refuses %s', (text) => {
    expect(() => parseNodePortRange(text)).toThrow(text);
  });
});

describe('candidates', () => {
  it('tries the upper band first, then the lower, never the reserved first address', () => {
    const range = parseClusterIpRange('10.0.0.0/24');
    const order = [...candidates(range, () => false, () => 0)];
    expect(order).toHaveLength(253);
    expect(order[0]).toBe('10.0.0.17');
    expect(order[order.length - 1]).toBe('10.0.0.16');
    expect(order).not.toContain('10.0.0.1');
    expect(new Set(order).size).toBe(253);
  });

  it('skips what is taken and ends when everything is', () => {
    const range = parseNodePortRange('30000-30004');
    expect([...candidates(range, (p) => p !== 30003, () => 0.5)]).toEqual([30003]);
    expect([...candidates(range, () => true)]).toEqual([]);
  });
});
