import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { IntakeErrorFilter } from '../protocols/http/intake-error.filter';
import { adminAuth } from '../protocols/http/admin-auth';
import { AppConfig } from '../config/app-config';
import { JobQueues } from '../engine/queue/job-queues';
import { queueDashboard } from '../engine/queue/queue-dashboard';
import { mountSlackEndpoint } from '../doors/slack/slack-endpoint';
import { webPage } from '../protocols/http/web-page';
import { withZodSchemas } from '../protocols/http/zod-openapi';

/** The web page at /, Slack at /slack/events, OpenAPI at /docs, the queue dashboard at /admin/queues, one error shape everywhere. */
export function configureHttp(app: INestApplication, config: AppConfig): void {
  // Before Nest's body parsers (added when the app listens): Slack's signature covers the raw body.
  mountSlackEndpoint(app, config);
  app.useGlobalFilters(new IntakeErrorFilter());
  app.use(webPage());
  const doc = new DocumentBuilder()
    .setTitle('Intake')
    .setDescription(
      'Import clients, leads and companies from CSV files. Every call needs `Authorization: Bearer <API key>`. ' +
        'A JSON body larger than 100 KiB is refused with 413, malformed JSON with 400, both as ' +
        '`{"error": {"code", "message"}}`. The queue dashboard at `/admin/queues` is not part of this API: ' +
        'it needs the operator key (`INTAKE_ADMIN_KEY`), not an API key, and is not served without one.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  // Operations come from the controllers' decorators; request bodies and queries from their zod schemas.
  SwaggerModule.setup('docs', app, () => withZodSchemas(SwaggerModule.createDocument(app, doc)), {
    jsonDocumentUrl: 'docs/openapi.json',
  });

  // The dashboard controls every workspace's jobs: only the operator key opens it, and without one it
  // is not served at all.
  const adminKey = config.http.adminKey;
  if (adminKey) {
    app.use('/admin/queues', adminAuth(adminKey), queueDashboard(app.get(JobQueues), '/admin/queues'));
  }
}
