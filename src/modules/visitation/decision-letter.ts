import PDFDocument from 'pdfkit';
import {
  addressLines,
  complaintParagraphs,
  danishLongDate,
  decisionParagraphs,
  goalLine,
  heading,
  hearingText,
} from 'src/modules/visitation/decision-letter-text';

export type DecisionKind = 'grant' | 'refusal' | 'change' | 'termination';
export interface LetterAddress {
  street: string | null;
  postalCode: string | null;
  city: string | null;
}
export interface DecisionLetter {
  municipalityName: string;
  authorityName: string;
  authorityAddress: LetterAddress;
  citizen: {
    name: string | null;
    pseudonym: string | null;
    maskedCpr: string | null;
    address: LetterAddress;
  };
  decisionId: string;
  kind: DecisionKind;
  decidedOn: string;
  /** null while a draft: the PDF then carries a visible "UDKAST" marking. */
  notifiedOn: string | null;
  channel: 'digitalPost' | 'letter' | 'handedOver' | null;
  service: { code: string; title: string; legalBasisText: string; versionNo: number };
  scope: number | null;
  /** hoursPerWeek, hoursPerMonth, daysPerWeek, days, place, course, dwelling or outreach. */
  scopeUnit: string | null;
  validFrom: string | null;
  /** null = until further notice (indtil videre). */
  validTo: string | null;
  institutionName: string | null;
  previousGrant: { scope: number | null; validFrom: string; validTo: string | null } | null;
  servicePurpose: string | null;
  goals: { description: string; goalType: 'develop' | 'maintain' | 'limitLoss'; targetLevel: number }[];
  reasoning: string;
  leastInterventionJustification: string | null;
  hearing: { heldOn: string; summary: string } | { exemptionReason: string } | null;
  complaint: {
    appealable: boolean;
    guidance: string | null;
    deadline: string | null;
    receivedOn: string | null;
  };
  caseworkerName: string | null;
}

// DejaVu Sans covers æøå and is embedded (subset) in the PDF, so the letter does not depend on the viewer's fonts.
const FONT_REGULAR = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

const MARGIN = { top: 56, bottom: 72, left: 62, right: 62 };
const BODY_SIZE = 10.5;
const SENDER_X = 370;

type Doc = PDFKit.PDFDocument;

/** Renders the afgørelse a citizen receives as an A4 PDF (Danish text, embedded font). */
export function renderDecisionLetter(letter: DecisionLetter): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const dated = new Date(`${letter.decidedOn}T12:00:00Z`);
    const doc = new PDFDocument({
      size: 'A4',
      margins: MARGIN,
      bufferPages: true,
      font: FONT_REGULAR,
      lang: 'da',
      displayTitle: true,
      info: {
        Title: heading(letter.kind, letter.service.title),
        Author: letter.municipalityName,
        Subject: `Afgørelse ${letter.decisionId}`,
        Creator: `${letter.municipalityName}, ${letter.authorityName}`,
        // Fixed from the decision date, so the same letter renders the same metadata every time.
        CreationDate: dated,
        ModDate: dated,
      },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      doc.registerFont('Body', FONT_REGULAR);
      doc.registerFont('Bold', FONT_BOLD);
      writeLetter(doc, letter);
      finishPages(doc, letter);
      doc.end();
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

function writeLetter(doc: Doc, letter: DecisionLetter): void {
  writeHeader(doc, letter);
  doc.font('Bold').fontSize(15).text(heading(letter.kind, letter.service.title), MARGIN.left, doc.y);
  if (!letter.notifiedOn) {
    doc.moveDown(0.3).font('Bold').fontSize(BODY_SIZE).fillColor('#b00020');
    doc.text('UDKAST – afgørelsen er ikke sendt til borgeren.').fillColor('black');
  }
  doc.moveDown(0.8);
  paragraphs(doc, decisionParagraphs(letter));

  if (letter.servicePurpose) section(doc, 'Formål med indsatsen', [letter.servicePurpose]);
  if (letter.goals.length) {
    sectionHeading(doc, 'Mål for indsatsen');
    doc
      .font('Body')
      .fontSize(BODY_SIZE)
      .list(letter.goals.map(goalLine), { bulletIndent: 6, textIndent: 14 });
  }
  section(doc, 'Begrundelse', [letter.reasoning]);
  section(doc, 'Lovgrundlag', [
    `Afgørelsen er truffet efter ${letter.service.legalBasisText}.`,
    `Ydelse: ${letter.service.title} (${letter.service.code}), kvalitetsstandard version ${letter.service.versionNo}.`,
  ]);
  if (letter.leastInterventionJustification)
    section(doc, 'Mindre indgribende hjælp', [letter.leastInterventionJustification]);
  const hearing = hearingText(letter.hearing);
  if (hearing) section(doc, 'Partshøring', [hearing]);
  section(doc, 'Klagevejledning', complaintParagraphs(letter.complaint));
  writeSignature(doc, letter);
}

function writeHeader(doc: Doc, letter: DecisionLetter): void {
  const top = MARGIN.top;
  doc.font('Bold').fontSize(16).text(letter.municipalityName, MARGIN.left, top, { width: 280 });
  doc.font('Body').fontSize(BODY_SIZE).text(letter.authorityName, { width: 280 });

  const senderWidth = doc.page.width - MARGIN.right - SENDER_X;
  doc.font('Bold').fontSize(9).text(letter.municipalityName, SENDER_X, top, { width: senderWidth });
  doc.font('Body').fontSize(9).text(letter.authorityName, { width: senderWidth });
  for (const line of addressLines(letter.authorityAddress)) doc.text(line, { width: senderWidth });
  doc.moveDown(0.8).text(`Dato: ${danishLongDate(letter.decidedOn)}`, { width: senderWidth });
  doc.fontSize(8).text(`Afgørelse: ${letter.decisionId}`, { width: senderWidth });
  const senderBottom = doc.y;

  const citizen = letter.citizen;
  doc.font('Body').fontSize(BODY_SIZE);
  doc.text(citizen.name ?? citizen.pseudonym ?? 'Borgeren', MARGIN.left, top + 80, { width: 280 });
  for (const line of addressLines(citizen.address)) doc.text(line, { width: 280 });
  if (citizen.maskedCpr) doc.moveDown(0.4).text(`CPR-nr.: ${citizen.maskedCpr}`, { width: 280 });

  doc.y = Math.max(doc.y, senderBottom) + 36;
}

function sectionHeading(doc: Doc, title: string): void {
  // Keep a heading together with at least three lines of its text.
  if (doc.y + 70 > doc.page.height - MARGIN.bottom) doc.addPage();
  doc.moveDown(0.8).font('Bold').fontSize(12).text(title, MARGIN.left);
  doc.moveDown(0.3);
}

function section(doc: Doc, title: string, texts: string[]): void {
  sectionHeading(doc, title);
  paragraphs(doc, texts);
}

function paragraphs(doc: Doc, texts: string[]): void {
  doc.font('Body').fontSize(BODY_SIZE);
  for (const [i, text] of texts.entries()) {
    if (i > 0) doc.moveDown(0.5);
    // Blank lines in free text (begrundelse) are paragraph breaks; pdfkit wraps and flows onto new pages.
    doc.text(text.trim(), MARGIN.left, doc.y, { align: 'left', lineGap: 2 });
  }
}

function writeSignature(doc: Doc, letter: DecisionLetter): void {
  if (doc.y + 80 > doc.page.height - MARGIN.bottom) doc.addPage();
  doc.moveDown(1.5).font('Body').fontSize(BODY_SIZE).text('Med venlig hilsen', MARGIN.left);
  doc.moveDown(1.2);
  if (letter.caseworkerName) doc.font('Bold').text(letter.caseworkerName);
  doc.font('Body').text(`${letter.authorityName}, ${letter.municipalityName}`);
}

/** Page numbers (when there is more than one page) and the draft watermark, drawn on every buffered page. */
function finishPages(doc: Doc, letter: DecisionLetter): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would otherwise make pdfkit start a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    if (count > 1) {
      doc.font('Body').fontSize(8).fillColor('#555555');
      doc.text(`Side ${i - start + 1} af ${count}`, MARGIN.left, doc.page.height - 44, {
        width: doc.page.width - MARGIN.left - MARGIN.right,
        align: 'right',
        lineBreak: false,
      });
    }
    if (!letter.notifiedOn) {
      doc.save().rotate(-40, { origin: [doc.page.width / 2, doc.page.height / 2] });
      doc.font('Bold').fontSize(96).fillColor('#cc0000').fillOpacity(0.15);
      doc.text('UDKAST', 0, doc.page.height / 2 - 48, {
        width: doc.page.width,
        align: 'center',
        lineBreak: false,
      });
      doc.restore();
    }
    doc.fillColor('black').fillOpacity(1);
    doc.page.margins.bottom = bottom;
  }
}
