import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BadRequestError } from './errors.js';
import { validate } from './validate.js';

const form = z.object({ page: z.coerce.number().int().min(1).default(1), password: z.string().max(5).optional() });

// What the routes rely on besides the basics (r15-features' validate.test.ts covers those and the
// route's own failure): a missing body gets the defaults, and the refusal echoes nothing.
describe('validate', () => {
  it('when there is no input at all (no body), then the defaults apply', () => {
    expect(validate(form, undefined)).toEqual({ page: 1 });
  });

  it('when it does not fit, then a 400 is thrown that repeats nothing of the input', () => {
    const thrown = (() => {
      try {
        return validate(form, { page: '2', password: 'hunter2-secret' });
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(BadRequestError);
    expect(JSON.stringify(thrown)).not.toContain('hunter2');
    expect(String((thrown as Error).message)).not.toContain('hunter2');
  });
});
