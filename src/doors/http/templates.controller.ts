import { Controller, Get, Header, Param, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IntakeError } from '../../core/intake-error';
import { isRecordType, RECORD_TYPES } from '../../core/record-type';
import { sampleTemplate, templateFileName } from '../../core/template/sample-template';
import { ApiKeyGuard } from './api-key.guard';

@ApiTags('templates')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('templates')
export class TemplatesController {
  @Get(':type')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiOperation({ summary: 'The sample CSV of a type' })
  @ApiParam({ name: 'type', enum: RECORD_TYPES })
  get(@Param('type') type: string, @Res({ passthrough: true }) res: Response): string {
    if (!isRecordType(type))
      throw new IntakeError('invalid_type', `Type must be one of ${RECORD_TYPES.join(', ')}.`);
    res.setHeader('Content-Disposition', `attachment; filename="${templateFileName(type)}"`);
    return sampleTemplate(type);
  }
}
