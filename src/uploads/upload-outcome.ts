/**
 * What an upload attempt came to, as codes and facts: the use case returns it, its audit event
 * records it, and the web layer turns it into a page. Its own file so that neither of those two
 * has to import the other for the type.
 */
import type { CertificateFacts, Problem } from '../certificates/index.js';
import type { FacturapiUnavailableError } from '../facturapi/errors.js';
import type { Organization } from '../facturapi/organization.js';
import type { UploadWarning } from './upload-warnings.js';

/** The attempt was sent but its completion could not be written: the trail says "outcome unknown". */
export interface AuditGap {
  auditEventId: string;
  error: unknown;
}

export type UploadOutcome = (
  | { kind: 'uploaded'; organization: Organization; facts: CertificateFacts; warnings: UploadWarning[] }
  | { kind: 'invalid'; problems: Problem[]; facts: CertificateFacts | null }
  | { kind: 'rejected'; code: string | null; message: string; logId: string | null; facts: CertificateFacts }
  | { kind: 'unauthorized'; facts: CertificateFacts }
  | { kind: 'unavailable'; reason: FacturapiUnavailableError['reason']; logId: string | null; facts: CertificateFacts }
  | { kind: 'not_recorded'; facts: CertificateFacts; error: unknown }
) & { auditGap?: AuditGap };
