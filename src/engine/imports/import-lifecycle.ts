import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '../../core/clock';
import { IntakeError } from '../../core/intake-error';
import { ImportEvent, isEnding, nextStatus, refusal } from '../../core/lifecycle/import-lifecycle';
import { IMPORT_EVENTS_PORT, ImportEvents } from '../queue/import-events';
import { IMPORT_NOTICES_PORT, ImportNotices } from '../queue/import-notices';
import type { Import } from './import.schema';
import { ImportsRepository, MoveWhere } from './imports.repository';

export interface MoveOptions {
  /** Fields written together with the new status. */
  set?: Partial<Import>;
  inc?: { attempts?: number };
  /** Further conditions the import must still meet (the mapping version a start validated). */
  where?: MoveWhere;
  /** The import's status as the caller last read it, to save a read. */
  current?: Pick<Import, 'status'>;
}

/**
 * Moves imports through their lifecycle: asks the lifecycle table, applies the move atomically, and
 * announces it (a status event for followers; a durable notice for the door of an ending). Every status
 * change in Intake goes through here.
 */
@Injectable()
export class ImportLifecycle {
  constructor(
    private readonly imports: ImportsRepository,
    @Inject(IMPORT_NOTICES_PORT) private readonly notices: ImportNotices,
    @Inject(IMPORT_EVENTS_PORT) private readonly events: ImportEvents,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Applies `event`, or throws a conflict that says why the lifecycle refuses it (409 over HTTP). */
  async apply(workspaceId: string, id: string, event: ImportEvent, opts: MoveOptions = {}): Promise<Import> {
    const result = await this.attempt(workspaceId, id, event, opts);
    if ('moved' in result) return result.moved;
    throw new IntakeError('conflict', result.refused);
  }

  /** Applies `event` when the lifecycle allows it now; null otherwise (the engine's own moves lose to people's). */
  async tryApply(workspaceId: string, id: string, event: ImportEvent, opts: MoveOptions = {}) {
    const result = await this.attempt(workspaceId, id, event, opts);
    return 'moved' in result ? result.moved : null;
  }

  private async attempt(
    workspaceId: string,
    id: string,
    event: ImportEvent,
    opts: MoveOptions,
  ): Promise<{ moved: Import } | { refused: string }> {
    let current: Pick<Import, 'status'> = opts.current ?? (await this.imports.get(workspaceId, id));
    // Retried only while the status itself changed under us; a failed `where` is a conflict at once.
    for (let tries = 0; tries < 5; tries++) {
      const to = nextStatus(current.status, event);
      if (!to) return { refused: refusal(id, current.status, event) };
      const set: Partial<Import> = { ...(isEnding(to) ? { finishedAt: this.clock.now() } : {}), ...opts.set };
      const moved = await this.imports.move(
        workspaceId,
        id,
        current.status,
        to,
        { set, inc: opts.inc },
        opts.where,
      );
      if (moved) {
        await this.announce(moved);
        return { moved };
      }
      const now = await this.imports.get(workspaceId, id);
      if (now.status === current.status) {
        return { refused: `Import ${id} was changed by someone else just now; look at it again.` };
      }
      current = now;
    }
    return { refused: `Import ${id} keeps changing; try again in a moment.` };
  }

  private async announce(imp: Import): Promise<void> {
    await this.events.publish({
      kind: 'status',
      importId: imp._id,
      workspaceId: imp.workspaceId,
      status: imp.status,
      committedRow: imp.committedRow,
      counts: imp.counts,
      at: this.clock.now().getTime(),
    });
    if (isEnding(imp.status)) await this.notices.finished(imp);
  }
}
