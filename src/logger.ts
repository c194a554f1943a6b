/**
 * The app's pino logger. Redaction is a second line of defence: the first is that nothing logs
 * a request body, a raw AxiosError or a header bag (docs/stack.md pitfalls 9 and 11).
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';

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

/** Creates the logger; tests pass a `destination` stream to capture every line. */
export function createLogger(options: { level: LogLevel; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'csd-relay' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}
