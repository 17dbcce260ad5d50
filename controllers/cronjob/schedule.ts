/**
 * CronJob schedules as upstream reads them (robfig/cron's ParseStandard with the CronJob's time
 * zone): five fields or a descriptor through cron-parser, `@every <Go duration>` here. Times are
 * ms since the epoch.
 */
import { CronExpressionParser } from 'cron-parser';
import type { CronJob } from '../../src/api/types';

/** Past this many missed start times the controller warns (upstream's guard against clock skew). */
export const TOO_MANY_MISSED = 100;
/** Requeue a little after the scheduled time, so the time has surely come (upstream's nextScheduleDelta). */
export const NEXT_SCHEDULE_DELTA_MS = 100;

export interface Schedule {
  /** The first start time strictly after `after`. Undefined when there is none. */
  next(after: number): number | undefined;
  /** The last start time in (after, upTo] and how many there are (exact up to 100, estimated past it). */
  lastBetween(after: number, upTo: number): { last?: number; count: number };
}

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration (`1h30m`, `90s`, `1.5h`) in ms. */
export function parseGoDuration(text: string): number {
  const parts = [...text.matchAll(/([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) throw new Error(`time: invalid duration ${JSON.stringify(text)}`);
  return parts.reduce((total, p) => total + Number(p[1]) * UNITS[p[2]], 0);
}

/** `@every d`: every d (whole seconds, at least one) after the reference time (robfig's ConstantDelaySchedule). */
function everySchedule(durationText: string): Schedule {
  const raw = parseGoDuration(durationText);
  const delay = Math.max(1000, raw - (raw % 1000));
  const next = (after: number) => after - (after % 1000) + delay;
  return {
    next,
    lastBetween(after, upTo) {
      const first = next(after);
      if (first > upTo) return { count: 0 };
      const count = Math.floor((upTo - first) / delay) + 1;
      return { last: first + (count - 1) * delay, count };
    },
  };
}

function cronSchedule(expression: string, timeZone: string | undefined): Schedule {
  const at = (currentDate: number) => CronExpressionParser.parse(expression, { currentDate: new Date(currentDate), tz: timeZone ?? 'UTC' });
  // Rejects what cron-parser cannot read, with its words.
  at(Date.now());
  const next = (after: number): number | undefined => {
    const expr = at(after);
    return expr.hasNext() ? expr.next().getTime() : undefined;
  };
  return {
    next,
    lastBetween(after, upTo) {
      const first = next(after);
      if (first === undefined || first > upTo) return { count: 0 };
      // The last start at or before upTo (prev() is strictly before its current date).
      const last = at(upTo + 1).prev().getTime();
      let count = 1;
      const walk = at(first);
      while (count <= TOO_MANY_MISSED && walk.hasNext() && walk.next().getTime() <= upTo) count++;
      if (count > TOO_MANY_MISSED) {
        // Counting every one could take long after years of skew; estimate from the first interval, as upstream does.
        const second = next(first) ?? first + 1;
        count = Math.max(count, Math.floor((upTo - first) / Math.max(1, second - first)) + 1);
      }
      return { last, count };
    },
  };
}

/** The CronJob's schedule in its time zone (UTC unless `timeZone`); throws with the reason it cannot be read. */
export function parseSchedule(schedule: string, timeZone?: string): Schedule {
  let spec = schedule.trim();
  // Old objects may carry a zone in the schedule itself; `timeZone` wins, as upstream's formatSchedule.
  const zone = /^(?:CRON_TZ|TZ)=(\S+)\s+/.exec(spec);
  if (zone) spec = spec.slice(zone[0].length);
  const tz = timeZone ?? zone?.[1];
  if (spec.startsWith('@every ')) return everySchedule(spec.slice('@every '.length).trim());
  return cronSchedule(spec, tz);
}

/**
 * The most recent start time the CronJob has not had: after its last schedule time (or its
 * creation), and, with startingDeadlineSeconds, not older than that; with how many were missed
 * (upstream's mostRecentScheduleTime).
 */
export function mostRecentScheduleTime(cronJob: CronJob, now: number, schedule: Schedule, withStartingDeadline: boolean): { earliest: number; mostRecent?: number; missed: number } {
  let earliest = Date.parse(cronJob.status?.lastScheduleTime ?? cronJob.metadata.creationTimestamp ?? new Date(now).toISOString());
  const deadline = cronJob.spec?.startingDeadlineSeconds;
  if (withStartingDeadline && deadline !== undefined) earliest = Math.max(earliest, now - deadline * 1000);
  const { last, count } = schedule.lastBetween(earliest, now);
  return { earliest, mostRecent: last, missed: count };
}

/** How long until the next start time, counted from the most recent one (upstream's nextScheduleTimeDuration). */
export function nextScheduleDelay(cronJob: CronJob, now: number, schedule: Schedule): number | undefined {
  const { earliest, mostRecent } = mostRecentScheduleTime(cronJob, now, schedule, false);
  const next = schedule.next(mostRecent ?? earliest);
  return next === undefined ? undefined : next + NEXT_SCHEDULE_DELTA_MS - now;
}
