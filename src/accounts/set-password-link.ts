/** The one-time link people open to set a password (first-run setup, invitations, resets). */
export function setPasswordLink(publicUrl: string, token: string): string {
  return `${publicUrl}/account/set-password/${token}`;
}
