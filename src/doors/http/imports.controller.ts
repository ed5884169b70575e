import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { IntakeError, isIntakeError } from '../../core/intake-error';
import { RECORD_TYPES } from '../../core/record-type';
import { CancelImport } from '../../engine/use-cases/cancel/use-case';
import { ChangeMapping } from '../../engine/use-cases/change-mapping/use-case';
import { ChooseSheet } from '../../engine/use-cases/choose-sheet/use-case';
import { ProposeImport } from '../../engine/use-cases/propose/use-case';
import { ImportQueries } from '../../engine/use-cases/queries/import-queries';
import { ImportReport } from '../../engine/use-cases/report/use-case';
import { RetryImport } from '../../engine/use-cases/retry/use-case';
import { StartImport } from '../../engine/use-cases/start/use-case';
import { UndoImport } from '../../engine/use-cases/undo/use-case';
import { API_ACTOR } from './api-actor';
import { ApiKeyGuard, WorkspaceId } from './api-key.guard';
import { changeMappingBody, listQuery, startBody, uploadFields, uploadForm } from './imports.dto';
import { ApiZodBody, ApiZodQuery, parseInput } from '../../protocols/http/zod-openapi';
import { readMultipartFile } from '../../protocols/http/multipart-upload';
import { IMPORT_STATUSES } from '../../core/lifecycle/import-lifecycle';

/** The upload's type and sheet, from the query or the form; an empty field is one left out. */
function parseUploadFields(input: unknown, what: string) {
  const given = Object.fromEntries(
    Object.entries(input && typeof input === 'object' ? input : {}).filter(([, v]) => v !== ''),
  );
  const r = uploadFields.safeParse(given);
  if (!r.success && r.error.issues.some((i) => i.path[0] === 'type'))
    throw new IntakeError('invalid_type', `Type must be one of ${RECORD_TYPES.join(', ')}.`);
  return parseInput(uploadFields, given, what);
}

@ApiTags('imports')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('imports')
export class ImportsController {
  constructor(
    private readonly propose: ProposeImport,
    private readonly queries: ImportQueries,
    private readonly sheets: ChooseSheet,
    private readonly mapping: ChangeMapping,
    private readonly starts: StartImport,
    private readonly cancels: CancelImport,
    private readonly retries: RetryImport,
    private readonly undos: UndoImport,
    private readonly reports: ImportReport,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @ApiOperation({
    summary:
      'Upload a CSV or an Excel workbook (.xlsx, .xlsm); returns the import with its proposed mapping (status awaiting_mapping) as soon as the file has arrived',
    description:
      'A workbook is recognised by its content (a ZIP holding xl/workbook.xml), never by name or Content-Type. ' +
      'Its sheet is `sheet` (query or form field: a name, or a number with 1 the first) or, by default, the first ' +
      'visible sheet holding data; the import lists every sheet in `sheets` and the one read in `sheet`. Each column carries its suggested field, confidence (0..1), reason (header, values, header+values, report or ' +
      'learned; null when left unmapped; a field is a catalog key or, for a header learned as a custom field, ' +
      '"custom.<key>"), for a learned suggestion `learnedFrom` (`importId`, `fileName`, `at`: the real run a person ' +
      'started that taught it; see /mappings to forget it) and, when its values speak against the field its header names, a ' +
      'warning to check it. Every refusal below is decided before a byte of the file is received, and stores nothing. ' +
      'The file is stored in the database behind ' +
      'the answer: `fileStored` is false meanwhile. The import can be mapped and started at once; a started import ' +
      'stays queued until its file is stored, and fails with file_not_stored (and the reason) if it cannot be.',
  })
  @ApiResponse({ status: 201, description: 'The import, awaiting its mapping' })
  @ApiResponse({
    status: 400,
    description:
      'A file Intake cannot read: empty_file (also a workbook with no sheet holding data), no_header, binary_file, ' +
      'excel_file (a legacy .xls), encrypted_file (a password-protected workbook), unreadable_workbook, ' +
      'workbook_too_large (a sheet or the shared-strings table unpacks past INTAKE_XLSX_MAX_SHEET_BYTES or ' +
      'INTAKE_XLSX_MAX_SHARED_STRINGS_BYTES), unknown_sheet, …',
  })
  @ApiResponse({
    status: 413,
    description:
      'file_too_large: the file is over INTAKE_MAX_FILE_BYTES. storage_full: the workspace keeps its quota of stored ' +
      'files (INTAKE_STORAGE_QUOTA_BYTES) or report rows (INTAKE_REPORT_ROWS_QUOTA), or this file would pass the ' +
      'byte quota; files of ended imports and their report rows are deleted INTAKE_FILE_RETENTION_DAYS after they end, ' +
      "a cancelled import's file at once",
  })
  @ApiResponse({
    status: 429,
    description:
      'quota_exceeded: the workspace already has its quota of imports waiting for a mapping ' +
      '(INTAKE_AWAITING_MAPPING_PER_WORKSPACE). too_many_uploads: the workspace is already sending ' +
      'INTAKE_UPLOADS_IN_FLIGHT_PER_WORKSPACE files at once (received or still being stored), or this process is ' +
      'receiving INTAKE_UPLOADS_IN_FLIGHT_PER_PROCESS; send the file again once they have arrived',
  })
  @ApiResponse({
    status: 422,
    description:
      'too_many_columns: the file has more columns than INTAKE_MAX_COLUMNS (500); nothing is stored or queued',
  })
  @ApiConsumes('multipart/form-data')
  @ApiZodQuery(uploadFields)
  @ApiZodBody(uploadForm)
  async upload(@WorkspaceId() ws: string, @Req() req: Request, @Query() rawQuery: unknown) {
    const { file, fieldsBefore, fieldsAfter } = await readMultipartFile(req, this.config.limits.maxFileBytes);
    const query = parseUploadFields(rawQuery, 'query');
    const before = parseUploadFields(fieldsBefore, 'form');
    let view = await this.propose.execute({
      workspaceId: ws,
      actor: API_ACTOR,
      source: file.stream,
      fileName: file.fileName,
      type: query.type ?? before.type,
      sheet: query.sheet ?? before.sheet,
    });
    const late = parseUploadFields(await fieldsAfter, 'form');
    const at = { workspaceId: ws, importId: view.id, actor: API_ACTOR };
    if (late.sheet && query.sheet === undefined && before.sheet === undefined)
      view = await this.sheets.execute({ ...at, sheet: late.sheet });
    return late.type && late.type !== view.type ? this.mapping.execute({ ...at, type: late.type }) : view;
  }

  @Get()
  @ApiOperation({
    summary: "The workspace's recent imports, newest first",
    description:
      'Summaries: each import as `GET /imports/{id}` shows it, without `columns`, `sheets`, `missingRequired` and `conflicts`. At most 100 (`limit`, default 20).',
  })
  @ApiZodQuery(listQuery)
  list(@WorkspaceId() ws: string, @Query() query: unknown) {
    return this.queries.list(ws, parseInput(listQuery, query, 'query').limit);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'An import: status, progress counts, mapping, missing required fields',
    description:
      `status is one of ${IMPORT_STATUSES.join(', ')}. An action its status does not allow answers 409 ` +
      'with the reason. mappingVersion rises with every mapping change. by names who the import belongs to: ' +
      'the email sender or the Slack user; null for the API and the CLI. A queued import that its ' +
      'workspace\'s turns hold back says why in waiting ("waiting: 2 imports of this workspace are running", ' +
      '"waiting: this workspace already runs 1 import, its share of the 2 worker slots", "waiting for a free ' +
      'worker slot: all 2 are busy", "waiting: no worker is running"); otherwise waiting is null. counts: ' +
      'total = imported + updated + unchanged + skipped; updated counts matched records whose values ' +
      'changed, unchanged those the row would not change; flagged counts rows ' +
      'with warnings. rollback, once rolled back: deleted (created records), restored (changed records put ' +
      'back), kept (records changed again since, left as they are). Each column has empty: true when none ' +
      'of the sample rows kept (up to 20) holds a value in it.',
  })
  get(@WorkspaceId() ws: string, @Param('id') id: string) {
    return this.queries.get(ws, id);
  }

  @Put(':id/mapping')
  @ApiOperation({
    summary:
      "Change a workbook's sheet, the type and/or the field of columns (by header or by index); null = do not import",
    description:
      'A column takes a field key or label, null (or "skip") to leave it out, "custom" (or "keep") to keep it ' +
      'as a custom field named after its header in camelCase, or "custom.<name>" to name it. A file keeps at ' +
      'most 50 custom fields (422 invalid_mapping beyond).',
  })
  @ApiZodBody(changeMappingBody)
  async changeMapping(@WorkspaceId() ws: string, @Param('id') id: string, @Body() body: unknown) {
    const change = parseInput(changeMappingBody, body);
    const at = { workspaceId: ws, importId: id, actor: API_ACTOR };
    const sheetOnly = change.type === undefined && !change.mapping && !change.columns;
    if (change.sheet !== undefined) {
      const view = await this.sheets.execute({ ...at, sheet: change.sheet });
      if (sheetOnly) return view;
    }
    return this.mapping.execute({
      ...at,
      type: change.type,
      byHeader: change.mapping,
      byIndex: change.columns,
    });
  }

  @Post(':id/start')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Start the import (or a dry run). Answers with the start sentence; 409 once the import expired or retention deleted its file.',
  })
  @ApiZodBody(startBody, { required: false })
  async start(@WorkspaceId() ws: string, @Param('id') id: string, @Body() body: unknown) {
    try {
      const options = parseInput(startBody, body);
      return await this.starts.execute({
        workspaceId: ws,
        importId: id,
        actor: API_ACTOR,
        ...options,
        byPerson: true,
      });
    } catch (e) {
      throw withApiNextStep(e, id);
    }
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Cancel: at once before it runs; a running import is cancelling until its batch in flight is written',
  })
  cancel(@WorkspaceId() ws: string, @Param('id') id: string) {
    return this.cancels.execute({ workspaceId: ws, importId: id, actor: API_ACTOR });
  }

  @Post(':id/retry')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Resume a failed import after its last committed row; refused (409) once retention deleted its file',
  })
  retry(@WorkspaceId() ws: string, @Param('id') id: string) {
    return this.retries.execute({ workspaceId: ws, importId: id, actor: API_ACTOR });
  }

  @Post(':id/rollback')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Undo the import: delete the records it created, restore the previous values of those it changed',
    description:
      'A record changed again since (by another import or an edit) is kept as it is. The import is ' +
      'rolling_back meanwhile, then rolled_back with `rollback: {deleted, restored, kept, at}`; 409 while it runs.',
  })
  rollback(@WorkspaceId() ws: string, @Param('id') id: string) {
    return this.undos.execute({ workspaceId: ws, importId: id, actor: API_ACTOR });
  }

  @Get(':id/report')
  @ApiOperation({
    summary:
      'The report of every row that needs a look (CSV: row, reason, outcome — skipped or imported with warning — then the original columns). ' +
      'INTAKE_FILE_RETENTION_DAYS after the import ended its rows are deleted and the report becomes their summary ' +
      '(CSV: reason, outcome, rows — how many rows per kind of reason).',
  })
  async report(@WorkspaceId() ws: string, @Param('id') id: string, @Res() res: Response) {
    const lines = this.reports
      .lines({ workspaceId: ws, importId: id, actor: API_ACTOR })
      [Symbol.asyncIterator]();
    const first = await lines.next(); // throws not_found before any header is sent
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${id}-skipped-rows.csv"`);
    res.write(first.value ?? '');
    for (let r = await lines.next(); !r.done; r = await lines.next()) {
      if (!res.write(r.value)) await new Promise((ok) => res.once('drain', ok));
    }
    res.end();
  }
}

/** A refused start, with the request that fixes it: API users are told endpoints, not CLI commands. */
function withApiNextStep(e: unknown, id: string): unknown {
  if (!isIntakeError(e)) return e;
  if (e.code === 'missing_required') {
    const type = typeof e.details?.type === 'string' ? e.details.type : 'clients';
    const field = Array.isArray(e.details?.missingRequired) ? String(e.details.missingRequired[0]) : 'email';
    return new IntakeError(
      e.code,
      `${e.message} Send PUT /imports/${id}/mapping with {"mapping": {"<column>": "${field}"}}, ` +
        `or start from the sample CSV: GET /templates/${type}.`,
      e.details,
    );
  }
  if (e.code === 'invalid_mapping')
    return new IntakeError(
      e.code,
      `${e.message} Send PUT /imports/${id}/mapping with {"mapping": {"<column>": null}} for the one to leave out.`,
      e.details,
    );
  return e;
}
