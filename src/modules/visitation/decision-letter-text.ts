import type { DecisionKind, DecisionLetter, LetterAddress } from 'src/modules/visitation/decision-letter';

// The Danish wording of a decision letter, kept apart from the PDF layout so that it can be read and tested.

const LONG_DATE = new Intl.DateTimeFormat('da-DK', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const NUMBER = new Intl.NumberFormat('da-DK', { maximumFractionDigits: 2 });

/** 2026-12-01 → "1. december 2026", with no-break spaces so that a date never wraps across lines. */
export function danishLongDate(date: string): string {
  return LONG_DATE.format(new Date(`${date}T00:00:00Z`)).replace(/ /g, '\u00a0');
}

/** 2.5 → "2,5"; 1234.5 → "1.234,5". */
export function danishNumber(value: number): string {
  return NUMBER.format(value);
}

const COUNTED_UNITS: Record<string, [singular: string, plural: string]> = {
  hoursPerWeek: ['time pr. uge', 'timer pr. uge'],
  hoursPerMonth: ['time pr. måned', 'timer pr. måned'],
  daysPerWeek: ['dag pr. uge', 'dage pr. uge'],
  days: ['dag', 'dage'],
};
const WHOLE_UNITS: Record<string, string> = {
  place: 'en plads',
  course: 'et forløb',
  dwelling: 'en bolig',
  outreach: 'opsøgende kontakt',
};

/** "5 timer pr. uge", "1 dag", "en plads"; null when the decision carries no scope. */
export function scopePhrase(scope: number | null, unit: string | null): string | null {
  if (unit && unit in WHOLE_UNITS) return WHOLE_UNITS[unit];
  if (scope === null || !unit || !(unit in COUNTED_UNITS)) return null;
  const [singular, plural] = COUNTED_UNITS[unit];
  return `${danishNumber(scope)} ${scope === 1 ? singular : plural}`;
}

/** "5 timer pr. uge socialpædagogisk støtte", "midlertidigt botilbud i form af en plads". */
function amountOf(service: string, scope: number | null, unit: string | null): string {
  const phrase = scopePhrase(scope, unit);
  if (!phrase) return service;
  return unit && unit in WHOLE_UNITS ? `${service} i form af ${phrase}` : `${phrase} ${service}`;
}

/** A service title inside a sentence: "Socialpædagogisk støtte" → "socialpædagogisk støtte"; "BPA" stays. */
export function inSentence(title: string): string {
  const [first, second] = title;
  return second && second === second.toLowerCase() ? first.toLowerCase() + title.slice(1) : title;
}

export function heading(kind: DecisionKind, serviceTitle: string): string {
  const service = inSentence(serviceTitle);
  switch (kind) {
    case 'grant':
      return `Afgørelse om bevilling af ${service}`;
    case 'refusal':
      return `Afslag på ${service}`;
    case 'change':
      return `Afgørelse om ændring af ${service}`;
    case 'termination':
      return `Afgørelse om ophør af ${service}`;
  }
}

function period(validFrom: string | null, validTo: string | null): string {
  if (!validFrom) return validTo ? ` til og med ${danishLongDate(validTo)}` : '';
  return ` fra ${danishLongDate(validFrom)} ${validTo ? `til og med ${danishLongDate(validTo)}` : 'indtil videre'}`;
}

/** A legal basis ends in a number ("stk. 1"): a comma keeps it apart from the period that follows. */
const afterBasis = (text: string) => (text ? `,${text}` : '');

/** The paragraphs that state the decision itself. */
export function decisionParagraphs(letter: DecisionLetter): string[] {
  const service = inSentence(letter.service.title);
  const basis = letter.service.legalBasisText;
  const amount = amountOf(service, letter.scope, letter.scopeUnit);
  const provider = letter.institutionName ? `, leveret af ${letter.institutionName}` : '';
  const previous = letter.previousGrant;
  const previousText = previous
    ? `Du har hidtil været bevilget ${amountOf(service, previous.scope, letter.scopeUnit)}${period(previous.validFrom, previous.validTo)}.`
    : null;
  switch (letter.kind) {
    case 'grant':
      return [
        `Du er bevilget ${amount} efter ${basis}${afterBasis(period(letter.validFrom, letter.validTo))}${provider}.`,
      ];
    case 'refusal':
      return [`Du har søgt om ${amount}. Du får afslag på din ansøgning efter ${basis}.`];
    case 'change':
      return [
        `Vi har ændret din bevilling af ${service} efter ${basis}.`,
        ...(previousText ? [previousText] : []),
        `Fremover er du bevilget ${amount}${period(letter.validFrom, letter.validTo)}${provider}.`,
      ];
    case 'termination': {
      const lastDay = letter.validTo ?? previous?.validTo ?? null;
      return [
        `Din bevilling af ${service} efter ${basis} ophører.${lastDay ? ` Sidste dag med hjælpen er ${danishLongDate(lastDay)}.` : ''}`,
        ...(previousText ? [previousText] : []),
      ];
    }
  }
}

const GOAL_TYPES: Record<DecisionLetter['goals'][number]['goalType'], string> = {
  develop: 'udvikle',
  maintain: 'fastholde',
  limitLoss: 'begrænse tab af funktionsevne',
};

export function goalLine(goal: DecisionLetter['goals'][number]): string {
  return `${goal.description} (måltype: ${GOAL_TYPES[goal.goalType]}; målniveau: ${danishNumber(goal.targetLevel)})`;
}

export function hearingText(hearing: DecisionLetter['hearing']): string | null {
  if (!hearing) return null;
  if ('heldOn' in hearing)
    return `Du er blevet partshørt den ${danishLongDate(hearing.heldOn)}. ${hearing.summary}`;
  return `Du er ikke blevet partshørt før afgørelsen. ${hearing.exemptionReason}`;
}

/** The klagevejledning paragraphs (FVL § 25, RSL §§ 66-67). */
export function complaintParagraphs(complaint: DecisionLetter['complaint']): string[] {
  if (!complaint.appealable)
    return [
      'Afgørelsen kan ikke indbringes for anden administrativ myndighed. Du kan derfor ikke klage over afgørelsen til Ankestyrelsen.',
    ];
  const paragraphs = complaint.guidance ? [complaint.guidance] : [];
  if (complaint.deadline) {
    const received = complaint.receivedOn
      ? ` Afgørelsen anses for modtaget den ${danishLongDate(complaint.receivedOn)}, og du har 4 uger fra modtagelsen til at klage.`
      : '';
    paragraphs.push(`Fristen for at klage er ${danishLongDate(complaint.deadline)}.${received}`);
  } else {
    paragraphs.push('Du har 4 uger fra du har modtaget afgørelsen til at klage.');
  }
  return paragraphs;
}

export function addressLines(address: LetterAddress): string[] {
  const cityLine = [address.postalCode, address.city].filter(Boolean).join(' ');
  return [address.street, cityLine].filter((line): line is string => !!line);
}
