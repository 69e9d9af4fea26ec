import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Port: turns a PDF or an image into a PDF/A rendition. */
export interface PdfaRenderer {
  render(bytes: Buffer, mediaType: string): Promise<{ bytes: Buffer; formatName: string }>;
}

export const PDFA_RENDERER = Symbol('PDFA_RENDERER');

/**
 * ocrmypdf (as intake's scan channel uses it): PDF/A-2b output; pages that already carry text are kept as they are
 * (`--skip-text`), image-only pages get a text layer (tesseract).
 */
export class OcrmypdfRenderer implements PdfaRenderer {
  constructor(private readonly options: { languages: string; timeoutMs: number }) {}

  async render(bytes: Buffer, mediaType: string): Promise<{ bytes: Buffer; formatName: string }> {
    const dir = await mkdtemp(join(tmpdir(), 'efile-pdfa-'));
    try {
      const input = join(dir, mediaType === 'application/pdf' ? 'in.pdf' : 'in.img');
      const output = join(dir, 'out.pdf');
      await writeFile(input, bytes);
      const args = ['-l', this.options.languages, '--output-type', 'pdfa-2', '--skip-text', '--jobs', '1', '--quiet'];
      if (mediaType !== 'application/pdf') args.push('--image-dpi', '300');
      await new Promise<void>((resolve, reject) => {
        execFile('ocrmypdf', [...args, input, output], { timeout: this.options.timeoutMs }, (error, _stdout, stderr) => {
          if (error)
            reject(
              new Error(
                `ocrmypdf failed: ${String(stderr || error.message)
                  .split('\n')[0]!
                  .slice(0, 300)}`,
              ),
            );
          else resolve();
        });
      });
      return { bytes: await readFile(output), formatName: 'PDF/A-2b' };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
