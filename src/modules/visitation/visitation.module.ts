import { Module } from '@nestjs/common';
import { CatalogueModule } from 'src/modules/catalogue/catalogue.module';
import { CitizensModule } from 'src/modules/citizens/citizens.module';
import { OrganisationModule } from 'src/modules/organisation/organisation.module';
import { ActionPlanService } from 'src/modules/visitation/action-plan.service';
import { ActionPlansController } from 'src/modules/visitation/action-plans.controller';
import { AdmissionService } from 'src/modules/visitation/admission.service';
import { AdmissionsController } from 'src/modules/visitation/admissions.controller';
import { AssessmentService } from 'src/modules/visitation/assessment.service';
import { AssessmentsController } from 'src/modules/visitation/assessments.controller';
import { ComplaintStatisticsController } from 'src/modules/visitation/complaint-statistics.controller';
import { ComplaintStatisticsService } from 'src/modules/visitation/complaint-statistics.service';
import { ComplaintService } from 'src/modules/visitation/complaint.service';
import { ComplaintsController } from 'src/modules/visitation/complaints.controller';
import { DeadlineNoticeService } from 'src/modules/visitation/deadline-notice.service';
import { DeadlineNoticesController } from 'src/modules/visitation/deadline-notices.controller';
import { DecisionLetterService } from 'src/modules/visitation/decision-letter.service';
import { DecisionNotificationService } from 'src/modules/visitation/decision-notification.service';
import { DecisionService } from 'src/modules/visitation/decision.service';
import { DecisionsController } from 'src/modules/visitation/decisions.controller';
import { FollowUpService } from 'src/modules/visitation/follow-up.service';
import { FollowUpsController } from 'src/modules/visitation/follow-ups.controller';
import { GrantService } from 'src/modules/visitation/grant.service';
import { GrantsController } from 'src/modules/visitation/grants.controller';
import { OrderService } from 'src/modules/visitation/order.service';
import 'src/modules/visitation/visitation.errors';
import { SubGoalReader } from 'src/modules/visitation/sub-goal-reader';
import { VisitationDemoSeed } from 'src/modules/visitation/visitation-demo-seed';
import { WorkListController } from 'src/modules/visitation/work-list.controller';
import { WorkListService } from 'src/modules/visitation/work-list.service';

/**
 * Visitation (the authority, bestiller): assessments (udredning), decisions (afgørelser) with the panel's
 * review and the letter, grants (bevillinger), orders (bestillinger), complaints (klager) and their statistics, self-referral admissions, action plans
 * (handleplaner), follow-ups (opfølgning), work lists.
 */
@Module({
  imports: [CatalogueModule, CitizensModule, OrganisationModule],
  controllers: [AssessmentsController, DecisionsController, ComplaintsController, ComplaintStatisticsController, GrantsController, AdmissionsController, DeadlineNoticesController, ActionPlansController, FollowUpsController, WorkListController],
  providers: [
    AssessmentService,
    DecisionService,
    DecisionNotificationService,
    DecisionLetterService,
    GrantService,
    FollowUpService,
    OrderService,
    AdmissionService,
    ActionPlanService,
    ComplaintService,
    ComplaintStatisticsService,
    WorkListService,
    DeadlineNoticeService,
    VisitationDemoSeed,
    SubGoalReader,
  ],
  exports: [AssessmentService, DecisionService, GrantService, FollowUpService, OrderService, AdmissionService, ActionPlanService, VisitationDemoSeed, SubGoalReader],
})
export class VisitationModule {}
