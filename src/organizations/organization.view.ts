/**
 * The organization page: its certificate status and the upload form. Uploads re-render it with
 * their errors, so the view model is built in one place.
 */
import type { Response } from 'express';
import type { Organization } from '../facturapi/organization.js';
import type { MessageKey, Params } from '../i18n/index.js';
import type { AuditEventView } from '../audit/audit-query.js';
import type { AuditTrail } from '../audit/audit.service.js';
import { asSeenBy } from '../audit/audit-visibility.js';
import { MAX_FILE_BYTES } from '../certificates/index.js';
import type { Formatters } from '../i18n/index.js';
import type { Role } from '../accounts/roles.js';
import { certificateBadge, pendingStepsFor, type Badge } from './certificate-status.js';
import type { PendingStep } from '../facturapi/organization.js';
import type { SuccessWarning } from './organizations.schema.js';

/** A message of the upload form (catalogue key and params, translated by the template) and where it belongs: next to a field or at the top. */
export interface FormMessage {
  field: 'cer' | 'key' | 'password' | 'form';
  key: MessageKey;
  params?: Params;
}

export interface UploadViewState {
  errors?: FormMessage[];
  warnings?: FormMessage[];
  /** The files the person chose, so the page can say what it received (names are shown escaped). */
  received?: { field: 'cer' | 'key'; name: string; size: number }[];
  facturapiLogId?: string | null;
  /** Set after a successful upload (post/redirect/get). */
  success?: { certificateNumber: string; validFrom: Date | null; warnings: FormMessage[] } | null;
}

export interface OrganizationPageModel {
  organization: Organization;
  badge: Badge;
  /** Facturapi's pending steps, agreeing with the badge (an expired CSD is a step, whatever Facturapi says). */
  pendingSteps: PendingStep[];
  upload: UploadViewState;
  /** The latest uploads and removals from the audit trail. */
  history: AuditEventView[];
}

/** How many certificate events the page lists. */
export const HISTORY_SIZE = 10;

/** Adds the organization's latest certificate events from the audit trail. */
export async function withHistory(audit: AuditTrail, model: OrganizationPageModel): Promise<OrganizationPageModel> {
  const { rows } = await audit.query({ organizationId: model.organization.id, actions: ['certificate.upload', 'certificate.delete'], page: 1, pageSize: HISTORY_SIZE });
  return { ...model, history: rows };
}

/**
 * The warnings named in the result URL, with their values recomputed from what Facturapi now
 * holds (so the URL carries names only, and a stale or hand-made one cannot mislead).
 */
export function successWarnings(names: readonly SuccessWarning[], organization: Organization, now: Date, fmt: Formatters): FormMessage[] {
  const warnings: FormMessage[] = [];
  const expiresAt = organization.certificate.expiresAt;
  if (names.includes('expires_soon') && expiresAt) {
    const badge = certificateBadge(organization.certificate, now);
    if (badge.state === 'expiring') warnings.push({ field: 'form', key: 'warning.expires_soon', params: { days: badge.daysLeft ?? 0, validTo: fmt.date(expiresAt) } });
  }
  if (names.includes('sat_test_certificate')) warnings.push({ field: 'form', key: 'warning.sat_test_certificate' });
  return warnings;
}

export function organizationPageModel(organization: Organization, now: Date, upload: UploadViewState = {}): OrganizationPageModel {
  const badge = certificateBadge(organization.certificate, now);
  return { organization, badge, pendingSteps: pendingStepsFor(organization.pendingSteps, badge), upload, history: [] };
}

export function renderOrganizationPage(res: Response, status: number, model: OrganizationPageModel): void {
  res.locals.organizationId = model.organization.id;
  // After a failed upload (a POST) the language switch comes back here, not to the form's action.
  res.locals.pageUrl = `/organizations/${model.organization.id}`;
  // The form's script checks sizes before sending with the server's own limit.
  res.locals.maxFileBytes = MAX_FILE_BYTES;
  const history = model.history.map((e) => asSeenBy(res.locals.currentUser as { role: Role } | undefined, e));
  res.status(status).render('organization', { ...model, history });
}
