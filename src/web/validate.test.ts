import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BadRequestError, NotFoundError } from './errors.js';
import { validate } from './validate.js';

const schema = z.object({ page: z.coerce.number().int().min(1) });

describe('validate', () => {
  it('when the value fits the schema, then it returns the parsed, typed data', () => {
    expect(validate(schema, { page: '3' })).toEqual({ page: 3 });
  });

  it('when it does not, then it throws a 400 by default', () => {
    expect(() => validate(schema, { page: '0' })).toThrow(BadRequestError);
  });

  it('when the route names its own failure, then that is thrown, with the issues to describe it', () => {
    let seen: readonly unknown[] = [];
    const thrown = (() => {
      try {
        return validate(schema, { page: 'x' }, (issues) => ((seen = issues), new NotFoundError('error.organizationNotFound')));
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(NotFoundError);
    expect((thrown as NotFoundError).status).toBe(404);
    expect(seen).toHaveLength(1);
  });
});
