import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { IntakeError } from '../../core/intake-error';
import { isRecordType, RECORD_TYPES } from '../../core/record-type';
import { RecordsRepository } from '../../engine/records/records.repository';
import { ApiKeyGuard, WorkspaceId } from './api-key.guard';
import { recordsPageQuery } from './records.dto';
import { ApiZodQuery, parseInput } from '../../protocols/http/zod-openapi';

@ApiTags('records')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('records')
export class RecordsController {
  constructor(private readonly records: RecordsRepository) {}

  @Get('companies/:id')
  @ApiOperation({ summary: 'A company, with its number of contacts (clients and leads linked to it)' })
  async company(@WorkspaceId() ws: string, @Param('id') id: string) {
    const company = await this.records.findOne(ws, 'companies', id);
    if (!company) throw new IntakeError('not_found', `No company "${id}" in this workspace.`);
    const { total } = await this.records.contactsOf(ws, id, 1, 1);
    return { ...company, contacts: total };
  }

  @Get('companies/:id/contacts')
  @ApiZodQuery(recordsPageQuery)
  @ApiOperation({ summary: "A page of a company's contacts (clients and leads carrying its companyId)" })
  async contacts(@WorkspaceId() ws: string, @Param('id') id: string, @Query() query: unknown) {
    const { page: p, limit: l } = parseInput(recordsPageQuery, query, 'query');
    if (!(await this.records.findOne(ws, 'companies', id)))
      throw new IntakeError('not_found', `No company "${id}" in this workspace.`);
    const { items, total } = await this.records.contactsOf(ws, id, p, l);
    return { companyId: id, page: p, limit: l, total, items };
  }

  @Get(':type')
  @ApiOperation({
    summary: 'A page of records of a type, newest first',
    description:
      'Each record has its catalog values under `fields` and, when it has any, its custom field values ' +
      '(strings) under `custom`, e.g. {"custom": {"birthday": "1990-04-01"}}.',
  })
  @ApiParam({ name: 'type', enum: RECORD_TYPES })
  @ApiZodQuery(recordsPageQuery)
  async list(@WorkspaceId() ws: string, @Param('type') type: string, @Query() query: unknown) {
    if (!isRecordType(type))
      throw new IntakeError('invalid_type', `Type must be one of ${RECORD_TYPES.join(', ')}.`);
    const { page: p, limit: l } = parseInput(recordsPageQuery, query, 'query');
    const { items, total } = await this.records.list(ws, type, p, l);
    return { type, page: p, limit: l, total, items };
  }
}
