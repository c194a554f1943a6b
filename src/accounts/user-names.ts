/** Names and e-mails of users by id, for pages that hold only ids (the audit trail's details). */
import type { Executor } from '../db/database.js';

export async function userNamesOf(db: Executor, ids: Iterable<string>): Promise<Map<string, { name: string; email: string }>> {
  const wanted = [...new Set(ids)].slice(0, 500);
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name', 'email']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, { name: r.name, email: r.email }]));
}
