import type { INestApplicationContext } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { RecordType } from '../../src/core/record-type';
import type { Actor, Channel } from '../../src/engine/imports/import.schema';
import { START_MESSAGE, type ImportView } from '../../src/engine/imports/import-view';
import type { ImportFilter } from '../../src/engine/imports/imports.repository';
import type { MappingChange } from '../../src/engine/imports/mapping-change';
import { CancelImport } from '../../src/engine/use-cases/cancel/use-case';
import { ChangeMapping } from '../../src/engine/use-cases/change-mapping/use-case';
import { ChooseSheet } from '../../src/engine/use-cases/choose-sheet/use-case';
import type { ProposeCommand } from '../../src/engine/use-cases/propose/command';
import { ProposeImport } from '../../src/engine/use-cases/propose/use-case';
import { ImportQueries } from '../../src/engine/use-cases/queries/import-queries';
import { ImportReport } from '../../src/engine/use-cases/report/use-case';
import { RetryImport } from '../../src/engine/use-cases/retry/use-case';
import type { StartOptions } from '../../src/engine/use-cases/start/command';
import { StartImport } from '../../src/engine/use-cases/start/use-case';
import { UndoImport } from '../../src/engine/use-cases/undo/use-case';

/** An upload as tests describe it: the channel is the door that hands the file in. */
export type UploadInput = Omit<ProposeCommand, 'workspaceId' | 'actor' | 'source'> & { channel: Channel };

/** A test's start: `lineUp: false` holds the import queued until `lineUp` (as a door does while it answers). */
export type TestStartOptions = StartOptions & { lineUp?: boolean };

/** Who acts when a test names nobody: the API, which names no person. */
const API: Actor = { door: 'api', person: null };

/**
 * The import operations as tests call them, one method per use case, positional like the old single
 * service: a test-only convenience over the engine's use cases, so a test reads as what it checks.
 */
export class ImportOperations {
  private readonly held = new Map<string, { letGo: () => void; done: Promise<unknown> }>();

  constructor(private readonly app: INestApplicationContext) {}

  upload(workspaceId: string, source: Readable, { channel, ...input }: UploadInput): Promise<ImportView> {
    const actor: Actor = { door: channel, person: null };
    return this.app.get(ProposeImport).execute({ workspaceId, actor, source, ...input });
  }

  get(workspaceId: string, id: string): Promise<ImportView> {
    return this.app.get(ImportQueries).get(workspaceId, id);
  }

  list(workspaceId: string, limit?: number, filter?: ImportFilter) {
    return this.app.get(ImportQueries).list(workspaceId, limit, filter);
  }

  origin(workspaceId: string, id: string) {
    return this.app.get(ImportQueries).origin(workspaceId, id);
  }

  changeMapping(
    workspaceId: string,
    id: string,
    type: RecordType | undefined,
    change: MappingChange,
    at?: Date,
    actor: Actor = API,
  ): Promise<ImportView> {
    return this.app.get(ChangeMapping).execute({ workspaceId, importId: id, actor, type, ...change, at });
  }

  chooseSheet(workspaceId: string, id: string, sheet: string, actor: Actor = API): Promise<ImportView> {
    return this.app.get(ChooseSheet).execute({ workspaceId, importId: id, actor, sheet });
  }

  async start(
    workspaceId: string,
    id: string,
    { lineUp, ...opts }: TestStartOptions = {},
    actor: Actor = API,
  ): Promise<{ message: string; import: ImportView }> {
    const starts = this.app.get(StartImport);
    if (lineUp !== false) return starts.execute({ workspaceId, importId: id, actor, ...opts });
    // Held: the start's answer is "told", and the import waits until `lineUp` lets the telling end.
    return new Promise((resolve, reject) => {
      let letGo = (): void => undefined;
      const told = new Promise<void>((r) => (letGo = r));
      const done = starts
        .executeThenTell({ workspaceId, importIds: [id], actor, ...opts }, async ([started], [refused]) => {
          if (refused) return reject(refused.error);
          resolve({ message: START_MESSAGE, import: started! });
          await told;
        })
        .catch(reject);
      this.held.set(id, { letGo, done });
    });
  }

  /** Lets an import held by `start(…, { lineUp: false })` run. */
  async lineUp(_workspaceId: string, id: string): Promise<void> {
    const held = this.held.get(id);
    this.held.delete(id);
    held?.letGo();
    await held?.done;
  }

  cancel(workspaceId: string, id: string, actor: Actor = API): Promise<ImportView> {
    return this.app.get(CancelImport).execute({ workspaceId, importId: id, actor });
  }

  retry(workspaceId: string, id: string, actor: Actor = API): Promise<ImportView> {
    return this.app.get(RetryImport).execute({ workspaceId, importId: id, actor });
  }

  rollback(workspaceId: string, id: string, actor: Actor = API): Promise<ImportView> {
    return this.app.get(UndoImport).execute({ workspaceId, importId: id, actor });
  }

  report(workspaceId: string, id: string): AsyncIterable<string> {
    return this.app.get(ImportReport).lines({ workspaceId, importId: id, actor: API });
  }
}
