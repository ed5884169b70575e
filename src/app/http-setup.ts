import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { IntakeErrorFilter } from '../doors/http/intake-error.filter';
import { bearerToken } from '../doors/http/api-key.guard';
import { AppConfig } from '../config/app-config';
import { JobQueues } from '../engine/queue/job-queues';
import { queueDashboard } from '../engine/queue/queue-dashboard';
import { mountSlackEndpoint } from '../doors/slack/slack-endpoint';
import { WorkspacesService } from '../engine/workspaces/workspaces.service';

/** Slack at /slack/events, OpenAPI at /docs, the queue dashboard at /admin/queues, one error shape everywhere. */
export function configureHttp(app: INestApplication, config: AppConfig): void {
  // Before Nest's body parsers (added when the app listens): Slack's signature covers the raw body.
  mountSlackEndpoint(app, config);
  app.useGlobalFilters(new IntakeErrorFilter());
  const doc = new DocumentBuilder()
    .setTitle('Intake')
    .setDescription(
      'Import clients, leads and companies from CSV files. Every call needs `Authorization: Bearer <API key>`.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, doc), {
    jsonDocumentUrl: 'docs/openapi.json',
  });

  app.use(
    '/admin/queues',
    adminAuth(app.get(WorkspacesService), config.defaultWorkspace.id),
    queueDashboard(app.get(JobQueues), '/admin/queues'),
  );
}

/** The dashboard is for operators: an API key of the default workspace, as Bearer or as the Basic password. */
function adminAuth(workspaces: WorkspacesService, adminWorkspace: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    const basic = /^Basic\s+(\S+)$/i.exec(header ?? '');
    const key = basic
      ? Buffer.from(basic[1] ?? '', 'base64')
          .toString()
          .split(':')
          .slice(1)
          .join(':')
      : bearerToken(header);
    void workspaces.byApiKey(key ?? '').then(
      (ws) => {
        if (ws?._id === adminWorkspace) return next();
        res.setHeader('WWW-Authenticate', 'Basic realm="Intake queues"');
        res.status(401).json({
          error: { code: 'unauthorized', message: 'An API key of the default workspace is needed.' },
        });
      },
      (e: unknown) => next(e),
    );
  };
}
