/** The set-password form (a one-time link's page). E-mail and name only for the setup link. */
import { z } from 'zod';

export const setPasswordForm = z.object({
  password: z.string().max(1024).default(''),
  confirm: z.string().max(1024).default(''),
  email: z.string().trim().max(254).optional(),
  name: z.string().trim().max(120).optional(),
  _csrf: z.string().optional(),
});
