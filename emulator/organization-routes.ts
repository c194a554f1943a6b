import { Router, type Request, type Response } from 'express';
import { checkCertificate, type CredentialKind } from './certificate-check.js';
import { sendError } from './error-catalog.js';
import { readCertificateUpload } from './multipart-upload.js';
import type { OrganizationStore } from './organization-store.js';
import { withCertificate, withFiel, withoutCertificate } from './organization-wire.js';
import { digestUpload, type ReceivedRequest } from './received-log.js';

/** What the routes need from the emulator around them. */
export interface RouteContext {
  store: OrganizationStore;
  now: () => Date;
  /** The log entry of the current request, to attach upload fingerprints to. */
  entryOf: (req: Request) => ReceivedRequest | undefined;
}

/** Reads an integer query parameter; null when present but not an integer in range. */
function boundedInt(value: unknown, min: number, max: number, fallback: number): number | null {
  if (value === undefined || value === '') return fallback;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) return null;
  const number = Number(value);
  return number >= min && number <= max ? number : null;
}

/** Facturapi's organization endpoints used by this project, mounted under `/v2`. */
export function organizationRoutes(ctx: RouteContext): Router {
  const router = Router();

  router.get('/organizations', (req, res) => {
    const page = boundedInt(req.query.page, 1, 30, 1);
    if (page === null) return sendError(res, 'invalid_page');
    const limit = boundedInt(req.query.limit, 1, 100, 50);
    if (limit === null) return sendError(res, 'invalid_limit');
    const q = typeof req.query.q === 'string' ? req.query.q : undefined;
    res.json(ctx.store.search({ q, page, limit }));
  });

  router.get('/organizations/:id', (req, res) => {
    const org = ctx.store.get(req.params.id);
    if (!org) return sendError(res, 'organization_not_found');
    res.json(org);
  });

  const upload = (kind: CredentialKind) => async (req: Request<{ id: string }>, res: Response) => {
    // Like Facturapi's upload middleware, the body is read before the organization is looked up.
    const parsed = await readCertificateUpload(req);
    if (!parsed.ok) {
      if (parsed.code === 'payload_too_large') res.set('Connection', 'close');
      return sendError(res, parsed.code);
    }
    const { cer, key, password } = parsed.parts;
    const entry = ctx.entryOf(req);
    if (entry) entry.upload = digestUpload(parsed.parts);
    const org = ctx.store.get(req.params.id);
    if (!org) return sendError(res, 'organization_not_found');
    if (!cer && !key) return sendError(res, 'certificate_files_required');
    if (!cer) return sendError(res, 'certificate_file_required');
    if (!key) return sendError(res, 'private_key_file_required');
    if (password === undefined || password === '') return sendError(res, 'password_required');
    const now = ctx.now();
    const check = checkCertificate(org, { cer: cer.data, key: key.data, password }, now, kind);
    if (!check.ok) return sendError(res, check.code);
    const updated = kind === 'fiel' ? withFiel(org, { ...check, updatedAt: now }) : withCertificate(org, { ...check, updatedAt: now });
    ctx.store.put(updated);
    res.json(updated);
  };
  router.put('/organizations/:id/certificate', upload('csd'));
  // The e.firma: same multipart shape, its own rules (certificate-check.ts).
  router.put('/organizations/:id/fiel', upload('fiel'));

  router.delete('/organizations/:id/certificate', (req, res) => {
    const org = ctx.store.get(req.params.id);
    if (!org) return sendError(res, 'organization_not_found');
    const updated = withoutCertificate(org);
    ctx.store.put(updated);
    res.json(updated);
  });

  router.use((_req, res) => sendError(res, 'not_found'));
  return router;
}
