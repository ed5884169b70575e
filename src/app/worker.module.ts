import { DynamicModule, Module } from '@nestjs/common';
import { ImportWorker } from '../engine/imports/import.worker';
import { RetentionSweep } from '../engine/imports/retention-sweep';
import { EngineModule, EngineOptions } from '../engine/engine.module';
import { ConversationModule } from '../engine/conversation/conversation.module';

@Module({ providers: [ImportWorker, RetentionSweep], exports: [ImportWorker, RetentionSweep] })
export class WorkerModule {}

/**
 * A process with no door (INTAKE_ROLES=worker, or none): the engine and, for a worker, the queue
 * processor. This file imports no door, so such a process never loads Slack, mail, HTTP or OpenAPI code.
 */
@Module({})
export class EngineOnlyModule {
  static forRoles(options: EngineOptions): DynamicModule {
    return {
      module: EngineOnlyModule,
      imports: [
        EngineModule.forRoot(options),
        ConversationModule,
        ...(options.config.roles.has('worker') ? [WorkerModule] : []),
      ],
    };
  }
}
