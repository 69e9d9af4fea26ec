import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ToolFailedError, type BarcodePort, type OcrPort, type OcrResult, type PdfInspection } from './scan.ports';

/** Bounds how many external tool runs (OCR is CPU-heavy) happen at once. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}

interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** execFile: no shell, arguments as an array, a time limit, bounded output. Never throws for a non-zero exit. */
function run(tool: string, args: string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      tool,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 32 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new ToolFailedError(tool, 'not installed (run scripts/setup-ocr.sh)'));
          return;
        }
        if (error && error.killed) {
          reject(new ToolFailedError(tool, `timed out after ${timeoutMs} ms`));
          return;
        }
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ stdout, stderr, code });
      },
    );
  });
}

const firstLine = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-1)[0] ?? '';

/**
 * The Debian tools behind the ports: poppler (`pdfinfo`, `pdftotext`, `pdftoppm`), `ocrmypdf` with tesseract
 * (PDF/A-2b output with a text layer) and `zbarimg`.
 */
export class DebianDocumentTools implements OcrPort, BarcodePort {
  private readonly ocrSlots: Semaphore;
  private readonly toolSlots = new Semaphore(4);

  constructor(private readonly options: { languages: string; concurrency: number; timeoutMs: number; textLayerMinChars: number }) {
    this.ocrSlots = new Semaphore(options.concurrency);
  }

  private tool(name: string, args: string[]): Promise<RunResult> {
    return this.toolSlots.run(() => run(name, args, this.options.timeoutMs));
  }

  async inspectPdf(path: string): Promise<PdfInspection> {
    const info = await this.tool('pdfinfo', [path]);
    if (info.code !== 0) {
      const message = firstLine(info.stderr);
      if (/password|encrypt/i.test(message)) return { problem: 'encrypted', detail: 'the PDF is password-protected' };
      return { problem: 'damaged', detail: `the PDF cannot be read (${message.slice(0, 200)})` };
    }
    if (/^Encrypted:\s+yes/m.test(info.stdout)) return { problem: 'encrypted', detail: 'the PDF is encrypted' };
    const pages = /^Pages:\s+(\d+)/m.exec(info.stdout)?.[1];
    if (!pages || Number(pages) < 1) return { problem: 'damaged', detail: 'the PDF has no pages' };
    return { pageCount: Number(pages) };
  }

  private async text(pdf: string): Promise<string> {
    const r = await this.tool('pdftotext', ['-enc', 'UTF-8', '-layout', pdf, '-']);
    if (r.code !== 0) throw new ToolFailedError('pdftotext', firstLine(r.stderr));
    return r.stdout;
  }

  private async pages(pdf: string): Promise<number> {
    const inspection = await this.inspectPdf(pdf);
    if (inspection.problem) throw new ToolFailedError('pdfinfo', inspection.detail ?? inspection.problem);
    return inspection.pageCount ?? 1;
  }

  async recognise(path: string, mediaType: 'application/pdf' | 'image/tiff', workDir: string, resolutionDpi: number): Promise<OcrResult> {
    if (mediaType === 'application/pdf') {
      const own = await this.text(path);
      if (own.replace(/\s+/g, '').length >= this.options.textLayerMinChars) {
        return { text: own, textSource: 'text-layer', pageCount: await this.pages(path) };
      }
    }
    const out = join(workDir, 'ocr-pdfa.pdf');
    const args = [
      '-l',
      this.options.languages,
      '--output-type',
      'pdfa-2',
      '--jobs',
      '1',
      '--quiet',
      ...(mediaType === 'image/tiff' ? ['--image-dpi', String(resolutionDpi)] : ['--force-ocr']),
      path,
      out,
    ];
    const r = await this.ocrSlots.run(() => run('ocrmypdf', args, this.options.timeoutMs));
    if (r.code !== 0) throw new ToolFailedError('ocrmypdf', `exit ${r.code}: ${firstLine(r.stderr).slice(0, 300)}`);
    return { text: await this.text(out), textSource: 'ocr', pdfaPath: out, pageCount: await this.pages(out) };
  }

  async readFirstPage(pdfPath: string, workDir: string): Promise<string[]> {
    const prefix = join(workDir, 'barcode-page');
    const raster = await this.tool('pdftoppm', ['-r', '200', '-gray', '-png', '-f', '1', '-l', '1', pdfPath, prefix]);
    if (raster.code !== 0) throw new ToolFailedError('pdftoppm', firstLine(raster.stderr));
    const image = (await readdir(workDir)).find((f) => f.startsWith('barcode-page') && f.endsWith('.png'));
    if (!image) return [];
    // zbarimg exits 4 when it finds no barcode.
    const r = await this.tool('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Sqrcode.enable', '-Scode128.enable', join(workDir, image)]);
    if (r.code === 4) return [];
    if (r.code !== 0) throw new ToolFailedError('zbarimg', firstLine(r.stderr));
    return r.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  }
}
