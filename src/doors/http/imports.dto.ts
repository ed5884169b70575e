import { z } from 'zod';
import { RECORD_TYPES } from '../../core/record-type';
import { ON_DUPLICATE } from '../../engine/imports/import.schema';

// The bodies and queries of the imports endpoints: each schema validates the request and, through
// zod-openapi.ts, is what the OpenAPI description publishes. `.meta` carries the documentation.

const sheet = z.string().min(1).max(200);

/** `POST /imports`: the query, and the form fields sent before (or after) the file. */
export const uploadFields = z.object({
  type: z
    .enum(RECORD_TYPES)
    .optional()
    .meta({ description: 'The record type (guessed from the file when left out)' }),
  sheet: sheet.optional().meta({
    description:
      "A workbook's sheet: its name or its number, 1 being the first (default: the first visible one holding data)",
    example: 'Clients',
  }),
});

/** `POST /imports` as a multipart form: the fields above, then the file. */
export const uploadForm = uploadFields
  .extend({
    file: z.string().meta({ format: 'binary', description: 'The CSV or Excel workbook (.xlsx, .xlsm)' }),
  })
  .meta({ id: 'UploadForm' });

export const listQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .meta({ description: 'How many imports, newest first' }),
});

export const startBody = z
  .object({
    dryRun: z.boolean().optional().meta({ description: 'Validate and report without writing records' }),
    onDuplicate: z
      .enum(ON_DUPLICATE)
      .optional()
      .meta({
        description:
          'Rows whose record exists: skip them (default), update the record with the row’s non-empty values, ' +
          'or fill only the fields that are empty on the record. A matched record the row would not change counts as `unchanged`.',
      }),
    linkCompanies: z
      .boolean()
      .optional()
      .meta({
        description:
          'Clients and leads: link each to the company of its company value (matched by normalized name), ' +
          'creating a name-only company when none exists. Default true; false links and creates nothing.',
      }),
  })
  .meta({ id: 'StartImportBody' });

export const changeMappingBody = z
  .object({
    sheet: sheet.optional().meta({
      description:
        "For an Excel workbook: read this sheet instead (its name, or its number, 1 being the first). The sheet's " +
        'columns replace the old ones and the mapping is suggested afresh, before type and mapping changes apply.',
      example: 'Clients',
    }),
    type: z
      .enum(RECORD_TYPES)
      .optional()
      .meta({ description: 'Change the record type (re-suggests the mapping)' }),
    mapping: z
      .record(z.string(), z.string().nullable())
      .optional()
      .meta({
        description:
          'Header → field key (or label), null to not import it. "custom" (or "keep") keeps the column as a ' +
          'custom field named after its header in camelCase (unique within the file: birthday, birthday2…); ' +
          '"custom.<name>" names it. Custom values are stored as strings under `custom` on the record; a file ' +
          'keeps at most 50 custom fields and a workspace at most 200 per type (GET /fields/{type} lists them).',
        example: { 'Mobile number': 'phone', Notes: null, Birthday: 'custom', 'Shoe Size': 'custom.shoe' },
      }),
    columns: z
      .array(
        z.object({
          index: z.number().int().nonnegative().meta({ description: 'The column, 0 being the first' }),
          field: z.string().nullable().meta({ description: 'The same targets as `mapping`' }),
        }),
      )
      .optional()
      .meta({
        description: 'By column index; the same targets as `mapping`',
        example: [
          { index: 3, field: 'phone' },
          { index: 4, field: 'custom' },
        ],
      }),
  })
  .meta({ id: 'ChangeMappingBody' });
