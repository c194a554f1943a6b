/**
 * The one validation step of a route's input. The schema sits in the feature's `*.schema.ts`; the
 * route hands it the body, query or params and gets the typed result back:
 *
 *   const input = validate(loginForm, req.body);
 *
 * Input that does not fit is the client's mistake, answered by the error handler with a 400 page
 * that repeats nothing of what was sent (zod's issues can quote the input: a password typed in the
 * wrong field, say). A route whose bad input means something more specific passes `invalid`, which
 * gets zod's issues to describe it (a malformed user id in a URL names no user: `user_not_found`,
 * as an unknown one does; a form can re-render with a message per field).
 */
import type { z } from 'zod';
import { BadRequestError } from './errors.js';

export function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
  invalid: (issues: readonly z.core.$ZodIssue[]) => Error = () => new BadRequestError(),
): z.output<S> {
  // A form posted without a body (or with another content type) has no fields: the defaults apply.
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw invalid(parsed.error.issues);
  return parsed.data;
}
