import { Controller, Get, Res } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Connection } from 'mongoose';
import { JobQueues } from '../../engine/queue/job-queues';

async function probe(check: () => Promise<unknown>): Promise<'up' | 'down'> {
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error('timeout')), 2000).unref(),
  );
  try {
    await Promise.race([check(), timeout]);
    return 'up';
  } catch {
    return 'down';
  }
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @InjectConnection() private readonly mongo: Connection,
    private readonly jobs: JobQueues,
  ) {}

  @Get()
  @ApiOperation({ summary: 'MongoDB and Redis reachability (no API key needed)' })
  async health(@Res({ passthrough: true }) res: Response) {
    const [mongodb, redis] = await Promise.all([
      probe(() => this.mongo.db!.admin().ping()),
      probe(() => this.jobs.ping()),
    ]);
    const ok = mongodb === 'up' && redis === 'up';
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'degraded', mongodb, redis };
  }
}
