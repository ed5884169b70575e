import { ApiPropertyOptional } from '@nestjs/swagger';
import { RECORD_TYPES } from '../../core/record-type';

/** OpenAPI shapes only; bodies are validated with zod in the controller. */
export class StartImportDto {
  @ApiPropertyOptional({ description: 'Validate and report without writing records' })
  dryRun?: boolean;

  @ApiPropertyOptional({
    enum: ['skip', 'update', 'fill'],
    description:
      'Rows whose record exists: skip them (default), update the record with the row’s non-empty values, ' +
      'or fill only the fields that are empty on the record. A matched record the row would not change counts as `unchanged`.',
  })
  onDuplicate?: 'skip' | 'update' | 'fill';

  @ApiPropertyOptional({
    description:
      'Clients and leads: link each to the company of its company value (matched by normalized name), ' +
      'creating a name-only company when none exists. Default true; false links and creates nothing.',
  })
  linkCompanies?: boolean;
}

export class ChangeMappingDto {
  @ApiPropertyOptional({
    enum: RECORD_TYPES,
    description: 'Change the record type (re-suggests the mapping)',
  })
  type?: string;

  @ApiPropertyOptional({
    description:
      "For an Excel workbook: read this sheet instead (its name, or its number, 1 being the first). The sheet's " +
      'columns replace the old ones and the mapping is suggested afresh, before type and mapping changes apply.',
    example: 'Clients',
  })
  sheet?: string;

  @ApiPropertyOptional({
    description:
      'Header → field key (or label), null to not import it. "custom" (or "keep") keeps the column as a ' +
      'custom field named after its header in camelCase (unique within the file: birthday, birthday2…); ' +
      '"custom.<name>" names it. Custom values are stored as strings under `custom` on the record; a file ' +
      'keeps at most 50 custom fields and a workspace at most 200 per type (GET /fields/{type} lists them).',
    example: { 'Mobile number': 'phone', Notes: null, Birthday: 'custom', 'Shoe Size': 'custom.shoe' },
    type: 'object',
    additionalProperties: { type: 'string', nullable: true },
  })
  mapping?: Record<string, string | null>;

  @ApiPropertyOptional({
    description: 'By column index; the same targets as `mapping`',
    example: [
      { index: 3, field: 'phone' },
      { index: 4, field: 'custom' },
    ],
  })
  columns?: { index: number; field: string | null }[];
}
