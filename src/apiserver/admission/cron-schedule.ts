/**
 * What upstream accepts as a CronJob schedule (robfig/cron's ParseStandard): five fields, or a
 * descriptor (`@hourly`, `@every 5m`...). The field syntax is checked here, the values and ranges by
 * cron-parser, which the CronJob controller also uses to compute the next run.
 */
import { CronExpressionParser } from 'cron-parser';

const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const GO_DURATION = /^([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h)(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h))*$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** Per field: the names allowed in place of numbers (minute, hour, day of month, month, day of week). */
const NAMES: ReadonlyArray<readonly string[]> = [[], [], [], MONTHS, DAYS];

/** Why `schedule` is not a valid schedule, in robfig/cron's words where it has them; undefined when valid. */
export function scheduleProblem(schedule: string): string | undefined {
  let spec = schedule.trim();
  const zone = /^(CRON_TZ|TZ)=(\S*)\s*/.exec(spec);
  if (zone) spec = spec.slice(zone[0].length);
  if (spec.startsWith('@')) return descriptorProblem(spec);
  const fields = spec.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  for (const [i, field] of fields.entries()) {
    for (const part of field.split(/[,/-]/)) {
      if (part === '' || part === '*' || part === '?' || /^[0-9]+$/.test(part)) continue;
      if (NAMES[i].includes(part.toLowerCase())) continue;
      return `failed to parse int from ${part}: strconv.Atoi: parsing ${JSON.stringify(part)}: invalid syntax`;
    }
  }
  try {
    CronExpressionParser.parse(fields.join(' '));
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function descriptorProblem(spec: string): string | undefined {
  if (DESCRIPTORS.has(spec)) return undefined;
  if (spec.startsWith('@every ')) {
    const duration = spec.slice('@every '.length).trim();
    return GO_DURATION.test(duration) ? undefined : `failed to parse duration ${spec}: time: invalid duration ${JSON.stringify(duration)}`;
  }
  return `unrecognized descriptor: ${spec}`;
}

/** Whether `zone` names a time zone this host knows (upstream: time.LoadLocation). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
