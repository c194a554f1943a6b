/**
 * The accounts errors in words and statuses, defined once: the error handler uses
 * `accountsHttpError` for pages (app.ts passes it as an error family), and the forms that show a
 * refusal next to their fields (people, set-password) use `accountsMessageKey`.
 */
import type { MessageKey } from '../../i18n/index.js';
import { AppError } from '../../web/errors.js';
import { AccountsError } from '../accounts-errors.js';

/** The message of an accounts refusal; a refused password says what is wrong with it. */
export function accountsMessageKey(error: AccountsError): MessageKey {
  if (error.code === 'password_policy' && error.problem) return `password.${error.problem}`;
  return `accounts.${error.code}`;
}

/** The page error for an AccountsError (404 for an unknown user, 400 otherwise); undefined for anything else. */
export function accountsHttpError(error: unknown): AppError | undefined {
  if (!(error instanceof AccountsError)) return undefined;
  return new AppError(error.code === 'user_not_found' ? 404 : 400, accountsMessageKey(error));
}
