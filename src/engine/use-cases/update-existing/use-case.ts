import { Injectable } from '@nestjs/common';
import { IntakeError } from '../../../core/intake-error';
import type { ImportView } from '../../imports/import-view';
import { ImportsRepository } from '../../imports/imports.repository';
import { UploadStoring } from '../../imports/upload-storing';
import { CancelImport } from '../cancel/use-case';
import { ProposeImport } from '../propose/use-case';
import { parseCommand } from '../shared/command';
import { ImportHistory } from '../shared/import-history';
import { StartImport } from '../start/use-case';
import { UpdateExistingCommand, updateExistingCommand } from './command';

/**
 * "Update the ones that already existed": the same stored file, imported again with the same mapping
 * and `onDuplicate: update`, as a new import (the first one stays as it ended, with its own undo).
 */
@Injectable()
export class UpdateExisting {
  constructor(
    private readonly imports: ImportsRepository,
    private readonly files: UploadStoring,
    private readonly propose: ProposeImport,
    private readonly start: StartImport,
    private readonly cancel: CancelImport,
    private readonly history: ImportHistory,
  ) {}

  /** `beforeStart` lets the door record where to tell the ending before the new import can end. */
  async execute(
    command: UpdateExistingCommand,
    beforeStart?: (proposed: ImportView) => Promise<void>,
  ): Promise<ImportView> {
    const c = parseCommand(updateExistingCommand, command, 'update the existing records');
    const { workspaceId, importId: id, actor } = c;
    const imp = await this.imports.get(workspaceId, id);
    if (imp.fileDeletedAt) {
      throw new IntakeError(
        'conflict',
        `The file of ${imp.fileName} was deleted after the import ended; send it again with "duplicates: update".`,
      );
    }
    const again = await this.propose.execute({
      workspaceId,
      actor,
      source: this.files.open(imp),
      fileName: imp.fileName,
      type: imp.type,
      origin: c.origin,
      columns: imp.mapping.map((col) => ({ index: col.index, field: col.field })),
    });
    try {
      await beforeStart?.(again);
      const started = await this.start.execute({
        workspaceId,
        importId: again.id,
        actor,
        onDuplicate: 'update',
      });
      await this.history.record(workspaceId, id, 'update_existing', actor);
      return started.import;
    } catch (e) {
      await this.cancel.execute({ workspaceId, importId: again.id, actor }).catch(() => undefined);
      throw e;
    }
  }
}
