import { z } from 'zod';
import { importCommand } from '../shared/command';

/** Imports a finished import's file again, updating the records that already existed. */
export const updateExistingCommand = importCommand.extend({
  /** What the door keeps about the new import (its thread, its conversation). */
  origin: z.record(z.string(), z.unknown()).optional(),
});

export type UpdateExistingCommand = z.input<typeof updateExistingCommand>;
