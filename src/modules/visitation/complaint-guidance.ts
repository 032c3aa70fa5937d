import { danishLongDate } from 'src/modules/visitation/decision-letter-text';

export interface ComplaintGuidanceInput {
  law: string;
  municipalityName: string;
  authorityName: string;
  authorityAddress: string;
  deadline: string;
}

/**
 * Where a complaint goes after the authority's own re-assessment: Ankestyrelsen for serviceloven and
 * almenboligloven decisions; Styrelsen for Patientklager for treatment under sundhedsloven (§ 141).
 */
export function complaintBody(law: string): string {
  return law === 'SUL' ? 'Styrelsen for Patientklager' : 'Ankestyrelsen';
}

/**
 * Klagevejledning (FVL § 25, RSL §§ 66–67): where to complain, how, and by when. A complaint is lodged with
 * the municipality, which re-assesses within 4 weeks and forwards it if it upholds the decision.
 */
export function complaintGuidance(i: ComplaintGuidanceInput): string {
  const body = complaintBody(i.law);
  return [
    `Du kan klage over afgørelsen. Klagen skal sendes til ${i.municipalityName}, ${i.authorityName}, ${i.authorityAddress}, ` +
      `og ikke direkte til ${body}. Du kan klage skriftligt, digitalt eller mundtligt, og du behøver ikke at begrunde klagen.`,
    `Klagen skal være modtaget senest ${danishLongDate(i.deadline)}, som er 4 uger efter, at du har modtaget afgørelsen.`,
    `Vi vurderer afgørelsen igen inden for 4 uger. Giver vi dig ikke helt ret, sender vi klagen og sagens akter videre til ${body}.`,
  ].join('\n\n');
}
