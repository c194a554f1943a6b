/**
 * The organization page: its certificate status and the upload form. Uploads re-render it with
 * their errors, so the view model is built in one place.
 */
import type { Response } from 'express';
import type { Organization } from '../facturapi/organization.js';
import type { MessageKey, Params } from '../i18n/index.js';
import { certificateBadge, type Badge } from './certificate-status.js';

/** A translated message with where it belongs: next to a form field or at the top of the form. */
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
  success?: { certificateNumber: string; validFrom: Date | null } | null;
}

export interface OrganizationPageModel {
  organization: Organization;
  badge: Badge;
  upload: UploadViewState;
}

export function organizationPageModel(organization: Organization, now: Date, upload: UploadViewState = {}): OrganizationPageModel {
  return { organization, badge: certificateBadge(organization.certificate, now), upload };
}

export function renderOrganizationPage(res: Response, status: number, model: OrganizationPageModel): void {
  res.locals.organizationId = model.organization.id;
  res.status(status).render('organization', model);
}
