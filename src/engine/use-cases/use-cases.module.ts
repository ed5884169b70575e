import { Module } from '@nestjs/common';
import { CancelImport } from './cancel/use-case';
import { ChangeMapping } from './change-mapping/use-case';
import { ChooseSheet } from './choose-sheet/use-case';
import { ProposeImport } from './propose/use-case';
import { ImportQueries } from './queries/import-queries';
import { ImportReport } from './report/use-case';
import { RetryImport } from './retry/use-case';
import { ImportHistory } from './shared/import-history';
import { ImportLine } from './shared/import-line';
import { StartImport } from './start/use-case';
import { UndoImport } from './undo/use-case';
import { UpdateExisting } from './update-existing/use-case';

/** Each operation a door may ask of an import, one use case each, and the reading of imports. */
const USE_CASES = [
  ProposeImport,
  ChooseSheet,
  ChangeMapping,
  StartImport,
  CancelImport,
  RetryImport,
  UndoImport,
  UpdateExisting,
  ImportReport,
  ImportQueries,
];

/**
 * The use cases of the engine: what the doors (and the engine's conversation) call. They take the
 * engine's repositories and services from the global EngineModule, which imports and exports this one.
 */
@Module({
  providers: [ImportHistory, ImportLine, ...USE_CASES],
  exports: USE_CASES,
})
export class UseCasesModule {}
