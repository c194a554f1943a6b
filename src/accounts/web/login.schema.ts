/** The login form. Lengths bound the work (and the audit detail) a stranger can ask for. */
import { z } from 'zod';

export const loginForm = z.object({
  email: z.string().trim().max(254).default(''),
  password: z.string().max(1024).default(''),
  next: z.string().max(500).optional(),
  _csrf: z.string().optional(),
});
