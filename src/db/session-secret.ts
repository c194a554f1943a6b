/**
 * The session secret: from config when set (required in production); otherwise a random one kept
 * in the data folder (mode 0600, like every file of ours there: data-folder.ts), so a development
 * restart keeps people signed in. It also keys the CSRF tokens (web/csrf.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** The file's name inside the data folder (data-folder.ts lists it among ours). */
export const SESSION_SECRET_FILE = 'session-secret';

export function resolveSessionSecret(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, SESSION_SECRET_FILE);
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(48).toString('base64url');
    fs.writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}
