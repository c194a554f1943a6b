/**
 * The app's pino logger. Redaction is a second line of defence: the first is that nothing logs
 * a request body, a raw AxiosError or a header bag (docs/stack.md pitfalls 9 and 11).
 *
 * Lines are JSON (for journald, Docker, Vector…) unless `pretty`: then pino-pretty turns them
 * into readable lines for a person at a terminal. pino redacts while it builds the JSON line, so
 * the prettifier only ever sees redacted lines. It runs as a stream in this thread (not a
 * transport worker): a console start is light, and a crash cannot lose buffered lines.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';
import type { LogFormat, LogLevel } from './config.js';

export type { Logger };

/** Paths that must never reach a log line, whatever object they arrive in. */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'passphrase',
  '*.passphrase',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  'req.headers',
  'res.headers',
  'userKey',
  '*.userKey',
  'token',
  '*.token',
  '_csrf',
  '*._csrf',
];

/** Pretty for `pretty`, or for `auto` when the output is a terminal; JSON lines otherwise. */
export function wantsPrettyLogs(format: LogFormat, isTerminal: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && isTerminal);
}

/**
 * Creates the logger; tests pass a `destination` stream to capture every line (JSON unless
 * `pretty` is set, in which case the readable lines go to `destination`, or stdout).
 */
export function createLogger(options: { level: LogLevel; destination?: DestinationStream; pretty?: boolean }): Logger {
  const destination = options.pretty
    ? pinoPretty({ colorize: options.destination === undefined && process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service', sync: true, ...(options.destination ? { destination: options.destination } : {}) })
    : options.destination;
  return pino(
    {
      level: options.level,
      base: { service: 'csd-relay' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
