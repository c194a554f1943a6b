/**
 * Starts the real app on port 0 against the real emulator on port 0, with a fixed clock and
 * captured debug logs: the component-test setup (practice 13 in docs/style.md).
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type AppDeps } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createFacturapiClient } from '../../src/facturapi/client.js';
import { startEmulator, type RunningEmulator } from '../../src/facturapi/emulator/emulator-server.js';
import type { OrganizationWire } from '../../src/facturapi/emulator/organization-wire.js';
import { createLogger } from '../../src/logger.js';
import { LogCapture } from './log-capture.js';
import { FIXTURE_REFERENCE_DATE } from './sat-fixtures.js';

export const TEST_USER_KEY = 'sk_user_TestKey0123456789abcdef';

export const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

export interface TestApp {
  url: string;
  server: Server;
  emulator: RunningEmulator;
  logs: LogCapture;
  now: Date;
  close(): Promise<void>;
}

export interface TestAppOptions {
  now?: Date;
  organizations?: OrganizationWire[];
  timeoutMs?: number;
  env?: Record<string, string>;
  /** The key the app sends; defaults to the one the emulator accepts. */
  clientUserKey?: string;
  deps?: Partial<AppDeps>;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const now = options.now ?? FIXTURE_REFERENCE_DATE;
  const clock = () => now;
  const logs = new LogCapture();
  const logger = createLogger({ level: 'debug', destination: logs.stream });
  const emulator = await startEmulator({ userKeys: [TEST_USER_KEY], now: clock, organizations: options.organizations });
  const config = loadConfig({
    NODE_ENV: 'test',
    FACTURAPI_USER_KEY: TEST_USER_KEY,
    FACTURAPI_BASE_URL: emulator.url,
    FACTURAPI_TIMEOUT_MS: String(options.timeoutMs ?? 5000),
    DATA_DIR: '/nonexistent-test-data-dir',
    ...options.env,
  });
  const facturapi = createFacturapiClient({
    baseUrl: emulator.url,
    userKey: options.clientUserKey ?? TEST_USER_KEY,
    timeoutMs: config.facturapi.timeoutMs,
    logger,
    retry: { baseDelayMs: 1 },
  });
  const app = createApp({ config, logger, facturapi, now: clock, ...options.deps });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    emulator,
    logs,
    now,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.close();
    },
  };
}
