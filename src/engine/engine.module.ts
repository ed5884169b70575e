import { DynamicModule, Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CLOCK, Clock, ID_GENERATOR, IdGenerator, randomIds, systemClock } from '../core/clock';
import { Import, ImportRowIssue, ImportRowIssueSchema, ImportSchema } from './imports/import.schema';
import { ImportRowsRepository } from './imports/import-rows.repository';
import { ImportRunner } from './imports/import-runner';
import { BatchWriter } from './imports/batch-writer';
import { ImportLifecycle } from './imports/import-lifecycle';
import { ImportsRepository } from './imports/imports.repository';
import { ImportSweepsRepository } from './imports/import-sweeps.repository';
import { QueueModule } from './queue/queue.module';
import { ContactRecord, ContactRecordSchema } from './records/record.schema';
import { RecordsRepository } from './records/records.repository';
import { RecordChange, RecordChangeSchema } from './records/record-change.schema';
import { RecordChangesRepository } from './records/record-changes.repository';
import { RecordMerger } from './records/record-merger';
import { RecordRestorer } from './records/record-restorer';
import { CompanyLinker } from './records/company-linker';
import { CompanyDomain, CompanyDomainSchema } from './records/company-domain.schema';
import { CompanyDomainsRepository } from './records/company-domains.repository';
import { CompanyDomainMatcher } from './records/company-domain-matcher';
import { CompanyDomainBackfill } from './records/company-domain-backfill';
import { FileStore } from './storage/file-store';
import { UploadStoring } from './imports/upload-storing';
import { UploadGate } from './imports/upload-gate';
import { MappingMemoryRepository } from './workspaces/mapping-memory.repository';
import { LearnedMappings } from './workspaces/learned-mappings';
import { CustomFieldsRepository } from './workspaces/custom-fields.repository';
import {
  ApiKey,
  ApiKeySchema,
  CustomField,
  CustomFieldSchema,
  MappingMemory,
  MappingMemorySchema,
  Workspace,
  WorkspaceSchema,
} from './workspaces/workspace.schema';
import { ApiKeysRepository } from './workspaces/api-keys.repository';
import { WorkspacesRepository } from './workspaces/workspaces.repository';
import { WorkspacesService } from './workspaces/workspaces.service';
import { UseCasesModule } from './use-cases/use-cases.module';

export interface EngineOptions {
  config: AppConfig;
  clock?: Clock;
  ids?: IdGenerator;
}

const SERVICES = [
  ImportsRepository,
  ImportSweepsRepository,
  ImportRowsRepository,
  RecordsRepository,
  RecordChangesRepository,
  RecordMerger,
  RecordRestorer,
  CompanyLinker,
  CompanyDomainsRepository,
  CompanyDomainMatcher,
  CompanyDomainBackfill,
  MappingMemoryRepository,
  LearnedMappings,
  CustomFieldsRepository,
  WorkspacesRepository,
  ApiKeysRepository,
  WorkspacesService,
  FileStore,
  UploadStoring,
  UploadGate,
  ImportLifecycle,
  ImportRunner,
  BatchWriter,
];

/** Configuration, persistence, the queue port, the import engine and its use cases: what every role shares. */
@Global()
@Module({})
export class EngineModule {
  static forRoot({ config, clock = systemClock, ids = randomIds }: EngineOptions): DynamicModule {
    const configProviders = [
      { provide: APP_CONFIG, useValue: config },
      { provide: CLOCK, useValue: clock },
      { provide: ID_GENERATOR, useValue: ids },
    ];
    return {
      module: EngineModule,
      imports: [
        ConfigHolderModule.with(configProviders),
        MongooseModule.forRoot(config.mongoUri, {
          serverSelectionTimeoutMS: 5000,
          // Indexes carry the duplicate guarantee: build them at start-up.
          autoIndex: true,
          retryAttempts: 1,
        }),
        MongooseModule.forFeature([
          { name: Import.name, schema: ImportSchema },
          { name: ImportRowIssue.name, schema: ImportRowIssueSchema },
          { name: ContactRecord.name, schema: ContactRecordSchema },
          { name: RecordChange.name, schema: RecordChangeSchema },
          { name: CompanyDomain.name, schema: CompanyDomainSchema },
          { name: Workspace.name, schema: WorkspaceSchema },
          { name: ApiKey.name, schema: ApiKeySchema },
          { name: MappingMemory.name, schema: MappingMemorySchema },
          { name: CustomField.name, schema: CustomFieldSchema },
        ]),
        QueueModule,
        UseCasesModule,
      ],
      providers: [...SERVICES],
      exports: [ConfigHolderModule, MongooseModule, QueueModule, UseCasesModule, ...SERVICES],
    };
  }
}

/** Holds the config providers so that modules imported by EngineModule (the queue) can inject them. */
@Global()
@Module({})
class ConfigHolderModule {
  static with(providers: { provide: symbol; useValue: unknown }[]): DynamicModule {
    return { module: ConfigHolderModule, providers, exports: providers.map((p) => p.provide) };
  }
}
