import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { buildCertificateForm, type CertificateUpload } from './certificate-form.js';
import { isOrganizationId } from './organization-id.js';
import { FacturapiInvalidIdError, FacturapiUnavailableError, type FacturapiError } from './errors.js';
import { createTransport, TransportFailure, type DEFAULT_KEEP_ALIVE_MS, type DEFAULT_MAX_SOCKETS, type TransportRequest } from './http-transport.js';
import { organizationPageWireSchema, organizationWireSchema, type Organization, type OrganizationPage } from './organization.js';
import { logAttempt } from './attempt-log.js';
import { classifyResponse } from './response-classifier.js';
import { backoffDelayMs, parseRetryAfterMs, resolveRetryPolicy, type RetryOptions } from './retry-policy.js';

/** Settings of {@link createFacturapiClient}. */
export interface FacturapiClientOptions {
  /** e.g. `https://www.facturapi.io/v2` or the emulator's `url`. */
  baseUrl: string;
  /** `sk_user_…`; sent only in the Authorization header, never logged. */
  userKey: string;
  /** Deadline for a whole call, retries and backoff included. */
  timeoutMs: number;
  logger?: Logger;
  retry?: RetryOptions;
  /** Wall clock, only used to read a `Retry-After` HTTP date. */
  now?: () => Date;
  /** Jitter source in [0, 1). */
  random?: () => number;
  /** Kept-alive connections to Facturapi at most; default {@link DEFAULT_MAX_SOCKETS}. */
  maxSockets?: number;
  /** How long an idle connection is kept; default {@link DEFAULT_KEEP_ALIVE_MS}. */
  keepAliveMs?: number;
}

/** Facturapi's documented bounds on `GET /organizations`: `page` 1..30, `limit` 1..100. */
export const MAX_LIST_PAGE = 30;
export const MAX_LIST_LIMIT = 100;

/** Search parameters of {@link FacturapiClient.listOrganizations}. */
export interface ListOrganizationsQuery {
  q?: string;
  page?: number;
  limit?: number;
}

/** The only code in the app that talks to Facturapi. */
export interface FacturapiClient {
  uploadCertificate(organizationId: string, upload: CertificateUpload): Promise<Organization>;
  /** `PUT /organizations/{id}/fiel`: the e.firma, same multipart shape (the official SDK has no method for it). */
  uploadFiel(organizationId: string, upload: CertificateUpload): Promise<Organization>;
  /** `timeoutMs` shortens the deadline of this one read (the read-back after an unanswered upload). */
  getOrganization(organizationId: string, options?: { timeoutMs?: number }): Promise<Organization>;
  listOrganizations(query?: ListOrganizationsQuery): Promise<OrganizationPage>;
  /** Resolves on any 2xx: the spec and the SDKs disagree on the body, so we ignore it. */
  deleteCertificate(organizationId: string): Promise<void>;
}

/** Builds a Facturapi client; throws {@link FacturapiError} subclasses only. */
export function createFacturapiClient(options: FacturapiClientOptions): FacturapiClient {
  const transport = createTransport({ baseUrl: options.baseUrl, userKey: options.userKey, idleTimeoutMs: options.timeoutMs, maxSockets: options.maxSockets, keepAliveMs: options.keepAliveMs });
  const policy = resolveRetryPolicy(options.retry);
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const logger = options.logger;

  async function call<T>(request: TransportRequest, parse: ((json: unknown) => T) | null, timeoutMs = options.timeoutMs): Promise<T | undefined> {
    const deadline = AbortSignal.timeout(timeoutMs);
    const startedAt = performance.now();
    for (let attempt = 1; ; attempt++) {
      const attemptStart = performance.now();
      const entry = { method: request.method, path: request.path, attempt };
      let failure: { error: FacturapiError; retryable: boolean; waitMs: number };
      try {
        const response = await transport.send(request, deadline);
        const ok2xx = response.status >= 200 && response.status < 300;
        const outcome = ok2xx && parse === null ? { kind: 'ok' as const, json: null } : classifyResponse(response);
        const durationMs = Math.round(performance.now() - attemptStart);
        const fields = { ...entry, status: response.status, logId: response.logId, durationMs };
        if (outcome.kind === 'ok') {
          try {
            const value = parse === null ? undefined : parse(outcome.json);
            logAttempt(logger, { ...fields, code: null }, null);
            return value;
          } catch (error) {
            response.retireConnection();
            logAttempt(logger, { ...fields, code: null }, error as FacturapiError);
            throw error;
          }
        }
        // An answer we cannot use (malformed, a 3xx, a 5xx) may come from a broken hop on this
        // connection: the next attempt or call starts on a fresh one. Rate limits and 4xx are
        // Facturapi's ordinary answers and keep it.
        if (outcome.error instanceof FacturapiUnavailableError && outcome.error.reason !== 'rate_limited') response.retireConnection();
        logAttempt(logger, { ...fields, code: outcome.code }, outcome.error);
        if (!outcome.retryable) throw outcome.error;
        const retryAfterMs = response.status === 429 ? parseRetryAfterMs(response.retryAfter, now()) : null;
        if (retryAfterMs !== null && retryAfterMs > policy.maxRetryAfterMs) throw outcome.error;
        failure = { error: outcome.error, retryable: true, waitMs: retryAfterMs ?? backoffDelayMs(attempt, policy.baseDelayMs, random) };
      } catch (thrown) {
        if (!(thrown instanceof TransportFailure)) throw thrown;
        const durationMs = Math.round(performance.now() - attemptStart);
        logAttempt(logger, { ...entry, status: null, code: thrown.errorCode, logId: null, durationMs }, thrown.error);
        if (!thrown.retryable) throw thrown.error;
        failure = { error: thrown.error, retryable: true, waitMs: backoffDelayMs(attempt, policy.baseDelayMs, random) };
      }
      const remainingMs = timeoutMs - (performance.now() - startedAt);
      // A retry that cannot finish before the deadline is pointless: fail now with the real cause.
      if (attempt >= policy.maxAttempts || failure.waitMs >= remainingMs) throw failure.error;
      try {
        await delay(failure.waitMs, undefined, { signal: deadline });
      } catch {
        throw new FacturapiUnavailableError({ reason: 'timeout', detail: 'deadline' });
      }
    }
  }

  function parseWith<S extends z.ZodType>(schema: S) {
    return (json: unknown): z.output<S> => {
      const result = schema.safeParse(json);
      if (!result.success) throw new FacturapiUnavailableError({ reason: 'bad_response', detail: 'unexpected shape' });
      return result.data;
    };
  }

  function organizationPath(id: string, suffix = ''): string {
    if (!isOrganizationId(id)) throw new FacturapiInvalidIdError();
    return `/organizations/${encodeURIComponent(id)}${suffix}`;
  }

  return {
    async uploadCertificate(id, upload) {
      const path = organizationPath(id, '/certificate');
      const body = () => buildCertificateForm(upload);
      return (await call({ method: 'PUT', path, body }, parseWith(organizationWireSchema))) as Organization;
    },
    async uploadFiel(id, upload) {
      const path = organizationPath(id, '/fiel');
      const body = () => buildCertificateForm(upload);
      return (await call({ method: 'PUT', path, body }, parseWith(organizationWireSchema))) as Organization;
    },
    async getOrganization(id, readOptions) {
      const path = organizationPath(id);
      const timeoutMs = Math.min(options.timeoutMs, readOptions?.timeoutMs ?? options.timeoutMs);
      return (await call({ method: 'GET', path }, parseWith(organizationWireSchema), timeoutMs)) as Organization;
    },
    async listOrganizations(query = {}) {
      const params = new URLSearchParams();
      if (query.q !== undefined && query.q.trim() !== '') params.set('q', query.q.trim());
      if (query.page !== undefined) params.set('page', String(clamp(query.page, 1, MAX_LIST_PAGE)));
      if (query.limit !== undefined) params.set('limit', String(clamp(query.limit, 1, MAX_LIST_LIMIT)));
      const request: TransportRequest = { method: 'GET', path: '/organizations', query: params };
      return (await call(request, parseWith(organizationPageWireSchema))) as OrganizationPage;
    },
    async deleteCertificate(id) {
      await call({ method: 'DELETE', path: organizationPath(id, '/certificate') }, null);
    },
  };
}

/** `value` as a whole number within Facturapi's bounds. */
function clamp(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return min;
  return Math.min(max, Math.max(min, Math.trunc(value)));
}
