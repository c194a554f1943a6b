import { AppError } from '../../web/errors.js';
import type { FormMessage } from '../../organizations/organization.view.js';

/** The form cannot be processed as sent: re-render it with these messages and this 4xx status. */
export class UploadFormError extends AppError {
  constructor(
    status: 400 | 413,
    readonly messages: FormMessage[],
  ) {
    super(status, messages[0]?.key ?? 'field.malformed', messages[0]?.params ?? {});
  }
}
