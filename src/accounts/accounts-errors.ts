import type { PasswordProblem } from './password.js';

/** Every way an accounts operation can be refused. The web layer maps codes to messages. */
export type AccountsErrorCode =
  | 'invalid_email'
  | 'invalid_name'
  | 'invalid_organization_id'
  | 'email_taken'
  | 'user_not_found'
  | 'not_account_admin'
  | 'cannot_disable_self'
  | 'setup_closed'
  | 'password_policy';

/** A domain error: safe to show (no secrets in the message), no HTTP status. */
export class AccountsError extends Error {
  constructor(
    readonly code: AccountsErrorCode,
    message: string,
    readonly problem?: PasswordProblem,
  ) {
    super(message);
    this.name = 'AccountsError';
  }
}
