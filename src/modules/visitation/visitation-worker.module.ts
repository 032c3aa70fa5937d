import { Module } from '@nestjs/common';
import { FollowUpDueJob } from 'src/modules/visitation/follow-up-due.job';

/** Visitation in the worker: the daily job that announces follow-ups falling due. */
@Module({
  providers: [FollowUpDueJob],
})
export class VisitationWorkerModule {}
