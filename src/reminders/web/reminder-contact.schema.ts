/** What support types to set an organization's reminder contact (the same address rule as upload requests). */
import { z } from 'zod';

export const reminderContactForm = z.object({
  email: z.string().trim().toLowerCase().max(254).regex(/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/),
  language: z.enum(['es', 'en']).default('es'),
});
