/**
 * What an upload attempt came to, as codes and facts: the use case returns it, its audit event
 * records it, and the web layer turns it into a page. Its own file so that neither of those two
 * has to import the other for the type.
 *
 * The kinds fall under three headings the page keeps apart (issue 10, point 2): refused here,
 * nothing sent (`invalid`, `conflict`, `already_installed`, `not_sent`, `not_recorded`); sent and
 * refused by Facturapi, nothing changed there (`rejected`); sent and not answered (`unavailable`),
 * where the organization is read back and `readBack` says what that showed.
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

/** Why an upload that would reach Facturapi was not sent (upload-checks.ts). */
export type ConflictCode =
  /** Another RFC's certificate is installed: Facturapi would answer certificate_previous_rfc_mismatch. */
  | 'previous_rfc_mismatch'
  /** It expires before the installed one, and the person has not confirmed the replacement. */
  | 'expires_before_installed'
  /** An e.firma of another RFC than the organization's: Facturapi's e.firma is the taxpayer's own. */
  | 'fiel_rfc_mismatch';

/** What reading the organization back after an unanswered upload showed. */
export type ReadBack =
  /** Facturapi now holds the certificate that was sent. */
  | 'installed'
  /** Facturapi holds another certificate (or none): the upload did not take. */
  | 'not_installed'
  /** The read failed too: nobody knows yet. */
  | 'unconfirmed';

type UnavailableReason = FacturapiUnavailableError['reason'];

export type UploadOutcome = (
  | { kind: 'uploaded'; organization: Organization; facts: CertificateFacts; warnings: UploadWarning[] }
  | { kind: 'invalid'; problems: Problem[]; facts: CertificateFacts | null; organization: Organization | null }
  | { kind: 'conflict'; code: ConflictCode; facts: CertificateFacts; organization: Organization }
  /** The same certificate (number) is already installed: nothing sent, nothing changed. */
  | { kind: 'already_installed'; facts: CertificateFacts; organization: Organization }
  /** The organization could not be read before sending (Facturapi down): nothing sent. */
  | { kind: 'not_sent'; reason: UnavailableReason; facts: CertificateFacts }
  | { kind: 'rejected'; code: string | null; message: string; logId: string | null; facts: CertificateFacts; organization: Organization | null }
  | { kind: 'unauthorized'; facts: CertificateFacts | null }
  | {
      kind: 'unavailable';
      reason: UnavailableReason;
      logId: string | null;
      facts: CertificateFacts;
      readBack: ReadBack;
      /** The organization as read back, or as read before sending when the read-back failed. */
      organization: Organization;
      /** The attempt's audit event, for the re-check to complete. */
      auditEventId: string;
    }
  | { kind: 'not_recorded'; facts: CertificateFacts; error: unknown }
) & {
  auditGap?: AuditGap;
  /** The two files were in each other's field and were used as meant. */
  swapped?: boolean;
};
