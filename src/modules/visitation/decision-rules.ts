import { addDays, addMonths } from 'src/platform/clock/danish-date';
import { FieldError } from 'src/platform/errors/domain-error';
import type { VersionView } from 'src/modules/catalogue/catalogue.dto';
import type { OrgUnitView } from 'src/modules/organisation/organisation.dto';
import { statePensionAgeReachedOn } from 'src/modules/visitation/state-pension-age';
import { DecisionKind } from 'src/modules/visitation/visitation.constants';

/** Units that are a quantity: a grant of them needs a scope. A place, course, dwelling or outreach is one. */
const QUANTITY_UNITS = ['hoursPerWeek', 'hoursPerMonth', 'daysPerWeek', 'days'];

export interface ExistingGrant {
  scope: number | null;
  validFrom: string;
  validTo: string | null;
}

export interface DecisionDraft {
  kind: DecisionKind;
  scope: number | null;
  requestedScope: number | null;
  validFrom: string | null;
  validTo: string | null;
  reasoning: string;
  leastInterventionJustification: string | null;
}

export interface RuleContext {
  standard: VersionView;
  citizen: { anonymous: boolean; birthDate: string | null };
  /** The delivering institution and its operating area (null for an external institution or none given). */
  institution: OrgUnitView | null;
  area: OrgUnitView | null;
  grant: ExistingGrant | null;
}

const blank = (s: string | null | undefined) => !s || s.trim() === '';

/**
 * Every rule of DOMAIN.md §4 a decision's content must meet against the standard version in force, as a list
 * of field errors (empty when it passes). The caller turns a non-empty list into one 422 naming each rule.
 */
export function checkDecision(d: DecisionDraft, ctx: RuleContext): FieldError[] {
  const errors: FieldError[] = [];
  const fail = (pointer: string, reason: string) => errors.push({ pointer, reason });
  const v = ctx.standard;
  const cite = `${v.standardCode} version ${v.versionNo}`;

  if (blank(d.reasoning)) fail('/reasoning', 'a decision must carry its reasoning (begrundelse): the rules applied and the main considerations');
  if (ctx.citizen.anonymous && !v.anonymousAllowed) fail('/standardCode', `${v.standardCode} is not given to anonymous clients`);
  if (d.kind === 'grant' && v.selfReferral)
    fail('/kind', `${v.standardCode} is a self-referral service: the institution's leader admits, and the authority confirms the admission as a grant`);

  if (d.kind === 'grant' || d.kind === 'change') {
    if (QUANTITY_UNITS.includes(v.scopeUnit) && d.scope === null) fail('/scope', `a grant of ${v.standardCode} needs a scope in ${v.scopeUnit}`);
    if (d.scope !== null && v.scopeMin !== null && d.scope < v.scopeMin)
      fail('/scope', `scope ${d.scope} ${v.scopeUnit} is below the minimum ${v.scopeMin} of ${cite}`);
    if (d.scope !== null && v.scopeMax !== null && d.scope > v.scopeMax)
      fail('/scope', `scope ${d.scope} ${v.scopeUnit} is above the maximum ${v.scopeMax} of ${cite}`);
    if (!d.validFrom) fail('/validFrom', 'a grant needs its first day');
    if (d.validFrom && d.validTo && d.validTo < d.validFrom) fail('/validTo', 'validTo must be on or after validFrom');
    if (d.validFrom && v.maxDurationMonths !== null) {
      const last = addDays(addMonths(d.validFrom, v.maxDurationMonths), -1);
      if (!d.validTo) fail('/validTo', `${cite} is granted for at most ${v.maxDurationMonths} months: give the last day (at the latest ${last})`);
      else if (d.validTo > last) fail('/validTo', `${cite} is granted for at most ${v.maxDurationMonths} months: the last day can be ${last} at the latest`);
    }
    checkInstitution(ctx, cite, fail);
    if (v.belowStatePensionAgeOnly && d.validFrom && ctx.citizen.birthDate) {
      const reached = statePensionAgeReachedOn(ctx.citizen.birthDate);
      if (reached <= d.validFrom) fail('/validFrom', `${v.standardCode} is only given below state pension age (folkepensionsalder), which the citizen reached on ${reached}`);
    }
    if (v.leastInterventionRule && blank(d.leastInterventionJustification))
      fail(
        '/leastInterventionJustification',
        `${v.standardCode} follows the least-intervention rule: document which less intrusive support was considered and why it does not suffice`,
      );
  }

  if (d.kind === 'change' && ctx.grant && d.validFrom) {
    const g = ctx.grant;
    if (d.validFrom <= g.validFrom || (g.validTo !== null && d.validFrom > g.validTo))
      fail('/validFrom', `a change takes effect within the grant's period, after its first day (${g.validFrom}${g.validTo ? `–${g.validTo}` : ' onwards'})`);
  }
  if (d.kind === 'termination') {
    if (!d.validTo) fail('/validTo', "a termination gives the grant's last day");
    else if (ctx.grant && (d.validTo < ctx.grant.validFrom || (ctx.grant.validTo !== null && d.validTo >= ctx.grant.validTo)))
      fail('/validTo', `the last day must lie within the grant's period and before its current end (${ctx.grant.validFrom}${ctx.grant.validTo ? `–${ctx.grant.validTo}` : ' onwards'})`);
  }
  return errors;
}

/** The institution may deliver the standard: its type is one the version allows, and its operating area's type too. */
export function checkInstitution(ctx: Pick<RuleContext, 'standard' | 'institution' | 'area'>, cite: string, fail: (pointer: string, reason: string) => void) {
  const i = ctx.institution;
  if (!i) return fail('/institutionId', 'a grant names the institution (tilbud) that delivers it');
  const v = ctx.standard;
  if (!i.institutionType || !v.institutionTypes.includes(i.institutionType))
    fail('/institutionId', `${i.name} (${i.institutionType ?? 'no type'}) cannot deliver ${v.standardCode}: ${cite} allows ${v.institutionTypes.join(', ') || 'no institution types'}`);
  else if (ctx.area && v.areaTypes.length && ctx.area.areaType && !v.areaTypes.includes(ctx.area.areaType))
    fail('/institutionId', `${i.name} belongs to ${ctx.area.name}, which does not deliver ${v.standardCode} under ${cite}`);
}

/**
 * Unfavourable to the citizen (FVL § 19 partshøring, § 22 begrundelse): a refusal, a termination, a change
 * that reduces the scope or brings the end forward, or a grant of less than asked for.
 */
export function isUnfavourable(d: Pick<DecisionDraft, 'kind' | 'scope' | 'requestedScope' | 'validTo'>, grant: ExistingGrant | null): boolean {
  if (d.kind === 'refusal' || d.kind === 'termination') return true;
  if (d.kind === 'grant') return d.requestedScope !== null && d.scope !== null && d.scope < d.requestedScope;
  if (!grant) return false;
  const reduced = grant.scope !== null && d.scope !== null && d.scope < grant.scope;
  const shortened = d.validTo !== null && (grant.validTo === null || d.validTo < grant.validTo);
  return reduced || shortened || (d.requestedScope !== null && d.scope !== null && d.scope < d.requestedScope);
}
