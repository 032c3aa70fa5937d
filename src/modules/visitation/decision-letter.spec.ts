import { DecisionLetter, renderDecisionLetter } from 'src/modules/visitation/decision-letter';
import { danishNumber, scopePhrase } from 'src/modules/visitation/decision-letter-text';
import { Extracted, extractPdf as extract } from 'test/support/pdf';

function letter(overrides: Partial<DecisionLetter> = {}): DecisionLetter {
  return {
    municipalityName: 'Viborg Kommune',
    authorityName: 'Socialafdelingen',
    authorityAddress: { street: 'Prinsens Allé 5', postalCode: '8800', city: 'Viborg' },
    citizen: {
      name: 'Søren Ærø Åberg',
      pseudonym: null,
      maskedCpr: '010190-xxxx',
      address: { street: 'Skovgade 12, 2. th.', postalCode: '8800', city: 'Viborg' },
    },
    decisionId: '5f0c2c1e-8d7b-4c1a-9d8e-2a3b4c5d6e7f',
    kind: 'grant',
    decidedOn: '2026-11-23',
    notifiedOn: '2026-11-24',
    channel: 'digitalPost',
    service: {
      code: 'SEL85-BOSTOETTE',
      title: 'Socialpædagogisk støtte',
      legalBasisText: 'SEL § 85, stk. 1',
      versionNo: 3,
    },
    scope: 5,
    scopeUnit: 'hoursPerWeek',
    validFrom: '2026-12-01',
    validTo: null,
    institutionName: 'Bostøtten Handicap',
    previousGrant: null,
    servicePurpose: 'At du kan mestre din hverdag i egen bolig.',
    goals: [
      { description: 'Du handler selv ind en gang om ugen.', goalType: 'develop', targetLevel: 2 },
      { description: 'Du holder fast i dine aftaler med lægen.', goalType: 'maintain', targetLevel: 1 },
    ],
    reasoning:
      'Vi har lagt vægt på udredningen, hvor det fremgår, at du har brug for støtte til struktur i hverdagen.',
    leastInterventionJustification: 'Hjælp efter § 83 dækker ikke dit behov for pædagogisk støtte.',
    hearing: { heldOn: '2026-11-10', summary: 'Du var enig i oplysningerne.' },
    complaint: {
      appealable: true,
      guidance: 'Du kan klage over afgørelsen. Klagen sendes til Viborg Kommune, som genvurderer sagen.',
      deadline: '2026-12-22',
      receivedOn: '2026-11-24',
    },
    caseworkerName: 'Mette Østergård',
    ...overrides,
  };
}

async function textOf(pdf: Buffer | Promise<Buffer>): Promise<Extracted> {
  return extract(await pdf);
}

describe('renderDecisionLetter', () => {
  it('renders a PDF whose text is the Danish grant letter, æøå intact', async () => {
    const pdf = await renderDecisionLetter(letter());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { text, pages } = await textOf(pdf);
    expect(pages).toBe(1);
    expect(text).toContain('Afgørelse om bevilling af socialpædagogisk støtte');
    expect(text).toContain('Socialpædagogisk støtte (SEL85-BOSTOETTE), kvalitetsstandard version 3');
    expect(text).toContain(
      'Du er bevilget 5 timer pr. uge socialpædagogisk støtte efter SEL § 85, stk. 1, fra 1. december 2026 indtil videre, leveret af Bostøtten Handicap.',
    );
    expect(text).toContain('Søren Ærø Åberg');
    expect(text).toContain('CPR-nr.: 010190-xxxx');
    expect(text).toContain('Prinsens Allé 5');
    expect(text).toContain('Dato: 23. november 2026');
    expect(text).toContain('Du handler selv ind en gang om ugen. (måltype: udvikle; målniveau: 2)');
    expect(text).toContain('måltype: fastholde');
    for (const heading of [
      'Begrundelse',
      'Lovgrundlag',
      'Mindre indgribende hjælp',
      'Partshøring',
      'Klagevejledning',
    ])
      expect(text).toContain(heading);
    expect(text).toContain('Du er blevet partshørt den 10. november 2026.');
    expect(text).toContain('Fristen for at klage er 22. december 2026.');
    expect(text).toContain('Mette Østergård');
    expect(text).not.toContain('UDKAST');
    expect(text).not.toContain('Side 1 af');
  });

  it('embeds the DejaVu font and sets the metadata', async () => {
    const pdf = (await renderDecisionLetter(letter())).toString('latin1');
    expect(pdf).toContain('/FontFile2');
    expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans/);
    expect(pdf).not.toContain('Helvetica');
    expect(pdf).toContain('/Lang (da)');
    const { info } = extract(Buffer.from(pdf, 'latin1'));
    expect(info).toMatchObject({
      Title: 'Afgørelse om bevilling af socialpædagogisk støtte',
      Author: 'Viborg Kommune',
      Language: 'da',
      CreationDate: 'D:20261123120000Z',
    });
  });

  it('renders the same letter to the same bytes', async () => {
    const [a, b] = await Promise.all([renderDecisionLetter(letter()), renderDecisionLetter(letter())]);
    expect(a.equals(b)).toBe(true);
  });

  it('states that a non-appealable decision cannot be brought before Ankestyrelsen, without a deadline', async () => {
    const { text } = await textOf(
      await renderDecisionLetter(
        letter({ complaint: { appealable: false, guidance: null, deadline: null, receivedOn: null } }),
      ),
    );
    expect(text).toContain('Afgørelsen kan ikke indbringes for anden administrativ myndighed.');
    expect(text).toContain('Ankestyrelsen');
    expect(text).not.toContain('Fristen for at klage');
  });

  it('marks a draft UDKAST', async () => {
    const { text } = await textOf(await renderDecisionLetter(letter({ notifiedOn: null, channel: null })));
    expect(text).toContain('UDKAST');
  });

  it('flows long reasoning onto further pages with page numbers', async () => {
    const reasoning = Array.from(
      { length: 60 },
      (_, i) => `Afsnit ${i + 1}: ${'Vi har vurderet dit behov grundigt. '.repeat(8)}`,
    ).join('\n\n');
    const { text, pages } = await textOf(await renderDecisionLetter(letter({ reasoning })));
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain('Afsnit 60:');
    expect(text).toContain(`Side 1 af ${pages}`);
    expect(text).toContain(`Side ${pages} af ${pages}`);
    expect(text).toContain('Fristen for at klage er 22. december 2026.');
  });

  it('words refusals, changes and terminations', async () => {
    const refusal = await textOf(
      await renderDecisionLetter(letter({ kind: 'refusal', validFrom: null, institutionName: null })),
    );
    expect(refusal.text).toContain('Afslag på socialpædagogisk støtte');
    expect(refusal.text).toContain('Du får afslag på din ansøgning efter SEL § 85, stk. 1.');

    const previousGrant = { scope: 3, validFrom: '2025-01-01', validTo: '2026-11-30' };
    const change = await textOf(
      await renderDecisionLetter(letter({ kind: 'change', scope: 2.5, previousGrant })),
    );
    expect(change.text).toContain('Afgørelse om ændring af socialpædagogisk støtte');
    expect(change.text).toContain(
      'Du har hidtil været bevilget 3 timer pr. uge socialpædagogisk støtte fra 1. januar 2025 til og med 30. november 2026.',
    );
    expect(change.text).toContain(
      'Fremover er du bevilget 2,5 timer pr. uge socialpædagogisk støtte fra 1. december 2026',
    );

    const termination = await textOf(
      await renderDecisionLetter(letter({ kind: 'termination', validTo: '2027-01-31', previousGrant })),
    );
    expect(termination.text).toContain('Afgørelse om ophør af socialpædagogisk støtte');
    expect(termination.text).toContain('Sidste dag med hjælpen er 31. januar 2027.');
  });

  it('addresses an anonymous citizen by pseudonym', async () => {
    const citizen = {
      name: null,
      pseudonym: 'Borger A-17',
      maskedCpr: null,
      address: { street: null, postalCode: null, city: null },
    };
    const { text } = await textOf(await renderDecisionLetter(letter({ citizen })));
    expect(text).toContain('Borger A-17');
    expect(text).not.toContain('CPR-nr.');
  });
});

describe('scope phrases', () => {
  it.each([
    [5, 'hoursPerWeek', '5 timer pr. uge'],
    [1, 'hoursPerWeek', '1 time pr. uge'],
    [10, 'hoursPerMonth', '10 timer pr. måned'],
    [2, 'daysPerWeek', '2 dage pr. uge'],
    [14, 'days', '14 dage'],
    [1, 'place', 'en plads'],
    [null, 'course', 'et forløb'],
    [1, 'dwelling', 'en bolig'],
    [null, 'outreach', 'opsøgende kontakt'],
    [null, 'hoursPerWeek', null],
  ])('%s %s → %s', (scope, unit, expected) => {
    expect(scopePhrase(scope, unit)).toBe(expected);
  });

  it('writes numbers the Danish way', () => {
    expect(danishNumber(2.5)).toBe('2,5');
    expect(danishNumber(1234.5)).toBe('1.234,5');
  });
});
