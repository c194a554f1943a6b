/*
 * `npx tsx scripts/bench-pre-send.ts`: what the checks before sending cost an upload (issue 10,
 * point 3). The upload now reads the organization before relaying, in parallel with the
 * certificate check, and decides from it (another RFC installed, the same certificate, an earlier
 * expiry). Measured here, in-process against the emulator with 3,000 organizations:
 *   - the read alone (GET /organizations/{id}) at 0 ms and 50 ms upstream latency;
 *   - the certificate check alone (inspectCsd), which the read runs alongside;
 *   - the added time per upload: the app runs the check in its worker pool while the read is in
 *     flight, so an upload waits max(read, check) instead of check: max(0, read - check). (Here
 *     both run on one thread, so they are timed apart rather than together.)
 *   - the decision itself (decideBeforeSending), pure.
 * Medians of a few hundred runs; one process, so a rough but honest figure for this machine.
 */
import { inspectCsd } from '../src/certificates/index.js';
import { createFacturapiClient } from '../src/facturapi/client.js';
import { decideBeforeSending } from '../src/uploads/upload-checks.js';
import { generatedOrganizations, startEmulator } from '../emulator/index.js';
import { generateSatPair } from '../fixtures/index.js';

const KEY = 'sk_user_bench_key_not_real_0123';
const RUNS = 300;
const now = new Date();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

async function time(run: () => unknown, runs = RUNS): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

const organizations = generatedOrganizations(3000, now);
const emulator = await startEmulator({ userKeys: [KEY], organizations });
const client = createFacturapiClient({ baseUrl: emulator.url, userKey: KEY, timeoutMs: 10_000 });
const target = organizations[1]!; // one with a certificate installed
const pair = generateSatPair({ validFrom: new Date(now.getTime() - 86_400_000), validTo: new Date(now.getTime() + 900 * 86_400_000) });
const input = { cer: pair.cer, key: pair.key, password: pair.password, now };
const organization = await client.getOrganization(target.id);

await time(() => client.getOrganization(target.id), 50); // warm-up
const rows: string[] = [];
for (const latencyMs of [0, 50]) {
  emulator.setFault(latencyMs ? { kind: 'latency', ms: latencyMs } : null, { match: { method: 'GET' } });
  const runs = latencyMs ? 60 : RUNS;
  const read = await time(() => client.getOrganization(target.id), runs);
  const check = await time(() => inspectCsd(input), runs);
  rows.push(`| ${latencyMs} ms | ${round(read)} | ${round(check)} | ${round(Math.max(0, read - check))} |`);
}
emulator.setFault(null);
const inspected = inspectCsd(input);
if (!inspected.ok) throw new Error('the bench pair did not pass the check');
const { facts } = inspected;
const decide = await time(() => decideBeforeSending(facts, organization, false), 10_000);

process.stdout.write(['| upstream latency | read ms | check ms | added per upload ms |', '| --- | --- | --- | --- |', ...rows].join('\n') + '\n');
process.stdout.write(`decision (decideBeforeSending): ${round(decide * 1000, 1)} µs median\n`);
await emulator.close();
