import type { Readable } from 'node:stream';
import { z } from 'zod';
import { RECORD_TYPES } from '../../../core/record-type';
import { workspaceCommand } from '../shared/command';

/**
 * A file handed in through a door, to be read and proposed a mapping. The actor's door is the import's
 * channel.
 */
export const proposeCommand = workspaceCommand.extend({
  source: z.custom<Readable>(
    (v) => typeof (v as Readable | null)?.pipe === 'function',
    'is not a readable stream of the file',
  ),
  fileName: z.string(),
  type: z.enum(RECORD_TYPES).optional(),
  /** What the door keeps about where the file came from (who shared it, its thread). */
  origin: z.record(z.string(), z.unknown()).optional(),
  /** For a workbook: the sheet to read, by name or number (default: the first visible one with data). */
  sheet: z.string().optional(),
  /** Refuse (not_a_table) a file that does not look like a table, before any import is kept. */
  requireTable: z.boolean().optional(),
  /** How long to wait for a place among the uploads in flight before refusing (0: refuse at once). */
  waitForPlaceMs: z.number().int().min(0).optional(),
  /** Fields already chosen for columns, by index (a file imported again with the mapping it had). */
  columns: z.array(z.object({ index: z.number().int().min(0), field: z.string().nullable() })).optional(),
});

export type ProposeCommand = z.input<typeof proposeCommand>;
