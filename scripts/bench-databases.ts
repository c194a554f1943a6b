/*
 * The bench's database column (issue 13, item 5): uploads/s and CPU per upload of the built
 * server on SQLite and on PostgreSQL, with one instance and with two sharing the database (the
 * load split round-robin, CPU summed over both processes). The same production settings, emulator
 * and certificate as the main bench, upstream answering at once, concurrency 16.
 * PostgreSQL needs BENCH_DATABASE_URL (or TEST_DATABASE_URL, which .ci/run sets): each run gets a
 * fresh schema there, dropped afterwards. Two SQLite instances share one data folder (WAL), which
 * the app allows (the CLI does it) but is not how it is meant to scale.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { setPassword } from '../src/accounts/set-password.service.js';
import { createUser } from '../src/accounts/users.service.js';
import { createAuditTrail } from '../src/audit/audit.service.js';
import { openDatabase, type DatabaseLocation } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { httpRequest, rawSignIn, uploadBody } from '../tools/raw-http.js';
import { spawnServer, type SpawnedServer } from '../tools/spawned-server.js';
import { cpuMs, freePort } from './bench/measure.js';

export interface DatabaseRow {
  database: 'sqlite' | 'postgres';
  instances: 1 | 2;
  concurrency: number;
  uploadsPerSecond: number;
  cpuMsPerUpload: number;
  p50: number;
  p99: number;
  errors: number;
}

export interface DatabaseBenchInput {
  env: Record<string, string>;
  pair: { cer: Buffer; key: Buffer; password: string };
  targets: string[];
  quick: boolean;
  proxyHeaders: Record<string, string>;
}

const CONCURRENCY = 16;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const at = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function seedSupport(location: DatabaseLocation, email: string, password: string): Promise<void> {
  const database = openDatabase(location);
  try {
    await migrateToLatest(database.db);
    const ctx = { now: () => new Date(), actor: null, userAgent: 'bench' };
    const audit = createAuditTrail(database.db, { now: ctx.now });
    const user = await createUser(database.db, audit, { email, name: 'Bench', role: 'support' }, ctx);
    await setPassword(database.db, audit, user.id, password, ctx);
  } finally {
    await database.close();
  }
}

/** Uploads at CONCURRENCY, request i to instance i mod n; latencies sorted. */
async function load(urls: string[], headersFor: (i: number) => Record<string, string | number>, body: Buffer, targets: string[], count: number) {
  const agents = urls.map(() => new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY }));
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < count; i = next++) {
        const n = i % urls.length;
        const t0 = performance.now();
        const res = await httpRequest(`${urls[n]}/organizations/${targets[i % targets.length]}/certificate`, { method: 'POST', headers: headersFor(i), body, agent: agents[n] }).catch(() => null);
        latencies.push(performance.now() - t0);
        if (res?.status !== 303) errors++;
      }
    }),
  );
  const wallMs = performance.now() - started;
  agents.forEach((a) => a.destroy());
  return { latencies: latencies.sort((x, y) => x - y), wallMs, errors };
}

async function measure(database: 'sqlite' | 'postgres', instances: 1 | 2, input: DatabaseBenchInput, postgresUrl: string | undefined): Promise<DatabaseRow> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csd-relay-bench-db-'));
  let admin: pg.Client | null = null;
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const servers: SpawnedServer[] = [];
  try {
    let env: Record<string, string> = { ...input.env, DATA_DIR: dataDir };
    let location: DatabaseLocation = { dataDir };
    if (database === 'postgres') {
      admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query(`create schema "${schema}"`);
      const url = new URL(postgresUrl!);
      url.searchParams.set('options', `-c search_path=${schema}`);
      env = { ...env, DATABASE_URL: url.toString() };
      location = { postgres: { url: postgresUrl!, poolMax: 2, statementTimeoutMs: 15_000, ssl: 'disable', schema } };
    }
    const email = 'bench-db@example.test';
    const password = 'bench-db-pass-phrase-2026';
    await seedSupport(location, email, password);
    // A fixed port each: below info level spawnServer finds a server by polling its /healthz.
    for (let i = 0; i < instances; i++) servers.push(await spawnServer({ ...env, PORT: String(await freePort()) }));
    const urls = servers.map((s) => s.url);
    // One session, signed in on the first instance, used on every instance (no sticky sessions).
    const session = await rawSignIn(urls[0]!, email, password, input.proxyHeaders);
    const { body, contentType } = uploadBody(session, input.pair);
    const headers = { ...input.proxyHeaders, Cookie: session.cookie, 'Content-Type': contentType, 'Content-Length': body.length };
    const size = input.quick ? 160 : 800;
    await load(urls, () => headers, body, input.targets, Math.ceil(size / 5)); // warm-up
    const cpuBefore = servers.map((s) => cpuMs(s.child.pid!));
    const { latencies, wallMs, errors } = await load(urls, () => headers, body, input.targets, size);
    const cpu = servers.reduce((sum, s, i) => sum + cpuMs(s.child.pid!) - cpuBefore[i]!, 0);
    return {
      database, instances, concurrency: CONCURRENCY,
      uploadsPerSecond: round((size / wallMs) * 1000), cpuMsPerUpload: round(cpu / size, 2),
      p50: round(at(latencies, 50), 2), p99: round(at(latencies, 99), 2), errors,
    };
  } finally {
    for (const server of servers) {
      if (server.child.exitCode === null) {
        server.child.kill('SIGTERM');
        await server.exited;
      }
    }
    if (admin) {
      await admin.query(`drop schema if exists "${schema}" cascade`);
      await admin.end();
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Every configuration; PostgreSQL ones only with a server (`skipped` says why not). */
export async function benchDatabases(input: DatabaseBenchInput, postgresUrl: string | undefined): Promise<{ rows: DatabaseRow[]; skipped: string | null }> {
  const rows: DatabaseRow[] = [];
  const configs: Array<readonly ['sqlite' | 'postgres', 1 | 2]> = [['sqlite', 1], ['sqlite', 2], ...(postgresUrl ? ([['postgres', 1], ['postgres', 2]] as const) : [])];
  for (const [database, instances] of configs) {
    const row = await measure(database, instances, input, postgresUrl);
    rows.push(row);
    process.stdout.write(`  ${database.padEnd(8)} ×${instances}  c=${CONCURRENCY}  ${row.uploadsPerSecond} uploads/s  CPU ${row.cpuMsPerUpload} ms/upload  p50 ${row.p50} ms  p99 ${row.p99} ms${row.errors ? `  ERRORS ${row.errors}` : ''}\n`);
  }
  return { rows, skipped: postgresUrl ? null : 'PostgreSQL skipped: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a server where the role may create schemas' };
}

export function renderDatabaseTable(result: { rows: DatabaseRow[]; skipped: string | null }): string {
  return [
    '| database | instances | concurrency | uploads/s | CPU ms/upload (all instances) | p50 ms | p99 ms | errors |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...result.rows.map((r) => `| ${r.database === 'sqlite' ? 'SQLite' : 'PostgreSQL'} | ${r.instances} | ${r.concurrency} | ${r.uploadsPerSecond} | ${r.cpuMsPerUpload} | ${r.p50} | ${r.p99} | ${r.errors} |`),
    ...(result.skipped ? [`\n${result.skipped}`] : []),
  ].join('\n');
}
