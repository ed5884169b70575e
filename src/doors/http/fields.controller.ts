import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { customTarget } from '../../core/custom-field';
import { fieldsOf } from '../../core/field-catalog';
import { IntakeError } from '../../core/intake-error';
import { isRecordType, RECORD_TYPES } from '../../core/record-type';
import { CustomFieldsRepository } from '../../engine/workspaces/custom-fields.repository';
import { ApiKeyGuard, WorkspaceId } from './api-key.guard';

@ApiTags('fields')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@Controller('fields')
export class FieldsController {
  constructor(private readonly customFields: CustomFieldsRepository) {}

  @Get(':type')
  @ApiOperation({
    summary: "The fields of a type: the catalog's, in catalog order, then the workspace's custom fields",
    description:
      'Each field has its key (what a mapping names: "phone", or "custom.birthday" for a custom field), ' +
      'its label and whether an import needs it; a custom field is marked `custom: true`. A custom field is added ' +
      'when an import that keeps a column as one ("custom", or "custom.<name>") starts.',
  })
  @ApiParam({ name: 'type', enum: RECORD_TYPES })
  async list(@WorkspaceId() ws: string, @Param('type') type: string) {
    if (!isRecordType(type))
      throw new IntakeError('invalid_type', `Type must be one of ${RECORD_TYPES.join(', ')}.`);
    const catalog = fieldsOf(type).map((f) => ({
      key: f.key,
      label: f.label,
      required: f.requiredFor.includes(type),
    }));
    const custom = (await this.customFields.list(ws, type)).map((f) => ({
      key: customTarget(f.key),
      label: f.label,
      required: false,
      custom: true,
    }));
    return { type, fields: [...catalog, ...custom] };
  }
}
