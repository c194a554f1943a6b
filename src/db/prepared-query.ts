/**
 * A Kysely query compiled once and run many times with new values. Every request loads its
 * session and its user, and every upload writes its audit attempt and completes it: the same few
 * statements, each of which Kysely would build as a tree of immutable nodes and compile to SQL
 * again (Kysely's share of the upload's CPU profile was the largest of any library).
 *
 * The query is built with placeholders standing for the values, compiled on first use for the
 * executor's dialect (SQLite's `?` and PostgreSQL's `$1` differ), and then each run swaps the
 * values into the parameter list handed to the driver: values are never spliced into the SQL, so
 * it is exactly as safe as Kysely's own binding. (`kysely-params` does the same, but depends on
 * Kysely 0.24, two majors behind ours.)
 *
 * Only for values Kysely binds as they are (comparisons, `set`, `values`); not for `in` lists,
 * whose shape depends on the value. A placeholder that does not come out as one parameter fails
 * at the first compile.
 */
import type { Compilable, CompiledQuery, QueryResult } from 'kysely';
import type { Executor } from './database.js';

const PLACEHOLDER = Symbol('prepared query placeholder');

interface Placeholder {
  readonly [PLACEHOLDER]: string;
}

type Slot = { name: string } | { value: unknown };

/** Stands for the value named `name` while the query is built. */
export type Param<P> = <K extends keyof P & string>(name: K) => P[K];

const isPlaceholder = (value: unknown): value is Placeholder => typeof value === 'object' && value !== null && PLACEHOLDER in value;

export function preparedQuery<P extends Record<string, unknown>, R>(build: (db: Executor, param: Param<P>) => Compilable<R>): (db: Executor, values: P) => Promise<QueryResult<R>> {
  // One compilation per dialect adapter: the database and its transactions share one.
  const compilations = new WeakMap<object, { compiled: CompiledQuery<R>; slots: Slot[] }>();

  const compile = (db: Executor) => {
    const names: string[] = [];
    const compiled = build(db, ((name: string) => {
      names.push(name);
      return { [PLACEHOLDER]: name };
    }) as Param<P>).compile();
    const slots: Slot[] = compiled.parameters.map((value) => (isPlaceholder(value) ? { name: value[PLACEHOLDER] } : { value }));
    const bound = slots.filter((slot) => 'name' in slot).length;
    if (bound !== names.length) throw new Error(`prepared query: ${names.length} placeholders but ${bound} bound parameters in: ${compiled.sql}`);
    return { compiled, slots };
  };

  return async (db, values) => {
    const adapter = db.getExecutor().adapter;
    let compilation = compilations.get(adapter);
    if (!compilation) {
      compilation = compile(db);
      compilations.set(adapter, compilation);
    }
    const { compiled, slots } = compilation;
    return db.executeQuery({ ...compiled, parameters: slots.map((slot) => ('name' in slot ? values[slot.name] : slot.value)) });
  };
}
