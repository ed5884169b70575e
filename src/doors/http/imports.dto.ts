import { ApiPropertyOptional } from '@nestjs/swagger';
import { RECORD_TYPES } from '../../core/record-type';

/** OpenAPI shapes only; bodies are validated with zod in the controller. */
export class StartImportDto {
  @ApiPropertyOptional({ description: 'Validate and report without writing records' })
  dryRun?: boolean;

  @ApiPropertyOptional({ enum: ['skip', 'update'], description: 'What to do with rows whose record exists' })
  onDuplicate?: 'skip' | 'update';
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
