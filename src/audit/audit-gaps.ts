/**
 * When the trail cannot be written around a change at Facturapi, the log is the last record of
 * it, so these lines are errors with everything an operator needs to repair the trail by hand:
 * the attempt's id, the organization, what Facturapi answered. Only the error's message and code
 * are logged (a database error carries no secret; a raw error object might carry anything).
 */
import type { Logger } from '../logger.js';
import type { AuditAction } from './audit-actions.js';

/** The change, as the log line names it. */
export interface AuditGapFacts {
  action: AuditAction;
  organizationId: string;
  /** What Facturapi answered (`uploaded`, `rejected`, `removed`, …). */
  result: string;
  certificateNumber?: string | null;
}

function errorFields(error: unknown): { message: string; code?: string } {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  return { message: message.slice(0, 300), ...(typeof code === 'string' ? { code } : {}) };
}

/** The attempt was written and the change made, but its outcome could not be: the trail says "unknown". */
export function logAuditGap(log: Logger, auditEventId: string, facts: AuditGapFacts, error: unknown): void {
  log.error(
    { auditEventId, ...facts, err: errorFields(error) },
    'audit gap: the change was made at Facturapi but its audit event could not be completed (it shows as sent, outcome unknown)',
  );
}

/** The attempt could not be written, so nothing was sent. */
export function logAttemptNotRecorded(log: Logger, facts: Omit<AuditGapFacts, 'result'>, error: unknown): void {
  log.error({ ...facts, err: errorFields(error) }, 'audit attempt could not be written: nothing was sent to Facturapi');
}
