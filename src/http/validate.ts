/**
 * The one validation step of a route's input. The schema (in the feature's `*.schema.ts`) turns
 * the raw value into typed data; a value it refuses becomes the route's 4xx: a 400 by default, or
 * what `invalid` makes of the issues (a path parameter that names nothing is a 404; the upload
 * form re-renders with a message per field).
 */
import type { z } from 'zod';
import { BadRequestError, type AppError } from './errors.js';

export function validate<S extends z.ZodType>(schema: S, value: unknown, invalid: (issues: readonly z.core.$ZodIssue[]) => AppError = () => new BadRequestError()): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(result.error.issues);
  return result.data;
}
