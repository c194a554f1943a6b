/**
 * The upload's words: turns what the use case and the schema return (inspector problems,
 * Facturapi codes, warning codes, zod issues) into form messages. Inspector problems and Facturapi
 * codes each have a catalogue entry; an unknown Facturapi code shows Facturapi's own message with
 * its log id.
 */
import type { z } from 'zod';
import type { Problem } from '../certificates/index.js';
import { isMessageKey, type Formatters, type MessageKey } from '../i18n/index.js';
import type { FormMessage, UploadViewState } from '../organizations/organization.view.js';
import { MAX_PASSWORD_LENGTH } from './upload.limits.js';
import type { UploadOutcome } from './upload-outcome.js';
import type { UploadWarning } from './upload-warnings.js';
import { CREDENTIALS, type CredentialKind } from './credential-kinds.js';

const DATE_PARAMS = new Set(['validFrom', 'validTo']);

/** Dates travel as ISO strings; show them in the reader's language. */
export function localizeParams(params: Record<string, string | number> | undefined, fmt: Formatters): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    out[name] = DATE_PARAMS.has(name) && typeof value === 'string' ? fmt.date(new Date(value)) : value;
  }
  return out;
}

export function problemMessages(problems: Problem[], fmt: Formatters): FormMessage[] {
  return problems.map((problem) => {
    const specific = `problem.${problem.code}.${problem.field}`;
    const key: MessageKey = isMessageKey(specific) ? specific : isMessageKey(`problem.${problem.code}`) ? (`problem.${problem.code}` as MessageKey) : 'problem.certificate_files_invalid';
    return { field: problem.field ?? 'form', key, params: localizeParams(problem.params, fmt) };
  });
}

export function facturapiRejectionMessage(code: string | null, message: string): FormMessage {
  const key = code ? `facturapi.${code}` : '';
  if (code && isMessageKey(key) && key !== 'facturapi.unknown') return { field: 'form', key };
  return { field: 'form', key: 'facturapi.unknown', params: { message: message.slice(0, 300) } };
}

/** Warning codes of the use case, in the reader's language. */
export function warningMessages(warnings: readonly UploadWarning[], fmt: Formatters): FormMessage[] {
  return warnings.map((warning): FormMessage => {
    switch (warning.code) {
      case 'expires_soon':
        return { field: 'form', key: 'warning.expires_soon', params: { days: warning.days, validTo: fmt.date(warning.validTo) } };
      case 'sat_test_certificate':
        return { field: 'form', key: 'warning.sat_test_certificate', params: {} };
      case 'rfc_differs':
        return { field: 'form', key: 'warning.rfc_differs', params: { certificateRfc: warning.certificateRfc, organizationRfc: warning.organizationRfc } };
    }
  });
}

type ShownOutcome = Exclude<UploadOutcome, { kind: 'uploaded' | 'not_recorded' | 'unauthorized' }>;

/**
 * An upload that did not end installed, as the page shows it: under which heading (what reached
 * Facturapi), with which messages, and what else the form needs (the confirmation checkbox, the
 * "check again" button).
 */
export function refusedView(outcome: ShownOutcome, warnings: UploadWarning[], fmt: Formatters, kind: CredentialKind = 'csd'): UploadViewState {
  const swapped: FormMessage[] = outcome.swapped ? [{ field: 'form', key: 'upload.swapped' }] : [];
  const shownWarnings = [...warningMessages(warnings, fmt), ...swapped];
  switch (outcome.kind) {
    case 'invalid':
      return { heading: 'refused_here', errors: problemMessages(outcome.problems, fmt), warnings: swapped };
    case 'conflict': {
      const installed = outcome.organization.certificate;
      if (outcome.code === 'fiel_rfc_mismatch') {
        const params = { certificateRfc: outcome.facts.rfc, organizationRfc: outcome.organization.rfc ?? '' };
        return { heading: 'refused_here', errors: [{ field: 'cer', key: 'fiel.conflict.rfc_mismatch', params }], warnings: shownWarnings };
      }
      if (outcome.code === 'previous_rfc_mismatch') {
        const params = { certificateRfc: outcome.facts.rfc, organizationRfc: outcome.organization.rfc ?? '' };
        return { heading: 'refused_here', errors: [{ field: 'cer', key: 'upload.conflict.previous_rfc_mismatch', params }], warnings: shownWarnings };
      }
      const installedExpiresAt = installed.expiresAt ?? outcome.facts.validTo;
      const params = { validTo: fmt.date(outcome.facts.validTo), installedValidTo: fmt.date(installedExpiresAt) };
      return { heading: 'refused_here', errors: [{ field: 'form', key: 'upload.conflict.expires_before_installed', params }], warnings: shownWarnings, confirmEarlierExpiry: { validTo: outcome.facts.validTo, installedExpiresAt } };
    }
    case 'already_installed':
      return { notice: { field: 'form', key: 'upload.alreadyInstalled', params: { number: outcome.facts.certificateNumber } }, warnings: swapped };
    case 'not_sent':
      return { heading: 'not_sent', errors: [{ field: 'form', key: outcome.reason === 'rate_limited' ? 'upload.notSent.rateLimited' : 'upload.notSent.unavailable' }], warnings: swapped };
    case 'rejected':
      return { heading: 'refused_by_facturapi', errors: [facturapiRejectionMessage(outcome.code, outcome.message)], warnings: shownWarnings, facturapiLogId: outcome.logId };
    case 'unavailable':
      return {
        heading: 'no_answer',
        errors: [{ field: 'form', key: `upload.noAnswer.${outcome.reason}` }],
        warnings: shownWarnings,
        facturapiLogId: outcome.logId,
        noAnswer: {
          readBack: outcome.readBack === 'unconfirmed' ? 'unconfirmed' : 'not_installed',
          certificateNumber: outcome.facts.certificateNumber,
          installedNumber: CREDENTIALS[kind].installed(outcome.organization).serialNumber,
          attemptId: outcome.auditEventId,
        },
      };
  }
}

/**
 * The result page's query after an installed upload: the number (the page shows the success only
 * when Facturapi holds it) and the names of the notes it recomputes; nothing secret.
 */
export function successQuery(outcome: Extract<UploadOutcome, { kind: 'uploaded' | 'unavailable' }>): URLSearchParams {
  const query = new URLSearchParams({ uploaded: outcome.facts.certificateNumber, from: outcome.facts.validFrom.toISOString() });
  const names: string[] = outcome.kind === 'uploaded' ? outcome.warnings.map((w) => w.code) : ['read_back'];
  if (outcome.swapped) names.push('files_swapped');
  if (names.length > 0) query.set('w', names.join(','));
  return query;
}

/**
 * zod issues of upload.schema.ts's `uploadFormSchema` → form messages; the issue message is the
 * catalogue key set there, and the field is the path's second step (after `files` or `body`).
 */
export function issuesToMessages(issues: readonly z.core.$ZodIssue[]): FormMessage[] {
  return issues.map((issue): FormMessage => {
    const top = String(issue.path[1] ?? '');
    const field = top === 'cer' || top === 'key' || top === 'password' ? top : 'form';
    if (issue.code === 'unrecognized_keys') return { field: 'form', key: 'field.unexpected', params: { field: issue.keys.join(', ').slice(0, 50) } };
    // The e.firma form's confirmation tick has its own message (upload.schema.ts, fielFormSchema).
    const key = issue.message.startsWith('field.') || issue.message === 'fiel.confirm.required' ? issue.message : 'field.malformed';
    return { field, key: key as FormMessage['key'], params: key === 'field.password.tooLong' ? { max: MAX_PASSWORD_LENGTH } : {} };
  });
}
