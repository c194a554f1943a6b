/*
 * `npm run emulator`: a standalone Facturapi emulator for development and benchmarks.
 * Flags and environment variables: see cli-config.ts (--port, --host, --key, --generated).
 */
import { EmulatorConfigError, readEmulatorCliConfig, type EmulatorCliConfig } from './cli-config.js';
import { generatedOrganizations, demoOrganizations } from './demo-data.js';
import { startEmulator } from './emulator-server.js';

let config: EmulatorCliConfig;
try {
  config = readEmulatorCliConfig(process.argv.slice(2), process.env);
} catch (error) {
  if (!(error instanceof EmulatorConfigError)) throw error;
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
const now = new Date();

const emulator = await startEmulator({
  userKeys: [config.key],
  host: config.host,
  port: config.port,
  organizations: [...demoOrganizations(now), ...generatedOrganizations(config.generated, now)],
});

process.stdout.write(
  `Facturapi emulator listening\n  FACTURAPI_BASE_URL=${emulator.url}\n  FACTURAPI_USER_KEY=${config.key}\n` +
    `  faults: POST ${emulator.url.replace(/\/v2$/, '')}/_emulator/faults\n`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void emulator.close().then(() => process.exit(0));
  });
}
