import { DynamicModule, Module } from '@nestjs/common';
import { ApiKeyGuard } from '../api/api-key.guard';
import { HealthController } from '../api/health.controller';
import { ImportsController } from '../api/imports.controller';
import { RecordsController } from '../api/records.controller';
import { TemplatesController } from '../api/templates.controller';
import { ImportWorker } from '../imports/import.worker';
import { CoreModule, CoreOptions } from './core.module';

@Module({
  controllers: [HealthController, ImportsController, RecordsController, TemplatesController],
  providers: [ApiKeyGuard],
})
export class ApiModule {}

@Module({ providers: [ImportWorker], exports: [ImportWorker] })
export class WorkerModule {}

/** One codebase, several roles: the modules loaded follow INTAKE_ROLES. */
@Module({})
export class AppModule {
  static forRoles(options: CoreOptions): DynamicModule {
    const { roles } = options.config;
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(options),
        ...(roles.has('api') ? [ApiModule] : []),
        ...(roles.has('worker') ? [WorkerModule] : []),
      ],
    };
  }
}
