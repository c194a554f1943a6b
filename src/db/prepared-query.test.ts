import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/test-database.js';
import type { OpenDatabase } from './database.js';
import { preparedQuery } from './prepared-query.js';
import { inTransaction } from './transaction.js';

// Runs on SQLite, and on PostgreSQL in the app-postgres project (createTestDatabase follows it).
let opened: OpenDatabase;
beforeEach(async () => {
  opened = await createTestDatabase();
});
afterEach(() => opened.close());

const insertGeneration = preparedQuery<{ name: string; generation: number }, never>((db, param) =>
  db.insertInto('cache_generations').values({ name: param('name'), generation: param('generation') }),
);
const generationOf = preparedQuery<{ name: string }, { generation: number }>((db, param) =>
  db.selectFrom('cache_generations').select('generation').where('name', '=', param('name')),
);
const setGeneration = preparedQuery<{ name: string; generation: number }, never>((db, param) =>
  db.updateTable('cache_generations').set({ generation: param('generation') }).where('name', '=', param('name')).where('generation', '<', 1000),
);

describe('preparedQuery', () => {
  it('runs with the values of each call, compiled once', async () => {
    await insertGeneration(opened.db, { name: 'a', generation: 1 });
    await insertGeneration(opened.db, { name: 'b', generation: 2 });
    expect((await generationOf(opened.db, { name: 'a' })).rows).toEqual([{ generation: 1 }]);
    expect((await generationOf(opened.db, { name: 'b' })).rows).toEqual([{ generation: 2 }]);
    expect((await generationOf(opened.db, { name: 'c' })).rows).toEqual([]);
  });

  it('binds values as parameters, never as SQL: a quote or a comment is data', async () => {
    const hostile = "x'; DELETE FROM cache_generations; --";
    await insertGeneration(opened.db, { name: 'kept', generation: 7 });
    await insertGeneration(opened.db, { name: hostile, generation: 8 });
    expect((await generationOf(opened.db, { name: hostile })).rows).toEqual([{ generation: 8 }]);
    expect((await generationOf(opened.db, { name: 'kept' })).rows).toEqual([{ generation: 7 }]);
  });

  it('keeps the constants of the query and reports affected rows', async () => {
    await insertGeneration(opened.db, { name: 'a', generation: 1 });
    await insertGeneration(opened.db, { name: 'big', generation: 5000 });
    expect(Number((await setGeneration(opened.db, { name: 'a', generation: 3 })).numAffectedRows)).toBe(1);
    // `generation < 1000` is the query's own constant, not a value of the call.
    expect(Number((await setGeneration(opened.db, { name: 'big', generation: 3 })).numAffectedRows)).toBe(0);
  });

  it('runs inside a transaction, and a rollback undoes it', async () => {
    await expect(
      inTransaction(opened.db, async (trx) => {
        await insertGeneration(trx, { name: 'in-trx', generation: 1 });
        expect((await generationOf(trx, { name: 'in-trx' })).rows).toHaveLength(1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await generationOf(opened.db, { name: 'in-trx' })).rows).toEqual([]);
  });

  it('refuses at the first compile a placeholder that is not bound as a parameter', async () => {
    const unbound = preparedQuery<{ a: string }, { generation: number }>((db, param) =>
      // The placeholder is taken but never reaches a value position.
      db.selectFrom('cache_generations').select('generation').$if(param('a') === undefined, (q) => q),
    );
    await expect(unbound(opened.db, { a: 'x' })).rejects.toThrow(/1 placeholders but 0 bound/);
  });
});
