/**
 * The inputs of the organization routes. An organization id must have Facturapi's shape before
 * anything is sent (web/organization-loader.ts); list and result-page queries never fail: a value
 * that does not fit is dropped, as a hand-edited URL should not cost the page.
 */
import { z } from 'zod';

import { ORGANIZATION_ID } from '../facturapi/organization-id.js';
import { MAX_LIST_PAGE } from '../facturapi/client.js';

export const organizationIdParams = z.object({ organizationId: z.string().regex(ORGANIZATION_ID) });

/** The organization list's search and page (Facturapi serves pages 1..MAX_LIST_PAGE). */
export const organizationListQuery = z.object({
  q: z.string().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(MAX_LIST_PAGE).optional().catch(undefined),
});

/** Query of the page the upload redirects to (post/redirect/get). Nothing secret travels here. */
export const uploadedQuery = z.object({
  uploaded: z.string().regex(/^\d{20}$/),
  from: z.iso.datetime().transform((s) => new Date(s)).optional(),
  /** Warnings of the upload, by name; anything unknown is dropped. */
  w: z
    .string()
    .max(100)
    .optional()
    .transform((s) => (s ?? '').split(',').filter((w): w is SuccessWarning => (SUCCESS_WARNINGS as readonly string[]).includes(w))),
});

/** Warnings a successful upload may carry to its result page. */
export const SUCCESS_WARNINGS = ['expires_soon', 'sat_test_certificate', 'files_swapped', 'read_back'] as const;
export type SuccessWarning = (typeof SUCCESS_WARNINGS)[number];

/** The organization page's query: the upload's result, or null when there is none (or it does not fit). */
export const organizationPageQuery = uploadedQuery.nullable().catch(null);

/** The e.firma's result page query (`?fiel=<number>`), or null; shown only when Facturapi holds that number. */
export const fielUploadedQuery = z.object({ fiel: z.string().regex(/^\d{20}$/) }).nullable().catch(null);
