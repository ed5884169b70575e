import { z } from 'zod';
import { importCommand } from '../shared/command';

/** Another sheet of the workbook, by name or number, while the import awaits its mapping. */
export const chooseSheetCommand = importCommand.extend({
  sheet: z.string().min(1, 'names no sheet'),
});

export type ChooseSheetCommand = z.input<typeof chooseSheetCommand>;
