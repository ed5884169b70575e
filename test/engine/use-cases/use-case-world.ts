import { Readable } from 'node:stream';
import { IntakeError } from '../../../src/core/intake-error';
import type { Actor } from '../../../src/engine/imports/import.schema';
import type { ImportView } from '../../../src/engine/imports/import-view';
import { ProposeImport } from '../../../src/engine/use-cases/propose/use-case';
import type { Harness } from '../../support/intake-harness';

// What the use-case tests share: they call the engine's use cases as a door would, with no door.

/** A person acting through Slack, as the history names them. */
export const PERSON: Actor = { door: 'slack', person: 'U0PERSON' };

/** `n` clients of `domain`, one a line. */
export function people(n: number, domain: string): string {
  const rows = Array.from({ length: n }, (_, i) => `P${i},p${i}@${domain}`);
  return `First Name,Email\n${rows.join('\n')}\n`;
}

/** Proposes a file as `actor`'s door hands it in. */
export function propose(h: Harness, body: string | Buffer, actor: Actor = PERSON, fileName = 'people.csv') {
  return h.app.context.get(ProposeImport).execute({
    workspaceId: h.workspaceId,
    actor,
    source: Readable.from([Buffer.from(body)]),
    fileName,
    type: 'clients',
  });
}

/** The import's command fields for `actor`. */
export function on(h: Harness, view: Pick<ImportView, 'id'>, actor: Actor = PERSON) {
  return { workspaceId: h.workspaceId, importId: view.id, actor };
}

/** The IntakeError a use case refused with (fails when it did not refuse). */
export async function refusal(p: Promise<unknown> | (() => Promise<unknown>)): Promise<IntakeError> {
  const e = await (typeof p === 'function' ? p() : p).then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof IntakeError)) throw new Error(`expected a refusal, got ${String(e)}`);
  return e;
}

/** The acts of the import's history, as [act, door, person]. */
export function acts(view: ImportView): [string, string, string | null][] {
  return view.history.map((a) => [a.act, a.door, a.person]);
}
