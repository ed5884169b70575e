import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, Clock } from '../../../core/clock';
import { redact } from '../../../core/redact';
import type { Actor, Import, ImportAct, ImportActKind } from '../../imports/import.schema';
import { ImportsRepository } from '../../imports/imports.repository';

/** Keeps who did what to an import, through which door, in its history. */
@Injectable()
export class ImportHistory {
  private readonly log = new Logger(ImportHistory.name);

  constructor(
    private readonly imports: ImportsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Records the act after the change it follows; a lost entry loses no import (it is logged). */
  async record(
    workspaceId: string,
    id: string,
    kind: ImportActKind,
    actor: Actor,
  ): Promise<ImportAct | null> {
    const act: ImportAct = { act: kind, door: actor.door, person: actor.person, at: this.clock.now() };
    try {
      await this.imports.recordAct(workspaceId, id, act);
      return act;
    } catch (e) {
      this.log.warn(`import ${id}: its history missed a ${kind}: ${redact(String(e))}`);
      return null;
    }
  }
}

/** The import as it is once `act` is in its history. */
export function withAct(imp: Import, act: ImportAct | null): Import {
  return act ? { ...imp, history: [...(imp.history ?? []), act] } : imp;
}
