import { ScopeUnit } from 'src/modules/catalogue/catalogue.constants';
import { VersionView } from 'src/modules/catalogue/catalogue.dto';

const UNIT_DA: Record<ScopeUnit, string> = {
  hoursPerWeek: 'timer pr. uge',
  hoursPerMonth: 'timer pr. måned',
  daysPerWeek: 'dage pr. uge',
  days: 'døgn',
  place: 'plads (døgn)',
  course: 'forløb',
  dwelling: 'bolig',
  outreach: 'opsøgende kontakt',
};

const INSTITUTION_DA: Record<string, string> = {
  housingSupport: 'bostøtte',
  temporaryHousing: 'midlertidigt botilbud',
  longTermHousing: 'længerevarende botilbud',
  housingLikeDwelling: 'botilbudslignende bolig',
  womensShelter: 'krisecenter',
  homelessShelter: 'forsorgshjem/herberg',
  substanceAbuseTreatment: 'rusmiddelcenter',
  activityCentre: 'aktivitets- og samværstilbud',
  shelteredEmployment: 'beskyttet beskæftigelse',
  respiteCare: 'aflastning',
  contactPerson: 'støtte- og kontaktperson',
};

const AREA_DA: Record<string, string> = { disability: 'Handicap', psychiatry: 'Psykiatri', sociallyVulnerable: 'Udsatte' };

const fmtDate = (d: string) => {
  const [y, m, day] = d.split('-');
  return `${Number(day)}.${Number(m)}.${y}`;
};
const fmtNumber = (n: number) => n.toLocaleString('da-DK', { maximumFractionDigits: 2 });

interface Section {
  heading: string;
  paragraphs: string[];
}

/** The content of the published document, shared by the HTML and Markdown renderings. */
function sections(v: VersionView): Section[] {
  const scope: string[] = [];
  const unit = UNIT_DA[v.scopeUnit];
  if (v.scopeMin !== null && v.scopeMax !== null) scope.push(`Der kan bevilges fra ${fmtNumber(v.scopeMin)} til ${fmtNumber(v.scopeMax)} ${unit}.`);
  else if (v.scopeMax !== null) scope.push(`Der kan bevilges op til ${fmtNumber(v.scopeMax)} ${unit}.`);
  else scope.push(`Omfanget opgøres i ${unit} og fastsættes efter en konkret, individuel vurdering.`);
  if (v.maxDurationMonths) scope.push(`Indsatsen gives i højst ${v.maxDurationMonths} måneder.`);
  const access: string[] = [];
  if (v.selfReferral) access.push('Du kan selv henvende dig til tilbuddet. Tilbuddets leder træffer afgørelse om optagelse.');
  else access.push('Du skal søge om indsatsen hos Socialafdelingen, som vurderer dit behov (visitation).');
  if (v.anonymousAllowed) access.push('Du kan være anonym.');
  if (v.panelApprovalRequired) access.push('Afgørelsen træffes efter indstilling til kommunens visitationsudvalg.');
  if (v.leastInterventionRule)
    access.push('Kommunen skal først vurdere, om mindre indgribende hjælp i dit eget hjem kan dække dit behov (mindsteindgrebsprincippet).');
  if (v.belowStatePensionAgeOnly) access.push('Indsatsen kan kun gives til borgere under folkepensionsalderen.');
  const deadlines = [`Kommunen træffer afgørelse senest ${v.caseworkDeadlineDays} dage efter, at du har henvendt dig.`];
  if (v.startDeadlineDays) deadlines.push(`Indsatsen skal sættes i gang senest ${v.startDeadlineDays} dage efter din henvendelse.`);
  if (v.followUpIntervalMonths) deadlines.push(`Kommunen følger op på indsatsen mindst hver ${v.followUpIntervalMonths}. måned.`);
  const providers = [
    `Indsatsen leveres af: ${v.institutionTypes.map((t) => INSTITUTION_DA[t] ?? t).join(', ') || 'den leverandør kommunen vælger'}${
      v.areaTypes.length ? ` (driftsområde: ${v.areaTypes.map((a) => AREA_DA[a] ?? a).join(', ')})` : ''
    }.`,
  ];
  const complaint = v.appealable
    ? [
        'Du kan klage over afgørelsen til Ankestyrelsen. Klagen sendes til kommunen, som genvurderer sagen inden 4 uger. ' +
          'Fastholder kommunen afgørelsen, sendes klagen videre til Ankestyrelsen.',
        'Klagefristen er 4 uger fra den dag, du har modtaget afgørelsen. Du kan klage skriftligt eller mundtligt.',
      ]
    : [`Afgørelser efter ${v.legalBasis.text} kan ikke påklages til anden administrativ myndighed.`];
  const approval = v.approval
    ? [
        `Godkendt af ${v.approval.committee} den ${fmtDate(v.approval.approvedOn)} (${v.approval.reference}).` +
          (v.validFrom ? ` Gældende fra ${fmtDate(v.validFrom)}${v.validTo ? ` til ${fmtDate(v.validTo)}` : ''}.` : ''),
      ]
    : ['Udkast — ikke godkendt.'];
  return [
    { heading: 'Lovgrundlag', paragraphs: [v.legalBasis.text] },
    { heading: 'Hvem kan få indsatsen', paragraphs: [v.targetGroup, ...access] },
    { heading: 'Formål', paragraphs: [v.purpose] },
    { heading: 'Indhold', paragraphs: [v.content] },
    { heading: 'Omfang og varighed', paragraphs: scope },
    { heading: 'Sagsbehandling og opfølgning', paragraphs: deadlines },
    { heading: 'Leverandør', paragraphs: providers },
    { heading: 'Klagevejledning', paragraphs: complaint },
    { heading: 'Godkendelse', paragraphs: approval },
  ];
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A self-contained HTML page for the municipality's website (no scripts; text is escaped). */
export function renderHtml(v: VersionView): string {
  const body = sections(v)
    .map((s) => `  <section>\n    <h2>${escapeHtml(s.heading)}</h2>\n${s.paragraphs.map((p) => `    <p>${escapeHtml(p)}</p>`).join('\n')}\n  </section>`)
    .join('\n');
  return `<!doctype html>
<html lang="da">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Kvalitetsstandard: ${escapeHtml(v.title)}</title>
  <style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}h1{font-size:1.6rem}h2{font-size:1.15rem;margin-top:1.6rem}.meta{color:#555}</style>
</head>
<body>
  <h1>Kvalitetsstandard: ${escapeHtml(v.title)}</h1>
  <p class="meta">${escapeHtml(v.legalBasis.text)} · version ${v.versionNo}</p>
${body}
</body>
</html>
`;
}

const escapeMarkdown = (s: string) => s.replace(/([\\`*_[\]#<>|])/g, '\\$1');

export function renderMarkdown(v: VersionView): string {
  const parts = [`# Kvalitetsstandard: ${escapeMarkdown(v.title)}`, '', `*${escapeMarkdown(v.legalBasis.text)} · version ${v.versionNo}*`];
  for (const s of sections(v)) parts.push('', `## ${s.heading}`, '', ...s.paragraphs.flatMap((p, i) => (i ? ['', escapeMarkdown(p)] : [escapeMarkdown(p)])));
  return parts.join('\n') + '\n';
}
