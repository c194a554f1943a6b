import { describe, expect, it } from 'vitest';
import { EmulatorConfigError, readEmulatorCliConfig } from './cli-config.js';

describe('The standalone emulator settings', () => {
  it('default to port 3001 on loopback with the sk_user_emulator key and no generated organizations', () => {
    expect(readEmulatorCliConfig([], {})).toEqual({ port: 3001, host: '127.0.0.1', key: 'sk_user_emulator', generated: 0 });
  });

  it('take their own environment variables, and flags over them', () => {
    const env = { FACTURAPI_EMULATOR_PORT: '4100', FACTURAPI_EMULATOR_HOST: '::1', FACTURAPI_EMULATOR_KEY: 'sk_user_from_env' };
    expect(readEmulatorCliConfig([], env)).toEqual({ port: 4100, host: '::1', key: 'sk_user_from_env', generated: 0 });
    expect(readEmulatorCliConfig(['--port', '0', '--key', 'sk_user_flag', '--generated', '3000'], env)).toEqual({ port: 0, host: '::1', key: 'sk_user_flag', generated: 3000 });
  });

  it('list every problem at once', () => {
    const error = (() => {
      try {
        readEmulatorCliConfig(['--port', 'http', '--generated=-1'], {});
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(EmulatorConfigError);
    expect((error as Error).message).toMatch(/port:.*\n.*generated:/);
  });

  it('refuse an unknown flag with the same error', () => {
    expect(() => readEmulatorCliConfig(['--prot', '3001'], {})).toThrow(EmulatorConfigError);
  });
});
