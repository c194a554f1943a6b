/**
 * The organization page: its certificate status and the upload form. Uploads re-render it with
 * their errors, so the view model is built in one place.
 */
import type { Response } from 'express';
import type { Organization } from '../facturapi/organization.js';
import type { MessageKey, Params, Translate } from '../i18n/index.js';
import type { AuditEventView } from '../audit/audit-query.js';
import type { AuditTrail } from '../audit/audit.service.js';
import { asSeenBy } from '../audit/audit-visibility.js';
import { codesInWords } from '../audit/audit-event.view.js';
import { MAX_FILE_BYTES } from '../certificates/index.js';
import type { Formatters } from '../i18n/index.js';
import type { Role } from '../accounts/roles.js';
import { certificateBadge, pendingStepsFor, type Badge } from './certificate-status.js';
import type { PendingStep } from '../facturapi/organization.js';
import { certificateHolder, holderNameDiffers, type CertificateHolder } from './certificate-holder.js';
import type { SuccessWarning } from './organizations.schema.js';

/** A message of the upload form (catalogue key and params, translated by the template) and where it belongs: next to a field or at the top. */
export interface FormMessage {
  field: 'cer' | 'key' | 'password' | 'form';
  key: MessageKey;
  params?: Params;
}

/**
 * The heading over an upload's messages: what reached Facturapi (issue 10, point 2).
 * `refused_here`: checked here, nothing sent; `not_sent`: Facturapi could not be read first, so
 * nothing was sent; `refused_by_facturapi`: sent and refused, nothing changed there; `no_answer`:
 * sent, no usable answer (then `noAnswer` says what the read-back showed).
 */
export type UploadHeading = 'refused_here' | 'not_sent' | 'refused_by_facturapi' | 'no_answer';

/** An unanswered upload whose read-back did not show it installed. */
export interface NoAnswerState {
  readBack: 'not_installed' | 'unconfirmed';
  certificateNumber: string;
  /** The number Facturapi holds instead (not_installed), null for none. */
  installedNumber: string | null;
  /** The attempt's audit id, carried by the "check again" form. */
  attemptId: string;
}

export interface UploadViewState {
  heading?: UploadHeading;
  errors?: FormMessage[];
  noAnswer?: NoAnswerState;
  /** A message that is not a refusal ("already installed"), shown as a status. */
  notice?: FormMessage;
  /** Ask for the "replace with one that expires sooner" checkbox in the form. */
  confirmEarlierExpiry?: { validTo: Date; installedExpiresAt: Date; checked?: boolean };
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
  /** Whose certificate is installed, from its upload's audit event (certificate-holder.ts). */
  holder: CertificateHolder | null;
  /** The holder's name is not the organization's legal name. */
  holderDiffers: boolean;
  /** Facturapi could not be read: `organization` is a stand-in with the id only. */
  statusUnavailable: boolean;
  /** The e.firma (FIEL): its badge (same rules as the CSD's) and its own upload form's state. */
  fiel: { badge: Badge; upload: UploadViewState };
}

/** How many certificate events the page lists. */
export const HISTORY_SIZE = 10;

/** Adds the organization's latest certificate events and the installed certificate's holder, from the audit trail. */
export async function withHistory(audit: AuditTrail, model: OrganizationPageModel): Promise<OrganizationPageModel> {
  const { organization } = model;
  const [{ rows }, holder] = await Promise.all([
    audit.query({ organizationId: organization.id, actions: ['certificate.upload', 'certificate.delete', 'fiel.upload'], page: 1, pageSize: HISTORY_SIZE }),
    organization.certificate.hasCertificate ? certificateHolder(audit, organization.id, organization.certificate.serialNumber) : Promise.resolve(null),
  ]);
  return { ...model, history: rows, holder, holderDiffers: holder !== null && holderNameDiffers(holder.holderName, organization.legalName) };
}

/** The stand-in when Facturapi cannot be read: the page still shows the form and the messages. */
export function unreadableOrganization(id: string): Organization {
  return { id, name: '', legalName: '', rfc: null, isProductionReady: false, pendingSteps: [], certificate: { hasCertificate: false, updatedAt: null, expiresAt: null, serialNumber: null }, fiel: { hasCertificate: false, updatedAt: null, expiresAt: null, serialNumber: null }, createdAt: null };
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
  if (names.includes('files_swapped')) warnings.push({ field: 'form', key: 'upload.swapped' });
  if (names.includes('read_back')) warnings.push({ field: 'form', key: 'upload.confirmedByReadBack' });
  return warnings;
}

export function organizationPageModel(organization: Organization | null, now: Date, upload: UploadViewState = {}, id = organization?.id ?? '', fielUpload: UploadViewState = {}): OrganizationPageModel {
  const shown = organization ?? unreadableOrganization(id);
  const badge = certificateBadge(shown.certificate, now);
  const fiel = { badge: certificateBadge(shown.fiel, now), upload: fielUpload };
  return { organization: shown, badge, pendingSteps: pendingStepsFor(shown.pendingSteps, badge), upload, history: [], holder: null, holderDiffers: false, statusUnavailable: organization === null, fiel };
}

export function renderOrganizationPage(res: Response, status: number, model: OrganizationPageModel): void {
  res.locals.organizationId = model.organization.id;
  // After a failed upload (a POST) the language switch comes back here, not to the form's action.
  res.locals.pageUrl = `/organizations/${model.organization.id}`;
  // The form's script checks sizes before sending with the server's own limit.
  res.locals.maxFileBytes = MAX_FILE_BYTES;
  const t = res.locals.t as Translate;
  const history = model.history.map((e) => {
    const seen = asSeenBy(res.locals.currentUser as { role: Role } | undefined, e);
    return { ...seen, codesInWords: codesInWords(seen.detail, t) };
  });
  res.status(status).render('organization', { ...model, history });
}
