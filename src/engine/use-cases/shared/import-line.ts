import { Injectable, Logger } from '@nestjs/common';
import { waitingReason } from '../../../core/fairness/run-lane';
import { redact } from '../../../core/redact';
import { ImportTurns } from '../../queue/import-turns';
import type { Import } from '../../imports/import.schema';
import { ticketOf } from '../../imports/import-ticket';
import { ImportsRepository } from '../../imports/imports.repository';
import type { ImportBrief } from '../../imports/stored-import';

/** The workspace's line of queued imports, as the use cases see it: joining it, and why one waits. */
@Injectable()
export class ImportLine {
  private readonly log = new Logger(ImportLine.name);

  constructor(
    private readonly imports: ImportsRepository,
    private readonly turns: ImportTurns,
  ) {}

  /**
   * Puts a queued import in its workspace's line; it gets a job when its turn comes. It joins once its
   * file is stored, or once the door that holds it lets it go. When Redis refuses, the import stays
   * queued and the worker's sweep lines it up.
   */
  async join(imp: Import): Promise<void> {
    if (imp.fileStoring || imp.held) return;
    try {
      await this.turns.join(ticketOf(imp));
    } catch (e) {
      this.log.warn(`import ${imp._id} is queued but its job is not yet: ${redact((e as Error).message)}`);
    }
  }

  /** Lets a queued import that was held (queued while its door answered) run. */
  async release(workspaceId: string, id: string): Promise<void> {
    const imp = await this.imports.release(workspaceId, id);
    if (imp?.status === 'queued') await this.join(imp);
  }

  /** Takes a cancelled import out of the line (else it leaves when its turn comes). */
  async leave(imp: Import): Promise<void> {
    await this.turns.leave(ticketOf(imp)).catch(() => undefined);
  }

  /** Why a queued import has not started yet, when its workspace's limits hold it back. */
  async waitingReason(imp: ImportBrief): Promise<string | null> {
    if (imp.status !== 'queued') return null;
    if (imp.fileStoring) return 'waiting: its file is still being stored';
    try {
      const hold = await this.turns.hold(ticketOf(imp));
      return hold ? waitingReason({ ...hold, type: imp.type }) : null;
    } catch {
      return null; // Redis away: the status alone still says queued
    }
  }
}
