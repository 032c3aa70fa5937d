import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from 'src/platform/auth/policy.decorator';
import { HealthService, Readiness } from 'src/platform/health/health.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** Liveness: the process answers. */
  @Public()
  @Get('live')
  @ApiOkResponse({ description: 'The process is alive' })
  live(): { status: 'live' } {
    return { status: 'live' };
  }

  /** Readiness: PostgreSQL, Redis, migrations current and a live worker; 503 says which is down. */
  @Public()
  @Get('ready')
  @ApiOkResponse({ description: 'Ready to serve' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down; `checks` says which' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    const result = await this.health.readiness();
    if (result.status !== 'ready') void reply.status(503).header('retry-after', '5');
    return result;
  }
}
