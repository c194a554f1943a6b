/** The removal form: what the person typed to confirm (the RFC, or the id). */
import { z } from 'zod';

export const removalForm = z.object({ confirm: z.string().trim().max(64).default('') });
