/**
 * An audit trail whose writes fail on demand, the way SQLite fails when the disk is full
 * (SQLITE_FULL), for `startTestApp({ wrapAudit })`. Reads go to the real trail, so a test can
 * still look at what was (not) written through `TestApp.audit`.
 */
import BetterSqlite3 from 'better-sqlite3';
import type { AuditTrail } from '../../src/audit/audit.service.js';

/** One write the app attempts: a plain event, an attempt before a change, or its completion. */
export interface AuditWrite {
  op: 'record' | 'begin' | 'complete';
  /** For `complete`, the action of the attempt it completes. */
  action: string | undefined;
  outcome: string;
}

/** The error better-sqlite3 throws when the database cannot grow. */
export function diskFullError(): Error {
  return new BetterSqlite3.SqliteError('database or disk is full', 'SQLITE_FULL');
}

/** Wraps `real` so that every write for which `shouldFail` says true throws SQLITE_FULL instead. */
export function failingAudit(real: AuditTrail, shouldFail: (write: AuditWrite) => boolean): AuditTrail {
  const actionOfAttempt = new Map<string, string>();
  const check = (write: AuditWrite) => {
    if (shouldFail(write)) throw diskFullError();
  };
  return {
    ...real,
    async record(event, trx) {
      check({ op: 'record', action: event.action, outcome: event.outcome });
      return real.record(event, trx);
    },
    async begin(event) {
      check({ op: 'begin', action: event.action, outcome: 'unknown' });
      const id = await real.begin(event);
      actionOfAttempt.set(id, event.action);
      return id;
    },
    async complete(id, outcome, detail) {
      check({ op: 'complete', action: actionOfAttempt.get(id), outcome });
      return real.complete(id, outcome, detail);
    },
  };
}
