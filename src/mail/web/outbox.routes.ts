/**
 * GET /outbox (support only; the guard is applied where it is mounted): the e-mails the app sent
 * or kept, newest first. Without SMTP_URL (demo, development) this is where e-mail goes, so the
 * whole flow shows offline. What it shows is what was stored: one-time and signed links are
 * masked (mail-templates.ts), so nobody but the recipient ever reads a token here.
 */
import { Router } from 'express';
import type { Executor } from '../../db/database.js';
import { latestMessages } from '../outbox.js';

export function outboxRouter(deps: { db: Executor; transport: 'outbox' | 'smtp' }): Router {
  const router = Router();
  router.get('/outbox', async (_req, res) => {
    const messages = await latestMessages(deps.db);
    res.render('outbox', { messages, transport: deps.transport });
  });
  return router;
}
