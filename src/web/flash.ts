import type { Request } from 'express';
import type { SessionData } from 'express-session';

declare module 'express-session' {
  interface SessionData {
    /** A one-shot message for the next page (post/redirect/get). */
    flash?: { kind: 'success' | 'info'; key: string; params?: Record<string, string | number> };
  }
}

/** Reads the one-shot message left for this page (post/redirect/get) and removes it. */
export function takeFlash(req: Request): SessionData['flash'] {
  const flash = req.session.flash;
  delete req.session.flash;
  return flash;
}
