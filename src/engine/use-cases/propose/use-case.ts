import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { CLOCK, Clock, ID_GENERATOR, IdGenerator } from '../../../core/clock';
import { guessType } from '../../../core/mapping/mapping-suggester';
import { STORED_SAMPLE_ROWS } from '../../../core/parse/file-sniffer';
import { assertTable } from '../../../core/parse/table-shape';
import { FileStore, SpooledFile } from '../../storage/file-store';
import { LearnedMappings } from '../../workspaces/learned-mappings';
import { Import, ZERO_COUNTS } from '../../imports/import.schema';
import { ImportView, toImportView } from '../../imports/import-view';
import { ImportsRepository } from '../../imports/imports.repository';
import { applyMappingChange } from '../../imports/mapping-change';
import { sniffReceived } from '../../imports/stored-layout';
import { UploadGate, UploadPass } from '../../imports/upload-gate';
import { UploadStoring } from '../../imports/upload-storing';
import { parseCommand } from '../shared/command';
import { ProposeCommand, proposeCommand } from './command';
import { safeFileName } from './safe-file-name';

/**
 * Receives a file, sniffs it and proposes a mapping; a bad file is refused and nothing is kept. The
 * answer does not wait for the file to be stored in the database: that goes on behind it, and a start
 * made meanwhile runs once it is done.
 */
@Injectable()
export class ProposeImport {
  constructor(
    private readonly imports: ImportsRepository,
    private readonly files: FileStore,
    private readonly learned: LearnedMappings,
    private readonly storing: UploadStoring,
    private readonly gate: UploadGate,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async execute(command: ProposeCommand): Promise<ImportView> {
    let c;
    try {
      c = parseCommand(proposeCommand, command, 'propose an import');
    } catch (e) {
      command.source?.destroy?.(); // a download or file the door opened is dropped unread
      throw e;
    }
    const { workspaceId, source } = c;
    let pass: UploadPass;
    try {
      pass = await this.gate.admit(workspaceId, c.waitForPlaceMs);
    } catch (e) {
      source.destroy();
      throw e;
    }
    const fileName = safeFileName(c.fileName);
    let file: SpooledFile;
    try {
      file = await this.files.receive(workspaceId, source, fileName, pass.maxBytes, pass.overLimit);
    } catch (e) {
      await pass.release();
      throw e;
    }
    let created: Import;
    try {
      const layout = await sniffReceived(this.files, file, this.config.limits, c.sheet);
      if (c.requireTable) assertTable(fileName, layout);
      const type = c.type ?? guessType(layout.headers, layout.samples);
      const now = this.clock.now();
      const suggested = await this.learned.suggest(workspaceId, type, layout.headers, layout.samples);
      const mapping = c.columns
        ? applyMappingChange(type, suggested, { byIndex: c.columns }, now.getTime())
        : suggested;
      created = await this.imports.create({
        _id: this.ids.importId(),
        workspaceId,
        type,
        status: 'awaiting_mapping',
        channel: c.actor.door,
        origin: c.origin ?? {},
        fileId: file.fileId,
        fileDeletedAt: null,
        fileStoring: true,
        held: false,
        fileName,
        fileBytes: file.bytes,
        layout: { ...layout, samples: layout.samples.slice(0, STORED_SAMPLE_ROWS) },
        mapping,
        mappingVersion: 0,
        typeChosenAt: 0,
        onDuplicate: 'skip',
        linkCompanies: true,
        dryRun: false,
        counts: { ...ZERO_COUNTS },
        committedRow: 0,
        error: null,
        attempts: 0,
        createdAt: now,
        startedAt: null,
        finishedAt: null,
        heartbeatAt: now,
        rollback: null,
      });
    } catch (e) {
      await this.files.discard(file);
      await pass.release();
      throw e;
    }
    await pass.created();
    void this.storing.begin(created, file).finally(() => pass.release());
    return toImportView(created);
  }
}
