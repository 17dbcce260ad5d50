import type { CronJob } from '../../src/api/types';
import { formatInZone } from './job-template';
import { mostRecentScheduleTime, nextScheduleDelay, parseGoDuration, parseSchedule } from './schedule';

const t = (iso: string) => Date.parse(iso);

function cronJob(schedule: string, extra: { created?: string; last?: string; deadline?: number; timeZone?: string } = {}): CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'tick', namespace: 'default', creationTimestamp: extra.created ?? '2030-01-01T00:00:00Z' },
    spec: { schedule, timeZone: extra.timeZone, startingDeadlineSeconds: extra.deadline, jobTemplate: { spec: { template: { spec: { containers: [] } } } } },
    status: extra.last ? { lastScheduleTime: extra.last } : undefined,
  };
}

describe('next start times', () => {
  it.each([
    ['*/1 * * * *', undefined, '2030-01-01T00:00:30Z', '2030-01-01T00:01:00Z'],
    ['*/1 * * * *', undefined, '2030-01-01T00:01:00Z', '2030-01-01T00:02:00Z'],
    ['@hourly', undefined, '2030-01-01T00:01:00Z', '2030-01-01T01:00:00Z'],
    ['@daily', undefined, '2030-01-01T00:01:00Z', '2030-01-02T00:00:00Z'],
    ['0 9 * * *', 'Asia/Tokyo', '2030-01-01T00:30:00Z', '2030-01-02T00:00:00Z'],
    ['0 9 * * *', 'Europe/Paris', '2030-07-01T06:00:00Z', '2030-07-01T07:00:00Z'],
    ['@every 90s', undefined, '2030-01-01T00:00:00.400Z', '2030-01-01T00:01:30Z'],
  ])('%s in %s after %s is %s', (schedule, zone, after, expected) => {
    expect(parseSchedule(schedule, zone).next(t(after))).toBe(t(expected));
  });

  it.each(['61 * * * *', 'not a schedule', '@every 5x'])('refuses %s', (schedule) => {
    expect(() => parseSchedule(schedule)).toThrow();
  });

  it('reads Go durations', () => {
    expect(parseGoDuration('1h30m')).toBe(5_400_000);
    expect(parseGoDuration('1.5s')).toBe(1500);
    expect(() => parseGoDuration('5')).toThrow('time: invalid duration "5"');
  });
});

describe('the most recent start time not had yet', () => {
  const schedule = parseSchedule('*/1 * * * *');

  it('is none before the first start after creation', () => {
    expect(mostRecentScheduleTime(cronJob('*/1 * * * *'), t('2030-01-01T00:00:59Z'), schedule, true)).toEqual({ earliest: t('2030-01-01T00:00:00Z'), missed: 0, mostRecent: undefined });
  });

  it('is the latest of several missed, counting them', () => {
    const result = mostRecentScheduleTime(cronJob('*/1 * * * *', { last: '2030-01-01T00:02:00Z' }), t('2030-01-01T00:07:30Z'), schedule, true);
    expect(result).toEqual({ earliest: t('2030-01-01T00:02:00Z'), mostRecent: t('2030-01-01T00:07:00Z'), missed: 5 });
  });

  it('counts past 100 missed start times (a controller down for a day)', () => {
    const result = mostRecentScheduleTime(cronJob('*/1 * * * *'), t('2030-01-02T00:00:30Z'), schedule, true);
    expect(result.mostRecent).toBe(t('2030-01-02T00:00:00Z'));
    expect(result.missed).toBe(1440);
  });

  it('looks back no further than startingDeadlineSeconds', () => {
    const result = mostRecentScheduleTime(cronJob('*/1 * * * *', { deadline: 20 }), t('2030-01-01T00:05:30Z'), schedule, true);
    expect(result.mostRecent).toBeUndefined();
    expect(mostRecentScheduleTime(cronJob('*/1 * * * *', { deadline: 20 }), t('2030-01-01T00:05:15Z'), schedule, true).mostRecent).toBe(t('2030-01-01T00:05:00Z'));
  });

  it('for @every counts from the last start', () => {
    const every = parseSchedule('@every 10m');
    const result = mostRecentScheduleTime(cronJob('@every 10m', { last: '2030-01-01T00:03:00Z' }), t('2030-01-01T00:35:00Z'), every, true);
    expect(result).toEqual({ earliest: t('2030-01-01T00:03:00Z'), mostRecent: t('2030-01-01T00:33:00Z'), missed: 3 });
  });
});

describe('the wait until the next start', () => {
  it('is the next minute boundary plus 100 ms', () => {
    const c = cronJob('*/1 * * * *', { last: '2030-01-01T00:05:00Z' });
    expect(nextScheduleDelay(c, t('2030-01-01T00:05:20Z'), parseSchedule('*/1 * * * *'))).toBe(40_100);
  });

  it('counts from the most recent start time even when it was missed', () => {
    const c = cronJob('0 * * * *', { last: '2030-01-01T00:00:00Z' });
    expect(nextScheduleDelay(c, t('2030-01-01T05:30:00Z'), parseSchedule('0 * * * *'))).toBe(30 * 60_000 + 100);
  });
});

describe('the scheduled-timestamp annotation', () => {
  it.each([
    [undefined, '2030-01-01T09:00:00Z'],
    ['Asia/Tokyo', '2030-01-01T18:00:00+09:00'],
    ['America/New_York', '2030-01-01T04:00:00-05:00'],
    ['Asia/Kolkata', '2030-01-01T14:30:00+05:30'],
  ])('in %s is %s', (zone, expected) => {
    expect(formatInZone(t('2030-01-01T09:00:00Z'), zone)).toBe(expected);
  });
});
