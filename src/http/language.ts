/**
 * Chooses the language per request (cookie, then Accept-Language) and exposes `t`, `lang` and
 * formatters to the views. `?lang=en` on any GET switches the language, remembers it in a cookie
 * for a year and redirects to the same page without the parameter.
 */
import type { Request, RequestHandler, Response } from 'express';
import { formatters, isLang, pickLanguage, translator, type Lang } from '../i18n/index.js';

export const LANG_COOKIE = 'lang';

/** Reads one cookie without a parser dependency; the language cookie is the only one read here. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/**
 * The language switch's link for this page: the same URL (other query parameters kept) plus
 * `lang`. A page rendered in answer to a POST (a form shown again with its errors) has no URL a
 * GET can reach, so it names one in `res.locals.pageUrl` (the organization page does); without
 * it the switch goes home. Read at render time, after the routes have run.
 */
export function languageHref(req: Request, res: Response, target: Lang): string {
  const isRead = req.method === 'GET' || req.method === 'HEAD';
  const pageUrl = typeof res.locals.pageUrl === 'string' ? res.locals.pageUrl : '/';
  const url = new URL(isRead ? req.originalUrl : pageUrl, 'http://internal');
  url.searchParams.set('lang', target);
  return url.pathname + url.search;
}

export function language(options: { secureCookies: boolean }): RequestHandler {
  return (req, res, next) => {
    const requested = req.query.lang;
    if (req.method === 'GET' && isLang(requested)) {
      res.cookie(LANG_COOKIE, requested, { maxAge: 365 * 24 * 3600 * 1000, sameSite: 'lax', httpOnly: true, secure: options.secureCookies });
      const url = new URL(req.originalUrl, 'http://internal');
      url.searchParams.delete('lang');
      res.redirect(303, url.pathname + url.search);
      return;
    }
    const lang = pickLanguage(readCookie(req.headers.cookie, LANG_COOKIE), req.headers['accept-language']);
    res.locals.lang = lang;
    res.locals.t = translator(lang);
    res.locals.fmt = formatters(lang);
    res.locals.languageHref = (target: Lang) => languageHref(req, res, target);
    // The header marks the section the page belongs to (aria-current).
    res.locals.currentPath = req.path;
    res.setHeader('Content-Language', lang);
    next();
  };
}
