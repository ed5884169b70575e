import { Injectable } from '@nestjs/common';
import { IntakeError } from '../../core/intake-error';
import { ImportService } from '../imports/import.service';
import type { ImportView } from '../imports/import-view';
import type { Actor } from '../imports/import.schema';
import { ImportsRepository } from '../imports/imports.repository';
import { UploadStoring } from '../imports/upload-storing';

/**
 * "Update the ones that already existed": the same stored file, imported again with the same mapping
 * and `onDuplicate: update`, as a new import (the first one stays as it ended, with its own undo).
 */
@Injectable()
export class ImportAgain {
  constructor(
    private readonly imports: ImportService,
    private readonly stored: ImportsRepository,
    private readonly files: UploadStoring,
  ) {}

  async updatingDuplicates(
    workspaceId: string,
    id: string,
    origin: Record<string, unknown>,
    opts: { actor?: Actor; beforeStart?: (view: ImportView) => Promise<void> } = {},
  ): Promise<ImportView> {
    const imp = await this.stored.get(workspaceId, id);
    if (imp.fileDeletedAt) {
      throw new IntakeError(
        'conflict',
        `The file of ${imp.fileName} was deleted after the import ended; send it again with "duplicates: update".`,
      );
    }
    const again = await this.imports.upload(workspaceId, this.files.open(imp), {
      fileName: imp.fileName,
      type: imp.type,
      channel: imp.channel,
      origin,
    });
    try {
      const mapped = await this.imports.changeMapping(workspaceId, again.id, undefined, {
        byIndex: imp.mapping.map((c) => ({ index: c.index, field: c.field })),
      });
      // The door records where to tell the ending before the import can end.
      await opts.beforeStart?.(mapped);
      const started = await this.imports.start(workspaceId, again.id, { onDuplicate: 'update' }, opts.actor);
      await this.imports.act(workspaceId, id, 'update_existing', opts.actor);
      return started.import;
    } catch (e) {
      await this.imports.cancel(workspaceId, again.id).catch(() => undefined);
      throw e;
    }
  }
}
