import { Controller, Delete, Get, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IntakeError } from '../../core/intake-error';
import { isRecordType, RECORD_TYPES, RecordType } from '../../core/record-type';
import { LearnedMappings } from '../../engine/workspaces/learned-mappings';
import { ApiKeyGuard, WorkspaceId } from './api-key.guard';

function recordType(value: string): RecordType {
  if (!isRecordType(value))
    throw new IntakeError('invalid_type', `Type must be one of ${RECORD_TYPES.join(', ')}.`);
  return value;
}

/** What the workspace learned from its people's imports, and forgetting it: the same key as mapping. */
@ApiTags('mappings')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('mappings')
export class MappingsController {
  constructor(private readonly learned: LearnedMappings) {}

  @Get(':type')
  @ApiOperation({
    summary: 'The headers the workspace learned for a type, the most recently learned first (at most 1,000)',
    description:
      'A header is learned from a real run a person started (not a dry run, not an automatic start) once all its ' +
      'rows went through. Each item: `header`, `field` (null: learned as not imported) and `learnedFrom` ' +
      '(`importId`, `fileName`, `at`; the first two null for a header learned before sources were kept).',
  })
  @ApiParam({ name: 'type', enum: RECORD_TYPES })
  async list(@WorkspaceId() ws: string, @Param('type') type: string) {
    const t = recordType(type);
    return { type: t, mappings: await this.learned.list(ws, t) };
  }

  @Delete(':type/:header')
  @ApiOperation({
    summary: 'Forget what the workspace learned for a header: future proposals suggest it afresh',
    description:
      'The header is matched as suggestions match it (case, accents and punctuation aside). Answers with what was ' +
      'forgotten. Imports already proposed keep their mapping.',
  })
  @ApiParam({ name: 'type', enum: RECORD_TYPES })
  @ApiParam({ name: 'header', description: 'The column header, URL-encoded' })
  @ApiResponse({ status: 200, description: '{ forgotten: { type, header, field, learnedFrom } }' })
  @ApiResponse({ status: 404, description: 'not_found: the workspace learned nothing for this header' })
  async forget(@WorkspaceId() ws: string, @Param('type') type: string, @Param('header') header: string) {
    const forgotten = await this.learned.forget(ws, recordType(type), header, { door: 'http' });
    return { forgotten };
  }
}
