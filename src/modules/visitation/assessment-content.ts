import { isDate } from 'src/platform/clock/danish-date';
import { FieldError } from 'src/platform/errors/domain-error';
import { UpdateAssessmentDto } from 'src/modules/visitation/assessment.dto';
import { AssessmentSectionView, AssessmentView } from 'src/modules/visitation/assessment.view';
import {
  ACTIVITY_THEMES,
  AssessmentSection,
  AssessmentStatus,
  ENVIRONMENT_SECTIONS,
  FUNCTION_SECTIONS,
  ObservationSource,
  SupportNeedLevel,
} from 'src/modules/visitation/visitation.constants';

export interface AssessmentRow {
  id: string;
  citizen_id: string;
  case_id: string;
  status: AssessmentStatus;
  assessed_on: string | null;
  background: string | null;
  citizen_wishes: string | null;
  professional_assessment: string | null;
  caseworker_id: string;
  completed_at: Date | null;
  completed_by: string | null;
  created_at: Date;
  version: number;
}

export interface SectionRow {
  assessment_id: string;
  section: AssessmentSection;
  level: number | null;
  description: string | null;
  sources: ObservationSource[];
}

export interface SupportNeedRow {
  assessment_id: string;
  standard_code: string;
  level: SupportNeedLevel;
  note: string | null;
}

export const isActivityTheme = (s: string) => (ACTIVITY_THEMES as readonly string[]).includes(s);

/** Text as stored: trimmed, and an empty text is no text. */
export const text = (value: string | null | undefined): string | null => {
  const t = value?.trim();
  return t ? t : null;
};

/**
 * The content rules the DTO cannot express, every one reported: a section or standard at most once; an
 * activity theme has a level (0–4, or null for not assessed: a theme's row with no level means "ikke
 * vurderet", so a theme is never stored unscored by accident); the other sections have no level and need a
 * description; support needs name existing quality standards (`unknownStandards`: those the catalogue lacks).
 */
export function contentErrors(dto: UpdateAssessmentDto, unknownStandards: ReadonlySet<string>): FieldError[] {
  const errors: FieldError[] = [];
  if (dto.assessedOn && !isDate(dto.assessedOn)) errors.push({ pointer: '/assessedOn', reason: 'not a calendar date' });
  const seen = new Set<string>();
  (dto.sections ?? []).forEach((s, i) => {
    const at = `/sections/${i}`;
    if (seen.has(s.section)) errors.push({ pointer: `${at}/section`, reason: `${s.section} is given more than once` });
    seen.add(s.section);
    if (isActivityTheme(s.section)) {
      if (s.level === undefined) errors.push({ pointer: `${at}/level`, reason: `score ${s.section} 0–4, or give null for not assessed (ikke vurderet)` });
    } else {
      if (s.level !== undefined && s.level !== null)
        errors.push({ pointer: `${at}/level`, reason: `${s.section} is described in text; only the six activity themes are scored` });
      if (!text(s.description)) errors.push({ pointer: `${at}/description`, reason: `describe ${s.section}` });
    }
  });
  const codes = new Set<string>();
  (dto.supportNeeds ?? []).forEach((n, i) => {
    const at = `/supportNeeds/${i}/standardCode`;
    if (codes.has(n.standardCode)) errors.push({ pointer: at, reason: `${n.standardCode} is given more than once` });
    else if (unknownStandards.has(n.standardCode)) errors.push({ pointer: at, reason: `there is no quality standard ${n.standardCode}` });
    codes.add(n.standardCode);
  });
  return errors;
}

/** The view of one assessment: every section in a fixed order, those not yet filled in as empty. */
export function toView(r: AssessmentRow, sections: SectionRow[], needs: SupportNeedRow[]): AssessmentView {
  const own = new Map(sections.map((s) => [s.section, s]));
  const section = (name: AssessmentSection): AssessmentSectionView => {
    const s = own.get(name);
    return {
      section: name,
      level: s?.level ?? null,
      notAssessed: !!s && isActivityTheme(name) && s.level === null,
      description: s?.description ?? null,
      sources: s?.sources ?? [],
    };
  };
  return {
    id: r.id,
    citizenId: r.citizen_id,
    caseId: r.case_id,
    status: r.status,
    assessedOn: r.assessed_on,
    background: r.background,
    citizenWishes: r.citizen_wishes,
    professionalAssessment: r.professional_assessment,
    caseworkerId: r.caseworker_id,
    sections: {
      activityThemes: ACTIVITY_THEMES.map(section),
      functions: FUNCTION_SECTIONS.map(section),
      environment: ENVIRONMENT_SECTIONS.map(section),
    },
    supportNeeds: needs.map((n) => ({ standardCode: n.standard_code, level: n.level, note: n.note })),
    completedAt: r.completed_at?.toISOString() ?? null,
    completedBy: r.completed_by,
    createdAt: r.created_at.toISOString(),
    version: r.version,
  };
}
