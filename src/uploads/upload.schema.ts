/**
 * What a valid upload form looks like once multer has parsed it: exactly one non-empty `cer` and
 * `key` file with plausible extensions, and a password that is present and kept byte-for-byte
 * (never trimmed). Unknown text fields are rejected. Each issue's message is a catalogue key,
 * which upload.view.ts turns into words.
 */
import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from './upload.limits.js';

const CER_EXTENSIONS = ['.cer', '.crt', '.der', '.pem'];
const KEY_EXTENSIONS = ['.key', '.der', '.pem'];

const hasExtension = (name: string, allowed: string[]) => allowed.some((ext) => name.toLowerCase().endsWith(ext));

const file = (field: 'cer' | 'key', allowed: string[]) =>
  z
    .array(z.object({ originalname: z.string(), size: z.number(), buffer: z.instanceof(Buffer) }), { error: `field.${field}.required` })
    .length(1, { error: `field.${field}.required` })
    .transform((files) => files[0]!)
    .refine((f) => f.size > 0, { error: 'field.file.empty' })
    .refine((f) => hasExtension(f.originalname, allowed), { error: `field.${field}.extension` });

export const uploadBodySchema = z.strictObject({
  password: z
    .string({ error: 'field.password.required' })
    .min(1, { error: 'field.password.required' })
    .max(MAX_PASSWORD_LENGTH, { error: 'field.password.tooLong' }),
  // The CSRF token is checked by its own middleware; it is allowed here so strictObject passes.
  _csrf: z.string().optional(),
});

export const uploadFilesSchema = z.object({
  cer: file('cer', CER_EXTENSIONS),
  key: file('key', KEY_EXTENSIONS),
});

export type UploadFiles = z.infer<typeof uploadFilesSchema>;

/**
 * The whole form, as the route validates it in one step: the files first, so their messages come
 * first, then the text fields. An issue's path starts with `files` or `body`, then the field.
 */
export const uploadFormSchema = z.object({ files: uploadFilesSchema, body: uploadBodySchema });

