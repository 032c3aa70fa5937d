import { ApiProperty } from '@nestjs/swagger';
import { ACTION_PLAN_BASES, ACTION_PLAN_STATUSES, ActionPlanBasis, ActionPlanStatus } from 'src/modules/visitation/visitation.constants';
import { GoalView } from 'src/modules/visitation/visitation.dto';

export class ActionPlanVersionView {
  id: string;
  versionNo: number;
  /** Formål. */
  purpose: string;
  /** Indsats. */
  services: string;
  grantIds: string[];
  /** Forventet varighed. */
  expectedDuration: string;
  /** Andre forhold: stays with the authority (never part of what the institution reads). */
  otherMatters: string | null;
  @ApiProperty({
    enum: ACTION_PLAN_STATUSES,
    description: 'draft = kladde, offered = tilbudt, accepted = accepteret af borgeren, declined = afslået af borgeren',
  })
  status: ActionPlanStatus;
  @ApiProperty({ format: 'date', nullable: true, type: String })
  offeredOn: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String })
  respondedOn: string | null;
  responseNote: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  /** The version's row version: send it as If-Match to edit or offer this version. */
  version: number;
}

/**
 * A grant the plan covers, with what the authority set for it in the decision (read-only here): the
 * indsatsformål and the indsatsmål.
 */
export class ActionPlanGrantView {
  grantId: string;
  standardCode: string;
  institutionId: string;
  @ApiProperty({ format: 'date' })
  validFrom: string;
  @ApiProperty({ format: 'date', nullable: true, type: String })
  validTo: string | null;
  /** The decision that made the grant (null for a confirmed self-referral admission). */
  decisionId: string | null;
  /** The order (bestilling) of the grant; once a version is offered it carries this plan. */
  orderId: string | null;
  /** Indsatsformål, from the decision. */
  servicePurpose: string | null;
  /** Indsatsmål, from the decision. */
  goals: GoalView[];
  /**
   * The institution's delmål (sub-goals) under the decision's goals, with their progress: written by the
   * institution, read-only here.
   */
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: "Delmål: the institution's sub-goals (goalOrdinal = the goal they serve) with their progress entries (level 0–4, text, date)",
  })
  subGoals: Record<string, unknown>[];
}

/** A handleplan with all its versions (newest first) and the goals of the grants it covers. */
export class ActionPlanView {
  id: string;
  citizenId: string;
  caseId: string;
  @ApiProperty({ enum: ACTION_PLAN_BASES, description: 'SEL-141 = handleplan efter § 141; SEL-142 = handleplan for ophold efter § 110' })
  legalBasis: ActionPlanBasis;
  /** Every version, newest first. The first is the current one (a draft, or the last offered). */
  versions: ActionPlanVersionView[];
  /** The grants covered by any version of the plan. */
  grants: ActionPlanGrantView[];
  createdBy: string | null;
  createdAt: string;
  /** The plan's row version: it counts the versions made; send it as If-Match to make a new version. */
  version: number;
}

/**
 * What the institution reads with its order: the relevant parts of the latest offered or accepted version
 * covering the order's grant (SEL § 141, stk. 5) and the goals of the grant. Andre forhold and the citizen's
 * response note stay with the authority.
 */
export class OrderActionPlanView {
  orderId: string;
  grantId: string;
  actionPlanId: string;
  @ApiProperty({ enum: ACTION_PLAN_BASES })
  legalBasis: ActionPlanBasis;
  versionNo: number;
  @ApiProperty({ enum: ['offered', 'accepted'], description: 'offered = tilbudt, accepted = accepteret af borgeren' })
  status: ActionPlanStatus;
  @ApiProperty({ format: 'date' })
  offeredOn: string;
  /** Formål. */
  purpose: string;
  /** Indsats. */
  services: string;
  /** Forventet varighed. */
  expectedDuration: string;
  /** Indsatsformål of the order's grant. */
  servicePurpose: string | null;
  /** Indsatsmål of the order's grant. */
  goals: GoalView[];
}
