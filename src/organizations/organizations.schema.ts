import { z } from 'zod';

import { ORGANIZATION_ID } from '../facturapi/organization-id.js';

export const organizationIdParams = z.object({ organizationId: z.string().regex(ORGANIZATION_ID) });

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
export const SUCCESS_WARNINGS = ['expires_soon', 'sat_test_certificate'] as const;
export type SuccessWarning = (typeof SUCCESS_WARNINGS)[number];
