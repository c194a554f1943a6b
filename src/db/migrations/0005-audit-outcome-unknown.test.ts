import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenDatabase } from '../database.js';
import * as initial from './0001-initial.js';
import * as outcomeUnknown from './0005-audit-outcome-unknown.js';

let opened: OpenDatabase;
let db: Kysely<any>;
beforeEach(async () => {
  opened = openDatabase({ memory: true });
  db = opened.db as Kysely<any>;
  await initial.up(db);
});
afterEach(() => opened.close());

const row = (id: string, outcome: string) => ({ id, occurred_at: '2026-03-01T00:00:00.000Z', action: 'certificate.upload', outcome, detail: '{"n":1}' });
const indexNames = async () => (await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'audit_events' and sql is not null order by name`.execute(db)).rows.map((r) => r.name);

describe('migration 0005: the audit outcome `unknown`', () => {
  it('keeps every row, index and column (also ones added by other migrations), and then accepts `unknown` only', async () => {
    await db.insertInto('audit_events').values([row('a', 'success'), row('b', 'denied')]).execute();
    // What another migration might have added meanwhile.
    await sql`alter table audit_events add column repeat_count integer`.execute(db);
    await sql`create index audit_events_keyset_idx on audit_events (occurred_at desc, id desc)`.execute(db);
    const before = await indexNames();
    await expect(db.insertInto('audit_events').values(row('c', 'unknown')).execute()).rejects.toThrow(/CHECK/);

    await outcomeUnknown.up(db);

    expect(await indexNames()).toEqual(before);
    expect(before).toContain('audit_events_keyset_idx');
    const rows = await db.selectFrom('audit_events').select(['id', 'outcome', 'detail', 'repeat_count']).orderBy('id').execute();
    expect(rows).toEqual([{ id: 'a', outcome: 'success', detail: '{"n":1}', repeat_count: null }, { id: 'b', outcome: 'denied', detail: '{"n":1}', repeat_count: null }]);
    await db.insertInto('audit_events').values(row('c', 'unknown')).execute();
    await expect(db.insertInto('audit_events').values(row('d', 'pending')).execute()).rejects.toThrow(/CHECK/);
  });

  it('leaves the old table whole when the rebuild fails halfway', async () => {
    await db.insertInto('audit_events').values(row('a', 'success')).execute();
    // The process "crashes" after the copy and the drop, just before the rename.
    const failing = db.withPlugin({
      transformQuery: (args) => {
        if (args.node.kind === 'RawNode' && JSON.stringify(args.node).includes('rename to')) throw new Error('crash during the rebuild');
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    await expect(outcomeUnknown.up(failing)).rejects.toThrow('crash during the rebuild');
    expect(await db.selectFrom('audit_events').select('id').execute()).toEqual([{ id: 'a' }]);
    await expect(db.insertInto('audit_events').values(row('c', 'unknown')).execute()).rejects.toThrow(/CHECK/);
    expect((await sql<{ name: string }>`select name from sqlite_master where name = 'audit_events_rebuilt'`.execute(db)).rows).toEqual([]);
  });

  it('down narrows it back, turning attempts never completed into failures', async () => {
    await outcomeUnknown.up(db);
    await db.insertInto('audit_events').values(row('c', 'unknown')).execute();
    await outcomeUnknown.down(db);
    expect(await db.selectFrom('audit_events').select('outcome').execute()).toEqual([{ outcome: 'failure' }]);
    await expect(db.insertInto('audit_events').values(row('d', 'unknown')).execute()).rejects.toThrow(/CHECK/);
  });
});
