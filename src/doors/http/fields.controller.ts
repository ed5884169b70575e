import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { fieldsOf } from '../../core/field-catalog';
import { IntakeError } from '../../core/intake-error';
import { isRecordType, RECORD_TYPES } from '../../core/record-type';
import { ApiKeyGuard } from './api-key.guard';

@ApiTags('fields')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('fields')
export class FieldsController {
  @Get(':type')
  @ApiOperation({ summary: 'The fields of a type, in catalog order: key, label, whether an import needs it' })
  @ApiParam({ name: 'type', enum: RECORD_TYPES })
  list(@Param('type') type: string) {
    if (!isRecordType(type))
      throw new IntakeError('invalid_type', `Type must be one of ${RECORD_TYPES.join(', ')}.`);
    const fields = fieldsOf(type).map((f) => ({
      key: f.key,
      label: f.label,
      required: f.requiredFor.includes(type),
    }));
    return { type, fields };
  }
}
