/**
 * Turns upload outcomes into form messages: inspector problems and Facturapi codes each have a
 * catalogue entry; an unknown Facturapi code shows Facturapi's own message with its log id.
 */
import type { Problem } from '../certificates/index.js';
import { isMessageKey, type Formatters, type MessageKey } from '../i18n/index.js';
import type { FormMessage } from '../organizations/organization.view.js';

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

/** Applies `localizeParams` to warnings computed by the service. */
export function localizeMessages(messages: FormMessage[], fmt: Formatters): FormMessage[] {
  return messages.map((m) => ({ ...m, params: localizeParams(m.params, fmt) }));
}
