import { z } from 'zod';

/** The settings form: a checkbox is absent when unticked. */
export const settingsForm = z.object({
  language: z.enum(['es', 'en']).catch('es'),
  reminders: z.literal('on').optional().transform((v) => v === 'on'),
});
