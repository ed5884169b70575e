import { IntakeError } from '../../../core/intake-error';
import { fileDeletedRefusal } from '../../../core/lifecycle/retention';
import type { Import } from '../../imports/import.schema';
import { FILE_NOT_STORED } from '../../imports/upload-storing';

/** A run or a new sheet needs the stored file: once the retention period removed it, the person uploads it again. */
export function assertFileKept(imp: Import, fileDays: number): void {
  if (imp.error?.code === FILE_NOT_STORED)
    throw new IntakeError('conflict', `Import ${imp._id} has no file: ${imp.error.message}`);
  if (imp.fileDeletedAt) throw new IntakeError('conflict', fileDeletedRefusal(imp._id, fileDays));
}
