/**
 * Chooses the language per request (cookie, then Accept-Language) and exposes `t`, `lang` and
 * formatters to the views. `?lang=en` on any GET switches the language, remembers it in a cookie
 * for a year and redirects to the same page without the parameter.
 *
 * Both the redirect and the switch links are built from the request's own path, which the client
 * chooses: they go through `localUrl`, so they always name a path of this site.
 */
import { parse as parseCookies } from 'cookie';
import type { Request, RequestHandler, Response } from 'express';
import { formatters, isLang, pickLanguage, translator, type Lang } from '../i18n/index.js';

export const LANG_COOKIE = 'lang';

/**
 * One cookie's value, with the `cookie` package (the parser express-session uses). A value that
 * is not valid percent-encoding comes back as sent, undecoded, instead of throwing: callers
 * validate what they read (the language cookie must name a language, or it is ignored).
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  return header ? parseCookies(header)[name] : undefined;
}

const INTERNAL_ORIGIN = 'http://internal';

/**
 * A request URL (path and query) as a URL of this site, for redirects and links built from it.
 * `new URL` resolves dot segments and reads `\` as `/`, so `/.//evil.com` becomes the path
 * `//evil.com`, which a browser reads as another host: leading slashes collapse to one. A URL
 * that names another host outright (`//evil.com`) becomes the home page.
 */
export function localUrl(requestUrl: string): URL {
  let url: URL;
  try {
    url = new URL(requestUrl, INTERNAL_ORIGIN);
  } catch {
    return new URL('/', INTERNAL_ORIGIN);
  }
  if (url.origin !== INTERNAL_ORIGIN) return new URL('/', INTERNAL_ORIGIN);
  url.pathname = url.pathname.replace(/^[/\\]+/, '/');
  return url;
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
  const url = localUrl(isRead ? req.originalUrl : pageUrl);
  url.searchParams.set('lang', target);
  return url.pathname + url.search;
}

export function language(options: { secureCookies: boolean }): RequestHandler {
  return (req, res, next) => {
    const requested = req.query.lang;
    if (req.method === 'GET' && isLang(requested)) {
      res.cookie(LANG_COOKIE, requested, { maxAge: 365 * 24 * 3600 * 1000, sameSite: 'lax', httpOnly: true, secure: options.secureCookies });
      const url = localUrl(req.originalUrl);
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
