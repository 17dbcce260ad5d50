/**
 * The ranges ClusterIPs and nodePorts come from, as upstream's bitmap allocators lay them out:
 *
 *   10.96.0.0/12    index 0 = 10.96.0.1 … last = 10.111.255.254   (no network, no broadcast address)
 *   30000-32767     index 0 = 30000 … last = 32767
 *
 *   [0, staticBand)      the lower band: dynamic allocation takes it only once the upper is full,
 *                        so addresses users pick by hand (DNS at .10) rarely collide
 *   [staticBand, size)   the upper band: dynamic allocation starts at a random place in it
 *
 * The first address (10.96.0.1) is upstream's `kubernetes` Service: never handed out dynamically.
 */
import { isIPv4 } from 'node:net';

export interface ValueRange<V> {
  /** How many values can be allocated. */
  readonly size: number;
  /** Size of the lower band dynamic allocation avoids (upstream's calculateRangeOffset). */
  readonly staticBand: number;
  /** Indexes dynamic allocation never hands out. */
  readonly reserved: ReadonlySet<number>;
  /** The value at an index in [0, size). */
  valueAt(index: number): V;
  /** The index of a value, or undefined when it is outside the range. */
  indexOf(value: V): number | undefined;
  /** The range as configured, for messages: `10.96.0.0/12`, `30000-32767`. */
  readonly text: string;
}

/** `min(max(min, size / step), max)`, 0 for ranges of `min` or fewer (upstream's calculateRangeOffset). */
function staticBandOf(size: number, band: { min: number; max: number; step: number }): number {
  if (size <= band.min) return 0;
  return Math.min(Math.max(band.min, Math.floor(size / band.step)), band.max);
}

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** The ClusterIP range of an IPv4 CIDR (`10.96.0.0/12`). */
export function parseClusterIpRange(cidr: string): ValueRange<string> {
  const match = /^([0-9.]+)\/([0-9]{1,2})$/.exec(cidr.trim());
  const prefix = match ? Number(match[2]) : NaN;
  if (!match || !isIPv4(match[1]) || prefix < 1 || prefix > 30) {
    throw new Error(`the service cluster IP range "${cidr}" is not an IPv4 CIDR with a prefix of 1 to 30 bits (e.g. 10.96.0.0/12)`);
  }
  const total = 2 ** (32 - prefix);
  const network = ipToNumber(match[1]) - (ipToNumber(match[1]) % total);
  const size = total - 2;
  const base = network + 1;
  return {
    size,
    staticBand: staticBandOf(total, { min: 16, max: 256, step: 16 }),
    reserved: new Set([0]),
    valueAt: (index) => numberToIp(base + index),
    indexOf: (ip) => {
      if (!isIPv4(ip)) return undefined;
      const index = ipToNumber(ip) - base;
      return index >= 0 && index < size ? index : undefined;
    },
    text: `${numberToIp(network)}/${prefix}`,
  };
}

/** The nodePort range `min-max` (`30000-32767`). */
export function parseNodePortRange(text: string): ValueRange<number> {
  const match = /^([0-9]{1,5})-([0-9]{1,5})$/.exec(text.trim());
  const min = match ? Number(match[1]) : NaN;
  const max = match ? Number(match[2]) : NaN;
  if (!match || min < 1 || max > 65535 || min > max) throw new Error(`the node port range "${text}" is not of the form min-max within 1-65535 (e.g. 30000-32767)`);
  const size = max - min + 1;
  return {
    size,
    staticBand: staticBandOf(size, { min: 16, max: 128, step: 32 }),
    reserved: new Set(),
    valueAt: (index) => min + index,
    indexOf: (port) => (Number.isInteger(port) && port >= min && port <= max ? port - min : undefined),
    text: `${min}-${max}`,
  };
}

/**
 * The free values dynamic allocation would try, best first: the upper band from a random start
 * (wrapping within it), then the lower band from a random start. Lazy, so a nearly empty range
 * of a million addresses costs one step.
 */
export function* candidates<V>(range: ValueRange<V>, taken: (value: V) => boolean, random: () => number = Math.random): Generator<V> {
  const bands: Array<[number, number]> = [
    [range.staticBand, range.size],
    [0, range.staticBand],
  ];
  for (const [from, to] of bands) {
    const width = to - from;
    if (width <= 0) continue;
    const start = Math.floor(random() * width);
    for (let step = 0; step < width; step++) {
      const index = from + ((start + step) % width);
      if (range.reserved.has(index)) continue;
      const value = range.valueAt(index);
      if (!taken(value)) yield value;
    }
  }
}
