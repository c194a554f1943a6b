import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

/** Collects every log line written by a pino logger, for asserting what was (not) logged. */
export class LogCapture {
  readonly lines: string[] = [];
  readonly stream = new Writable({
    write: (chunk: Buffer, _encoding, callback) => {
      this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });

  get text(): string {
    return this.lines.join('\n');
  }

  /** The lines parsed as JSON. */
  entries(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

/**
 * A plain pino logger at trace level writing into a LogCapture: for units that take a logger
 * (the Facturapi client) without the app's own logger settings.
 */
export function captureLogger(): { logger: Logger; capture: LogCapture; text: () => string; lines: () => Record<string, unknown>[] } {
  const capture = new LogCapture();
  const logger = pino({ level: 'trace' }, capture.stream);
  return { logger, capture, text: () => capture.text, lines: () => capture.entries() };
}
