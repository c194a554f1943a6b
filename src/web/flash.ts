import type { Request } from 'express';
import type { SessionData } from 'express-session';

/** Reads the one-shot message left for this page (post/redirect/get) and removes it. */
export function takeFlash(req: Request): SessionData['flash'] {
  const flash = req.session.flash;
  delete req.session.flash;
  return flash;
}
