import { Global, Module } from '@nestjs/common';
import { AccessLogService } from 'src/platform/access-log/access-log.service';
import { Clock } from 'src/platform/clock/clock';
import { ConfigModule } from 'src/platform/config/config.module';
import { DatabaseModule } from 'src/platform/database/database.module';
import { OutboxService } from 'src/platform/outbox/outbox.service';

/** What both processes share: config, database and transactions, clock, outbox writes, access log. */
@Global()
@Module({
  imports: [ConfigModule, DatabaseModule],
  providers: [Clock, OutboxService, AccessLogService],
  exports: [Clock, OutboxService, AccessLogService],
})
export class CoreModule {}
