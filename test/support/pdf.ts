import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// pdf-parse (pdf.js) loads its worker with a dynamic import, which Jest's module sandbox refuses; it runs in a
// plain Node child process instead, reading the PDF on stdin.
const EXTRACT = `
const { PDFParse } = require('pdf-parse');
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c)).on('end', async () => {
  const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
  const text = await parser.getText();
  const info = await parser.getInfo();
  await parser.destroy();
  process.stdout.write(JSON.stringify({ text: text.text, pages: text.total, info: info.info }));
});`;

export interface Extracted {
  text: string;
  pages: number;
  info: Record<string, unknown>;
}

export function extractPdf(pdf: Buffer): Extracted {
  const out = execFileSync(process.execPath, ['-e', EXTRACT], {
    input: pdf,
    cwd: join(__dirname, '..', '..'),
  });
  const result = JSON.parse(out.toString('utf8')) as Extracted;
  // Lines that wrap are joined (and no-break spaces made plain), so phrases match whatever the line breaks.
  return { ...result, text: result.text.replace(/\s+/g, ' ') };
}

