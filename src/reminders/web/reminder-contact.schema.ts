/** What support types to set an organization's reminder contact (the same address rule as upload requests). */
import { z } from 'zod';
import { looksLikeEmail } from '../../accounts/web/typed-email.js';

export const reminderContactForm = z.object({
  // A plain address only: no control characters, spaces, quotes or brackets (typed-email.ts).
  email: z.string().trim().toLowerCase().max(254).refine(looksLikeEmail),
  language: z.enum(['es', 'en']).default('es'),
});
