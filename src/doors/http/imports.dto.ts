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
    description: 'Header → field key (or label), null to not import it',
    example: { 'Mobile number': 'phone', Notes: null },
    type: 'object',
    additionalProperties: { type: 'string', nullable: true },
  })
  mapping?: Record<string, string | null>;

  @ApiPropertyOptional({ description: 'By column index', example: [{ index: 3, field: 'phone' }] })
  columns?: { index: number; field: string | null }[];
}
