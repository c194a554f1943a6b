/*
 * `npm run emulator`: a standalone Facturapi emulator for development and benchmarks.
 * Flags: --port <n> (env FACTURAPI_EMULATOR_PORT, default 3001), --host <loopback>
 * (FACTURAPI_EMULATOR_HOST, default 127.0.0.1), --key <sk_user_…> (FACTURAPI_EMULATOR_KEY,
 * default sk_user_emulator), --generated <n> (extra generated organizations, e.g. 3000).
 */
import { parseArgs } from 'node:util';
import { generatedOrganizations, demoOrganizations } from './demo-data.js';
import { startEmulator } from './emulator-server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    key: { type: 'string' },
    generated: { type: 'string' },
  },
});

const port = Number(values.port ?? process.env.FACTURAPI_EMULATOR_PORT ?? 3001);
const host = values.host ?? process.env.FACTURAPI_EMULATOR_HOST ?? '127.0.0.1';
const key = values.key ?? process.env.FACTURAPI_EMULATOR_KEY ?? 'sk_user_emulator';
const generated = Number(values.generated ?? 0);
const now = new Date();

const emulator = await startEmulator({
  userKeys: [key],
  host,
  port,
  organizations: [...demoOrganizations(now), ...generatedOrganizations(generated, now)],
});

process.stdout.write(
  `Facturapi emulator listening\n  FACTURAPI_BASE_URL=${emulator.url}\n  FACTURAPI_USER_KEY=${key}\n` +
    `  faults: POST ${emulator.url.replace(/\/v2$/, '')}/_emulator/faults\n`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void emulator.close().then(() => process.exit(0));
  });
}
