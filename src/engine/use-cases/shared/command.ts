import { z } from 'zod';
import { IntakeError } from '../../../core/intake-error';
import type { Actor, Channel } from '../../imports/import.schema';

const DOORS = ['api', 'cli', 'slack', 'email'] as const satisfies readonly Channel[];

/** Who acts, and through which door: a Slack user id or mail sender, or nobody named (an API key, the CLI). */
export const actorSchema = z.object({
  door: z.enum(DOORS),
  person: z.string().min(1).nullable(),
}) satisfies z.ZodType<Actor>;

/** What every command carries: the workspace it acts in and who acts. */
export const workspaceCommand = z.object({
  workspaceId: z.string().min(1, 'names no workspace'),
  actor: actorSchema,
});

/** A command about one import of the workspace. */
export const importCommand = workspaceCommand.extend({
  importId: z.string().min(1, 'names no import'),
});

export type ImportCommand = z.infer<typeof importCommand>;

/**
 * Validates a command on entry to its use case: a wrong one is refused with an `invalid_request` that
 * names the operation and each wrong field, before anything is read or changed.
 */
export function parseCommand<S extends z.ZodType>(schema: S, input: unknown, operation: string): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const wrong = r.error.issues.map((i) => `${i.path.join('.') || 'command'}: ${i.message}`).join('; ');
  throw new IntakeError('invalid_request', `Cannot ${operation}: ${wrong}.`);
}
