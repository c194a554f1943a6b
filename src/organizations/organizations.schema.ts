import { z } from 'zod';

/** Facturapi organization ids are 24 hex characters (MongoDB ObjectIds). */
export const ORGANIZATION_ID = /^[0-9a-f]{24}$/;

export const organizationIdParams = z.object({ organizationId: z.string().regex(ORGANIZATION_ID) });

/** Query of the page the upload redirects to (post/redirect/get). Nothing secret travels here. */
export const uploadedQuery = z.object({
  uploaded: z.string().regex(/^\d{20}$/),
  from: z.iso.datetime().transform((s) => new Date(s)).optional(),
});
