import { contentErrors, toView } from 'src/modules/visitation/assessment-content';
import { UpdateAssessmentDto } from 'src/modules/visitation/assessment.dto';

const dto = (d: Partial<UpdateAssessmentDto>) => d as UpdateAssessmentDto;
const pointers = (d: Partial<UpdateAssessmentDto>, unknown: string[] = []) => contentErrors(dto(d), new Set(unknown)).map((e) => e.pointer);

describe('assessment content rules', () => {
  it('accepts scored and not-assessed activity themes and described function and environment sections', () => {
    expect(
      pointers({
        sections: [
          { section: 'selfCare', level: 0 },
          { section: 'communityLife', level: null },
          { section: 'mentalFunctions', description: 'Angst', level: null },
          { section: 'housingArea', description: 'Roligt' },
        ],
        supportNeeds: [{ standardCode: 'SEL-85', level: 'light' }],
      }),
    ).toEqual([]);
  });

  it('names every problem: an unscored theme, a scored or undescribed function section, repeats, unknown standards', () => {
    expect(
      pointers(
        {
          assessedOn: '2026-02-30',
          sections: [
            { section: 'mobility', description: 'no level given' },
            { section: 'network', level: 0, description: 'x' },
            { section: 'socialConditions', description: ' ' },
            { section: 'mobility', level: 1 },
          ],
          supportNeeds: [
            { standardCode: 'SEL-999', level: 'light' },
            { standardCode: 'SEL-85', level: 'light' },
            { standardCode: 'SEL-85', level: 'high' },
          ],
        },
        ['SEL-999'],
      ),
    ).toEqual(['/assessedOn', '/sections/0/level', '/sections/1/level', '/sections/2/description', '/sections/3/section', '/supportNeeds/0/standardCode', '/supportNeeds/2/standardCode']);
  });

  it('shows all thirteen sections in order; only a theme row without a level is "not assessed"', () => {
    const v = toView(
      {
        id: 'a',
        citizen_id: 'c',
        case_id: 'k',
        status: 'draft',
        assessed_on: null,
        background: null,
        citizen_wishes: null,
        professional_assessment: null,
        caseworker_id: 'u',
        completed_at: null,
        completed_by: null,
        created_at: new Date('2026-01-01T00:00:00Z'),
        version: 1,
      },
      [
        { assessment_id: 'a', section: 'relations', level: null, description: null, sources: [] },
        { assessment_id: 'a', section: 'network', level: null, description: 'Søster', sources: ['citizen'] },
      ],
      [],
    );
    expect([...v.sections.activityThemes, ...v.sections.functions, ...v.sections.environment].map((s) => [s.section, s.notAssessed])).toEqual([
      ['selfCare', false],
      ['practicalTasks', false],
      ['mobility', false],
      ['communication', false],
      ['relations', true],
      ['communityLife', false],
      ['mentalFunctions', false],
      ['physicalFunctions', false],
      ['healthConditions', false],
      ['socialConditions', false],
      ['network', false],
      ['attitudes', false],
      ['housingArea', false],
    ]);
  });
});
