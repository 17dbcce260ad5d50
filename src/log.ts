/**
 * The process logger. Constant messages, data in fields:
 *   log.info('pod bound', { pod, node, durationMs })
 * JSON lines by default (for machines); a readable, coloured form when stderr is a terminal.
 * The level comes from `--log-level` (see `setLogLevel`) or BERTH_LOG_LEVEL; the format can be
 * forced with BERTH_LOG_FORMAT=json|text. Logs go to stderr so stdout stays for command output.
 */
import winston from 'winston';

export type Logger = winston.Logger;
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
const levels: LogLevel[] = ['error', 'warn', 'info', 'debug'];

function initialLevel(): LogLevel {
  const fromEnv = process.env.BERTH_LOG_LEVEL?.toLowerCase();
  if (fromEnv && (levels as string[]).includes(fromEnv)) return fromEnv as LogLevel;
  // Tests keep quiet unless asked: their output is the assertions.
  return process.env.JEST_WORKER_ID ? 'error' : 'info';
}

function readable(): boolean {
  const forced = process.env.BERTH_LOG_FORMAT;
  if (forced === 'json') return false;
  if (forced === 'text') return true;
  return Boolean(process.stderr.isTTY);
}

const text = winston.format.printf(({ level, message, timestamp, component, ...fields }) => {
  const where = component ? ` ${component}` : '';
  const rest = Object.entries(fields)
    .filter(([k]) => typeof k === 'string')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${timestamp} ${level}${where}: ${message}${rest ? ' ' + rest : ''}`;
});

export const log: Logger = winston.createLogger({
  level: initialLevel(),
  format: readable()
    ? winston.format.combine(
        winston.format.errors({ stack: false }),
        winston.format.timestamp({ format: 'HH:mm:ss.SSS' }),
        winston.format.colorize(),
        text,
      )
    : winston.format.combine(winston.format.errors({ stack: true }), winston.format.timestamp(), winston.format.json()),
  transports: [new winston.transports.Console({ stderrLevels: levels })],
});

export function setLogLevel(level: string): void {
  const l = level.toLowerCase();
  if (!(levels as string[]).includes(l)) throw new Error(`unknown log level "${level}": use one of ${levels.join(', ')}`);
  log.level = l;
}

/** A child logger for one part of the system: `logger('store', { backend: 'etcd' })`. */
export function logger(component: string, fields: Record<string, unknown> = {}): Logger {
  return log.child({ component, ...fields });
}

/** The message of anything thrown, for a log field. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
