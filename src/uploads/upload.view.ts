/**
 * The upload's words: turns what the use case and the schema return (inspector problems,
 * Facturapi codes, warning codes, zod issues) into form messages. Inspector problems and Facturapi
 * codes each have a catalogue entry; an unknown Facturapi code shows Facturapi's own message with
 * its log id.
 */
import type { z } from 'zod';
import type { Problem } from '../certificates/index.js';
import { isMessageKey, type Formatters, type MessageKey } from '../i18n/index.js';
import type { FormMessage } from '../organizations/organization.view.js';
import { MAX_PASSWORD_LENGTH } from './upload.limits.js';
import type { UploadWarning } from './upload-warnings.js';

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
      case 'rfc_differs_replace':
        return { field: 'form', key: `warning.${warning.code}`, params: { certificateRfc: warning.certificateRfc, organizationRfc: warning.organizationRfc } };
    }
  });
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
    const key = issue.message.startsWith('field.') ? issue.message : 'field.malformed';
    return { field, key: key as FormMessage['key'], params: key === 'field.password.tooLong' ? { max: MAX_PASSWORD_LENGTH } : {} };
  });
}
