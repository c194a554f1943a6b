import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, wantsPrettyLogs } from './logger.js';

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return { stream, text: () => text };
}

const secrets = { password: 'hunter2-secret', userKey: 'sk_user_secret_key', req: { headers: { cookie: 'sid=secret-cookie' } }, organizationId: '65a1c0de0000000000000001' };

describe('log format', () => {
  it('when stdout is a terminal (auto) or pretty is asked for, then lines are pretty; otherwise JSON', () => {
    expect(wantsPrettyLogs('auto', true)).toBe(true);
    expect(wantsPrettyLogs('auto', false)).toBe(false);
    expect(wantsPrettyLogs('json', true)).toBe(false);
    expect(wantsPrettyLogs('pretty', false)).toBe(true);
  });

  it('when pretty, then the line is readable and every secret path is still redacted', () => {
    const out = capture();
    createLogger({ level: 'info', pretty: true, destination: out.stream as never }).info(secrets, 'upload relayed');
    expect(out.text()).toMatch(/INFO: upload relayed/);
    expect(out.text()).toContain('65a1c0de0000000000000001');
    expect(out.text()).not.toMatch(/hunter2|sk_user_secret|secret-cookie/);
    expect(out.text()).toContain('[redacted]');
    expect(out.text().trim().startsWith('{')).toBe(false);
  });

  it('when a destination is given without pretty (the tests\' log capture), then lines stay JSON', () => {
    const out = capture();
    createLogger({ level: 'info', destination: out.stream as never }).info(secrets, 'upload relayed');
    const line = JSON.parse(out.text()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'info', msg: 'upload relayed', password: '[redacted]', userKey: '[redacted]' });
  });
});
