import { z } from 'zod';
import { importCommand } from '../shared/command';

/** The report of an import: its skipped and flagged rows, or their most frequent reasons. */
export const reportCommand = importCommand.extend({
  /** How many kinds of reason the top reasons name (3 by default). */
  top: z.number().int().min(1).max(20).optional(),
});

export type ReportCommand = z.input<typeof reportCommand>;
