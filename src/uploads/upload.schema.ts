/**
 * What a valid upload form looks like once multer has parsed it: exactly one non-empty `cer` and
 * `key` file with plausible extensions, and a password that is present and kept byte-for-byte
 * (never trimmed). Unknown text fields are rejected. Each issue's message is a catalogue key,
 * which upload.view.ts turns into words.
 */
import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from './upload.limits.js';

// Each field takes the other's extensions too (and PKCS#12's): which file is which is decided by
// content (certificates/file-arrangement.ts), so swapped files and a .pfx get their own message.
// The extension check stays for what is plainly no credential at all (a PDF, a ZIP).
const CREDENTIAL_EXTENSIONS = ['.cer', '.crt', '.der', '.pem', '.key', '.pfx', '.p12'];
const CER_EXTENSIONS = CREDENTIAL_EXTENSIONS;
const KEY_EXTENSIONS = CREDENTIAL_EXTENSIONS;

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
  /** The "replace it with one that expires sooner" checkbox (upload-checks.ts); a checkbox sends "yes" or nothing. */
  confirmEarlierExpiry: z.literal('yes', { error: 'field.malformed' }).optional(),
});

/** The "check again" form of an unanswered upload (upload-recheck.service.ts). */
export const recheckFormSchema = z.strictObject({
  _csrf: z.string().optional(),
  attempt: z.uuid(),
  number: z.string().regex(/^\d{20}$/),
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


/**
 * The e.firma form: the same files and password, and the explicit "I understand" checkbox
 * (a checkbox sends "yes" or nothing; nothing is refused with its own message).
 */
export const fielFormSchema = z.object({
  files: uploadFilesSchema,
  body: z.strictObject({
    password: uploadBodySchema.shape.password,
    _csrf: z.string().optional(),
    confirmFiel: z.literal('yes', { error: 'fiel.confirm.required' }),
  }),
});
