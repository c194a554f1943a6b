/** Reading the record of e-mails (the outbox page): newest first, bounded. */
import type { Executor } from '../db/database.js';
import type { MailMessagesTable } from '../db/schema.js';
import type { Selectable } from 'kysely';

export type MailMessage = Selectable<MailMessagesTable>;

/** The newest `limit` messages; their bodies are as stored (secret links masked). */
export function latestMessages(db: Executor, limit = 50): Promise<MailMessage[]> {
  return db.selectFrom('mail_messages').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Deletes the record of e-mails older than `olderThanDays` (with the audit trail's retention); returns how many. */
export async function pruneMessages(db: Executor, olderThanDays: number, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - olderThanDays * 86_400_000).toISOString();
  const result = await db.deleteFrom('mail_messages').where('created_at', '<', cutoff).executeTakeFirst();
  return Number(result.numDeletedRows);
}
