import { z } from 'zod';

/** Schema of a fault; shared by `setFault` and `POST /_emulator/faults`. */
export const faultSchema = z.discriminatedUnion('kind', [
  /** Answer normally, but only after `ms`. */
  z.object({ kind: z.literal('latency'), ms: z.number().int().min(0).max(600_000) }),
  /** Never answer; the request stays open until the client gives up or the emulator closes. */
  z.object({ kind: z.literal('hang') }),
  /** Answer with a 5xx, as Facturapi (`json: true`) or as an HTML proxy page (`json: false`). */
  z.object({ kind: z.literal('status'), status: z.union([z.literal(500), z.literal(502), z.literal(503)]), json: z.boolean() }),
  /** 429 with `Retry-After: retryAfterSeconds`. */
  z.object({ kind: z.literal('rate_limit'), retryAfterSeconds: z.number().int().min(0).max(86_400) }),
  /** 200 with `Content-Type: application/json` and a truncated JSON body. */
  z.object({ kind: z.literal('malformed_json') }),
  /**
   * Answer a Facturapi-shaped 4xx with any code, as the real service does for checks the
   * emulator does not reproduce (`certificate_fiel_rfc_mismatch`, …). Without `code`, the older
   * body shape `{ message, ok: false }`.
   */
  z.object({ kind: z.literal('error'), status: z.number().int().min(400).max(499), code: z.string().min(1).max(100).optional(), message: z.string().max(500).optional() }),
  /** Send the headers and part of a body, then destroy the socket. */
  z.object({ kind: z.literal('reset') }),
  /**
   * Handle the request normally (an upload is applied), then destroy the socket instead of
   * answering: the change is made and the answer lost, which no other fault can show.
   */
  z.object({ kind: z.literal('drop_response') }),
]);

/** A failure the emulator can inject. */
export type Fault = z.infer<typeof faultSchema>;

/** Which requests a fault applies to, and for how long. */
export const faultOptionsSchema = z.object({
  /** Apply to this many matching requests, then heal. Unlimited when absent. */
  times: z.number().int().min(1).optional(),
  match: z
    .object({
      method: z.string().min(1).optional(),
      /** Compared with the full request path, e.g. `/v2/organizations`. */
      pathPrefix: z.string().min(1).optional(),
    })
    .optional(),
});

/** Options of {@link FaultController.set}. */
export type FaultOptions = z.infer<typeof faultOptionsSchema>;

/** Holds at most one active fault and decides which requests it hits. */
export class FaultController {
  private fault: Fault | null = null;
  private options: FaultOptions = {};
  private remaining = Infinity;

  /** Replaces the active fault (null heals). */
  set(fault: Fault | null, options: FaultOptions = {}): void {
    this.fault = fault === null ? null : faultSchema.parse(fault);
    this.options = faultOptionsSchema.parse(options);
    this.remaining = this.options.times ?? Infinity;
  }

  /** The fault this request must suffer, if any; consumes one of `times`. */
  take(method: string, path: string): Fault | null {
    const fault = this.fault;
    if (fault === null) return null;
    const match = this.options.match;
    if (match?.method && match.method.toUpperCase() !== method.toUpperCase()) return null;
    if (match?.pathPrefix && !path.startsWith(match.pathPrefix)) return null;
    this.remaining -= 1;
    if (this.remaining <= 0) this.fault = null;
    return fault;
  }

  /** The active fault and its options, for the control endpoint. */
  describe(): { fault: Fault | null; options: FaultOptions; remaining: number | null } {
    return { fault: this.fault, options: this.options, remaining: Number.isFinite(this.remaining) ? this.remaining : null };
  }
}
