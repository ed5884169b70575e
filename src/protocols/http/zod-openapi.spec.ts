import { z } from 'zod';
import { isIntakeError } from '../../core/intake-error';
import { ApiZodBody, parseInput, withZodSchemas } from './zod-openapi';

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });
const startBody = z.object({ dryRun: z.boolean().optional() });
const changeMappingBody = z.object({
  type: z.enum(['clients', 'leads']).optional(),
  columns: z
    .array(z.object({ index: z.number().int().nonnegative(), field: z.string().nullable() }))
    .optional(),
});

describe('parseInput', () => {
  it('returns what the schema makes of the input, defaults included', () => {
    expect(parseInput(listQuery, { limit: '7' }, 'query')).toEqual({ limit: 7 });
    expect(parseInput(listQuery, {}, 'query')).toEqual({ limit: 20 });
    expect(parseInput(startBody, undefined)).toEqual({});
  });

  it('refuses with invalid_request naming each wrong field', () => {
    let caught: unknown;
    try {
      parseInput(changeMappingBody, { type: 'people', columns: [{ index: -1, field: 'phone' }] });
    } catch (e) {
      caught = e;
    }
    expect(isIntakeError(caught) && caught.code).toBe('invalid_request');
    expect((caught as Error).message).toMatch(/^type: .*; columns\.0\.index: /);
  });
});

describe('withZodSchemas', () => {
  it('publishes each documented body under its id, generated from the zod schema', () => {
    ApiZodBody(
      z.object({ n: z.number().int().max(3).meta({ description: 'at most 3' }) }).meta({ id: 'SpecBody' }),
    );
    const doc = withZodSchemas({ openapi: '3.0.0', info: { title: 't', version: '1' }, paths: {} });
    expect(doc.components?.schemas?.SpecBody).toEqual({
      type: 'object',
      properties: { n: { type: 'integer', maximum: 3, description: 'at most 3' } },
      required: ['n'],
    });
  });

  it('refuses a body schema without an id', () => {
    expect(() => ApiZodBody(z.object({}))).toThrow('.meta({ id })');
  });
});
