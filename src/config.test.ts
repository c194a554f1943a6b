import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { problemsOf } from '../test/support/config-problems.js';


describe('loadConfig', () => {
  it('when nothing is set, then it runs locally on loopback in emulator mode', () => {
    const config = loadConfig({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(3000);
    expect(config.facturapi.mode).toBe('emulator');
    expect(config.facturapi.baseUrl).toBe('https://www.facturapi.io/v2');
    expect(config.publicUrl).toBe('http://127.0.0.1:3000');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('when a user key is set, then it talks to the real Facturapi', () => {
    expect(loadConfig({ FACTURAPI_USER_KEY: 'sk_user_abcdefgh12345678' }).facturapi.mode).toBe('live');
  });

  it('when an empty value is given, then it counts as not set', () => {
    expect(loadConfig({ FACTURAPI_USER_KEY: '' }).facturapi.mode).toBe('emulator');
  });

  it('when several values are bad, then every problem is listed with how to fix it', () => {
    const problems = problemsOf({ PORT: 'eighty', FACTURAPI_TIMEOUT_MS: '10', LOG_LEVEL: 'loud' });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/PORT: .*whole number/);
    expect(problems.join('\n')).toMatch(/FACTURAPI_TIMEOUT_MS/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL: must be one of/);
  });

  it('when in production, then a user key, https and a session secret are required', () => {
    const problems = problemsOf({ NODE_ENV: 'production', FACTURAPI_BASE_URL: 'http://facturapi.example.com/v2' });
    expect(problems.join('\n')).toMatch(/FACTURAPI_BASE_URL: must use https in production/);
    expect(problems.join('\n')).toMatch(/FACTURAPI_USER_KEY: required in production/);
    expect(problems.join('\n')).toMatch(/SESSION_SECRET: required in production/);
  });

  it('when in production with a live or test key, then it refuses: only a user key manages organizations', () => {
    const problems = problemsOf({ NODE_ENV: 'production', FACTURAPI_USER_KEY: 'sk_live_abcdefgh12345678', SESSION_SECRET: 'x'.repeat(40) });
    expect(problems).toEqual([expect.stringMatching(/must be a Facturapi user key/)]);
  });

  it('when in production against a loopback emulator over http, then it is allowed (benchmarks)', () => {
    const config = loadConfig({ NODE_ENV: 'production', FACTURAPI_BASE_URL: 'http://127.0.0.1:3001/v2', FACTURAPI_USER_KEY: 'sk_user_bench1234567', SESSION_SECRET: 'y'.repeat(40) });
    expect(config.isProduction).toBe(true);
  });
});
