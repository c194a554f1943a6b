/**
 * Chooses what the app talks to: the real Facturapi when a user key is configured, otherwise
 * the built-in emulator on loopback with a random per-process key (demo mode).
 */
import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { createFacturapiClient, type FacturapiClient } from './client.js';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';

export interface FacturapiConnection {
  client: FacturapiClient;
  /** Present in emulator mode. */
  emulator: RunningEmulator | null;
  close(): Promise<void>;
}

export async function connectFacturapi(config: AppConfig, logger: Logger, now: () => Date): Promise<FacturapiConnection> {
  const { facturapi } = config;
  if (facturapi.mode === 'live') {
    const client = createFacturapiClient({ baseUrl: facturapi.baseUrl, userKey: facturapi.userKey!, timeoutMs: facturapi.timeoutMs, logger });
    return { client, emulator: null, close: async () => {} };
  }
  const userKey = `sk_user_emulator${randomBytes(16).toString('hex')}`;
  const emulator = await startEmulator({ userKeys: [userKey], port: facturapi.emulatorPort, now, logger: logger.child({ component: 'emulator' }) });
  const client = createFacturapiClient({ baseUrl: emulator.url, userKey, timeoutMs: facturapi.timeoutMs, logger });
  // Info, not warn: demo mode is the intended first start, and every page says so in a banner.
  logger.info({ emulatorUrl: emulator.url }, 'No FACTURAPI_USER_KEY: running against the built-in Facturapi emulator; nothing is sent to Facturapi');
  return { client, emulator, close: () => emulator.close() };
}
