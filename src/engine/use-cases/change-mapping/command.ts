import { z } from 'zod';
import { RECORD_TYPES } from '../../../core/record-type';
import { importCommand } from '../shared/command';

/**
 * A new type (the mapping is suggested again for it) and/or columns' fields, by header or by index
 * (null: not imported). `at` is when the person made the change (a Slack action's time, a reply's
 * arrival); now when absent.
 */
export const changeMappingCommand = importCommand.extend({
  type: z.enum(RECORD_TYPES).optional(),
  byHeader: z.record(z.string(), z.string().nullable()).optional(),
  byIndex: z.array(z.object({ index: z.number().int().min(0), field: z.string().nullable() })).optional(),
  at: z.instanceof(Date).optional(),
});

export type ChangeMappingCommand = z.input<typeof changeMappingCommand>;
