/**
 * Issue 14, point 3: would piscina or tinypool be as fast as the app's own inspection pool?
 * One worker each (as on a 2-core machine), 64 tasks in flight, the real SAT test CSD, rounds
 * alternating between the three; prints wall and process CPU per task. Neither library is a
 * dependency of the app, so install them next to it for the run only:
 *
 *   npm run build && npm install --no-save piscina@4 tinypool@1 &&
 *   SAT_SAMPLES_DIR=../shared/fixtures/sat node scripts/bench/pool-comparison/run.mjs
 *
 * (`npm ci` afterwards restores node_modules to the lock file.)
 */
import fs from 'node:fs';
import path from 'node:path';
import Piscina from 'piscina';
import Tinypool from 'tinypool';
import { createInspectionPool } from '../../../dist/src/certificates/inspection-pool.js';

const dir = process.env.SAT_SAMPLES_DIR ?? '../shared/fixtures/sat';
const cer = fs.readFileSync(path.join(dir, 'csd-EKU9003173C9.cer'));
const key = fs.readFileSync(path.join(dir, 'csd-EKU9003173C9.key'));
const password = fs.readFileSync(path.join(dir, 'csd-EKU9003173C9.password.txt'), 'utf8').trim();
// Inside the test certificate's validity: the check does all its work.
const now = new Date('2024-01-01T00:00:00Z');
const TASKS = Number(process.env.TASKS ?? 1500);
const IN_FLIGHT = 64;

const worker = new URL('./worker.mjs', import.meta.url).href;
const ours = createInspectionPool({ size: 1 });
const piscina = new Piscina({ filename: worker, minThreads: 1, maxThreads: 1 });
const tinypool = new Tinypool({ filename: worker, minThreads: 1, maxThreads: 1 });
// The libraries get what ours does itself: a copy of each file, transferred.
const copies = () => [new Uint8Array(cer), new Uint8Array(key)];
const pools = {
  ours: () => ours.inspect({ cer, key, password, now }),
  piscina: () => {
    const [c, k] = copies();
    return piscina.run({ cer: c, key: k, password, now }, { transferList: [c.buffer, k.buffer] });
  },
  tinypool: () => {
    const [c, k] = copies();
    return tinypool.run({ cer: c, key: k, password, now }, { transferList: [c.buffer, k.buffer] });
  },
};

async function measure(name, tasks) {
  let started = 0;
  let failed = 0;
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (started++ < tasks) if (!(await pools[name]()).ok) failed += 1;
  }));
  const cpu = process.cpuUsage(cpu0);
  return { wallMs: (performance.now() - wall0) / tasks, cpuMs: (cpu.user + cpu.system) / 1000 / tasks, failed };
}

for (const name of Object.keys(pools)) await measure(name, 300);
const results = Object.fromEntries(Object.keys(pools).map((name) => [name, []]));
for (let round = 0; round < 3; round++) for (const name of Object.keys(pools)) results[name].push(await measure(name, TASKS));
const list = (xs) => xs.map((x) => x.toFixed(2)).join(', ');
for (const [name, runs] of Object.entries(results)) {
  console.log(`${name.padEnd(9)} wall ms/task ${list(runs.map((r) => r.wallMs))} | process CPU ms/task ${list(runs.map((r) => r.cpuMs))} | failed ${runs.reduce((n, r) => n + r.failed, 0)}`);
}
await ours.close();
await piscina.destroy();
await tinypool.destroy();
