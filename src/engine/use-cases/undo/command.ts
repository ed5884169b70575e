import type { z } from 'zod';
import { importCommand } from '../shared/command';

/** Undoes what an import wrote: records it created are deleted, those it changed restored. */
export const undoCommand = importCommand;

export type UndoCommand = z.input<typeof undoCommand>;
