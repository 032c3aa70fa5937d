import { Injectable } from '@nestjs/common';
import { DomainError, FieldError, ruleViolated } from 'src/platform/errors/domain-error';
import { QualityStandardService } from 'src/modules/catalogue/quality-standard.service';
import { RateService } from 'src/modules/catalogue/rate.service';
import { OrgUnitService } from 'src/modules/organisation/org-unit.service';
import { safeOere, serviceAmount } from 'src/modules/ledger/budget-result';
import { BudgetLineDto } from 'src/modules/ledger/budget.dto';

/** A line as stored: the DTO checked, a service line's rate and amount filled in from the catalogue. */
export interface LineInsert {
  line_no: number;
  kind: BudgetLineDto['kind'];
  standard_code: string | null;
  planned_units: number | null;
  rate_oere: number | null;
  rate_id: string | null;
  expense_category: string | null;
  municipality_id: string | null;
  amount_oere: number;
  description: string | null;
}

/** Which fields each kind of line gives; the others must be absent. */
const LINE_FIELDS: Record<BudgetLineDto['kind'], (keyof BudgetLineDto)[]> = {
  serviceIncome: ['standardCode', 'plannedUnits'],
  externalSale: ['municipalityId', 'amountOere'],
  expense: ['expenseCategory', 'amountOere'],
};
const KIND_FIELDS: (keyof BudgetLineDto)[] = [
  'standardCode',
  'plannedUnits',
  'municipalityId',
  'expenseCategory',
  'amountOere',
];

/** A catalogue or organisation lookup that may find nothing (null); any other failure propagates. */
const unlessNotFound = (err: unknown): null => {
  if (err instanceof DomainError && err.code === 'notFound') return null;
  throw err;
};

/** Budget lines checked against the organisation and priced from the catalogue. */
@Injectable()
export class BudgetLines {
  constructor(
    private readonly units: OrgUnitService,
    private readonly standards: QualityStandardService,
    private readonly rates: RateService,
  ) {}

  /**
   * Checks every line and fills service lines from the catalogue: the quality-standard version and the rate in
   * force on 1 January of the budget year (the rate the year's budget is built on; a rate set later in the year
   * does not change an approved budget). Shape errors are 400, rule errors 422, each naming its line.
   */
  async prepare(institutionId: string, year: number, lines: BudgetLineDto[]): Promise<LineInsert[]> {
    const shape: FieldError[] = [];
    lines.forEach((l, i) => {
      for (const field of KIND_FIELDS) {
        const wanted = LINE_FIELDS[l.kind].includes(field);
        if (wanted && l[field] === undefined)
          shape.push({ pointer: `/lines/${i}/${field}`, reason: `a ${l.kind} line gives ${field}` });
        if (!wanted && l[field] !== undefined)
          shape.push({ pointer: `/lines/${i}/${field}`, reason: `a ${l.kind} line has no ${field}` });
      }
    });
    if (shape.length)
      throw new DomainError(
        'validationFailed',
        `the lines are malformed: ${shape.map((e) => `${e.pointer}: ${e.reason}`).join('; ')}`,
        shape,
      );

    const institution = await this.units.getUnit(institutionId, 'institution').catch((err: unknown) => {
      if (err instanceof DomainError && err.code === 'notFound')
        throw ruleViolated('the institution does not exist', '/institutionId');
      throw err;
    });
    if (institution.external)
      throw ruleViolated(
        `${institution.name} belongs to ${institution.municipalityName}: its budget is kept there`,
        '/institutionId',
      );
    const area = institution.parentId
      ? await this.units.getUnit(institution.parentId, 'operatingArea').catch(unlessNotFound)
      : null;
    const jan1 = `${year}-01-01`;
    const errors: FieldError[] = [];
    const result: LineInsert[] = [];
    for (const [i, l] of lines.entries()) {
      const row: LineInsert = {
        line_no: i + 1,
        kind: l.kind,
        standard_code: l.standardCode ?? null,
        planned_units: l.plannedUnits ?? null,
        rate_oere: null,
        rate_id: null,
        expense_category: l.expenseCategory ?? null,
        municipality_id: l.municipalityId ?? null,
        amount_oere: l.amountOere ?? 0,
        description: l.description?.trim() || null,
      };
      const fail = (field: string, reason: string) =>
        errors.push({ pointer: `/lines/${i}/${field}`, reason });
      if (l.kind === 'serviceIncome') {
        const code = l.standardCode!;
        const standard = await this.standards.inForce(code, jan1).catch(unlessNotFound);
        if (!standard) {
          fail('standardCode', `${code} has no approved version in force on ${jan1}`);
          continue;
        }
        if (
          !institution.institutionType ||
          !standard.institutionTypes.includes(institution.institutionType)
        ) {
          fail(
            'standardCode',
            `${institution.name} (${institution.institutionType ?? 'no type'}) cannot deliver ${code}: it allows ${standard.institutionTypes.join(', ') || 'no institution types'}`,
          );
          continue;
        }
        if (area?.areaType && standard.areaTypes.length && !standard.areaTypes.includes(area.areaType)) {
          fail('standardCode', `${institution.name} belongs to ${area.name}, which does not deliver ${code}`);
          continue;
        }
        const rate = await this.rates.effective(code, institutionId, jan1).catch(unlessNotFound);
        if (!rate) {
          fail('standardCode', `the catalogue has no rate for ${code} at ${institution.name} on ${jan1}`);
          continue;
        }
        row.rate_oere = rate.priceOere;
        row.rate_id = rate.id;
        row.amount_oere = safeOere(
          serviceAmount(l.plannedUnits!, rate.priceOere),
          'the line amount',
          `/lines/${i}/plannedUnits`,
        );
      } else if (l.kind === 'externalSale') {
        const municipality = await this.units.getMunicipality(l.municipalityId!).catch(unlessNotFound);
        if (!municipality) fail('municipalityId', 'the municipality does not exist');
        else if (municipality.isOwn)
          fail(
            'municipalityId',
            'a sale to the own municipality is service income (an internal sale), not an external sale',
          );
      }
      result.push(row);
    }
    if (errors.length)
      throw new DomainError(
        'ruleViolated',
        `${errors.length === 1 ? 'a line breaks a rule' : `${errors.length} lines break rules`}: ${errors.map((e) => `${e.pointer}: ${e.reason}`).join('; ')}`,
        errors,
      );
    return result;
  }
}
