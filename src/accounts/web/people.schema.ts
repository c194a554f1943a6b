/** The people page's forms and the user id in its URLs. */
import { z } from 'zod';

export const inviteForm = z.object({ email: z.string().trim().max(254), name: z.string().trim().max(120), organizationId: z.string().trim().max(64) });

export const membershipForm = z.object({ organizationId: z.string().trim().max(64) });

export const userParams = z.object({ userId: z.uuid() });
