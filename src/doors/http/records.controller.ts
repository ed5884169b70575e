import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { IntakeError } from '../../core/intake-error';
import { isRecordType, RECORD_TYPES } from '../../core/record-type';
import { RecordsRepository } from '../../engine/records/records.repository';
import { ApiKeyGuard, WorkspaceId } from './api-key.guard';

@ApiTags('records')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('records')
export class RecordsController {
  constructor(private readonly records: RecordsRepository) {}

  @Get(':type')
  @ApiOperation({ summary: 'A page of records of a type, newest first' })
  @ApiParam({ name: 'type', enum: RECORD_TYPES })
  async list(
    @WorkspaceId() ws: string,
    @Param('type') type: string,
    @Query('page') page = '1',
    @Query('limit') limit = '50',
  ) {
    if (!isRecordType(type))
      throw new IntakeError('invalid_type', `Type must be one of ${RECORD_TYPES.join(', ')}.`);
    const p = Math.max(1, Math.floor(Number(page)) || 1);
    const l = Math.min(500, Math.max(1, Math.floor(Number(limit)) || 50));
    const { items, total } = await this.records.list(ws, type, p, l);
    return { type, page: p, limit: l, total, items };
  }
}
