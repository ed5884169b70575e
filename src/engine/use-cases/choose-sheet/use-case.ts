import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { IntakeError } from '../../../core/intake-error';
import { label } from '../../../core/lifecycle/import-lifecycle';
import { STORED_SAMPLE_ROWS } from '../../../core/parse/file-sniffer';
import { LearnedMappings } from '../../workspaces/learned-mappings';
import { ImportView, toImportView } from '../../imports/import-view';
import { ImportsRepository } from '../../imports/imports.repository';
import { noSheets, sniffSheet } from '../../imports/stored-layout';
import { UploadStoring } from '../../imports/upload-storing';
import { parseCommand } from '../shared/command';
import { assertFileKept } from '../shared/import-file';
import { ImportHistory, withAct } from '../shared/import-history';
import { ChooseSheetCommand, chooseSheetCommand } from './command';

/**
 * Reads another sheet of the workbook while the import awaits its mapping: its columns replace the old
 * ones and the mapping is suggested afresh for the import's type (changed on its own, as ever).
 */
@Injectable()
export class ChooseSheet {
  constructor(
    private readonly imports: ImportsRepository,
    private readonly storing: UploadStoring,
    private readonly learned: LearnedMappings,
    private readonly history: ImportHistory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(command: ChooseSheetCommand): Promise<ImportView> {
    const {
      workspaceId,
      importId: id,
      sheet,
      actor,
    } = parseCommand(chooseSheetCommand, command, 'choose the sheet');
    for (let tries = 0; tries < 8; tries++) {
      const imp = await this.imports.get(workspaceId, id);
      if (imp.status !== 'awaiting_mapping') {
        throw new IntakeError(
          'conflict',
          `Cannot choose the sheet of import ${id}: it is ${label(imp.status)} (only an import awaiting its mapping can change).`,
        );
      }
      if (!imp.layout.workbook) throw noSheets();
      assertFileKept(imp, this.config.retention.fileDays);
      const sniffed = await sniffSheet(await this.storing.source(imp), this.config.limits, sheet);
      const layout = { ...sniffed, samples: sniffed.samples.slice(0, STORED_SAMPLE_ROWS) };
      // The type stays: a door may have set it (an email address, --type) without it counting as chosen.
      const mapping = await this.learned.suggest(workspaceId, imp.type, layout.headers, sniffed.samples);
      const saved = await this.imports.changeMapping(workspaceId, id, imp.mappingVersion, {
        type: imp.type,
        mapping,
        typeChosenAt: imp.typeChosenAt,
        layout,
      });
      if (saved)
        return toImportView(
          withAct(saved, await this.history.record(workspaceId, id, 'choose_sheet', actor)),
        );
    }
    throw new IntakeError('conflict', `Import ${id} keeps changing; look at it again.`);
  }
}
