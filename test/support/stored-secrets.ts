/**
 * For tests that prove a secret was never stored: every way a token could be written down, and
 * the raw bytes of the SQLite database file and its write-ahead log (what a backup would copy).
 */
import fs from 'node:fs';
import path from 'node:path';
import { DATABASE_FILE } from '../../src/db/database.js';

/** The token as typed and, decoded (hex or base64url), its bytes, their hex and their base64. */
export function writtenForms(token: string): { name: string; bytes: Buffer }[] {
  const raw = /^[0-9a-f]+$/.test(token) ? Buffer.from(token, 'hex') : Buffer.from(token, 'base64url');
  return [
    { name: 'the token', bytes: Buffer.from(token, 'utf8') },
    { name: 'its bytes', bytes: raw },
    { name: 'its bytes as hex', bytes: Buffer.from(raw.toString('hex'), 'utf8') },
    { name: 'its bytes as base64', bytes: Buffer.from(raw.toString('base64').replace(/=+$/, ''), 'utf8') },
  ];
}

/** The live database file of `dir` and its WAL, concatenated (either may be absent). */
export function databaseBytes(dir: string): Buffer {
  const files = ['', '-wal'].map((suffix) => path.join(dir, `${DATABASE_FILE}${suffix}`)).filter((f) => fs.existsSync(f));
  return Buffer.concat(files.map((f) => fs.readFileSync(f)));
}
