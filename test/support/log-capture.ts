import { Writable } from 'node:stream';

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
}
