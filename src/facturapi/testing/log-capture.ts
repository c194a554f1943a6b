import { pino, type Logger } from 'pino';

/** A pino logger writing synchronously into a string, to assert what was (not) logged. */
export function captureLogger(): { logger: Logger; text: () => string; lines: () => Record<string, unknown>[] } {
  let output = '';
  const logger = pino({ level: 'trace' }, { write: (chunk: string) => void (output += chunk) });
  return {
    logger,
    text: () => output,
    lines: () =>
      output
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
