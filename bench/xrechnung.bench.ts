/**
 * XRechnung validation benchmark: the full engine (XSD + EN 16931 + XRechnung Schematron, worker pool) against
 * XSD-only parsing (libxml2-wasm in this thread) on the 50 public KoSIT test-suite invoices, in the same run.
 *
 *   npm run build:rules && node scripts/run-ts.js bench/xrechnung.bench.ts
 *
 * Knobs: BENCH_ROUNDS (default 3), BENCH_WORKERS (default 2).
 */
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { XRechnungValidator } from '@poststelle/xrechnung';

const ROOT = resolve(__dirname, '..');
const VALID = resolve(ROOT, '../shared/testdata/xrechnung/valid');
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const workers = Number(process.env.BENCH_WORKERS ?? 2);

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (n: number): string => `${n.toFixed(1)} ms`;

// eslint-disable-next-line @typescript-eslint/no-implied-eval
const esmImport = new Function('s', 'return import(s)') as <T>(s: string) => Promise<T>;

async function main(): Promise<void> {
  const docs = readdirSync(VALID)
    .filter((f) => f.endsWith('.xml'))
    .map((f) => ({ name: f, body: readFileSync(join(VALID, f)) }));

  const validator = await XRechnungValidator.start({ workers });
  for (const d of docs.slice(0, 4)) await validator.validate(d.body); // warm-up
  const latencies: number[] = [];
  const start = performance.now();
  // As many documents in flight as there are workers: latency is the time to validate one, not time in a queue.
  const queue = Array.from({ length: rounds }, () => docs).flat();
  let next = 0;
  const runner = async (): Promise<void> => {
    while (next < queue.length) {
      const d = queue[next++]!;
      const t = performance.now();
      const report = await validator.validate(d.body);
      latencies.push(performance.now() - t);
      if (!report.accepted) throw new Error(`${d.name} rejected`);
    }
  };
  await Promise.all(Array.from({ length: workers }, runner));
  const fullSeconds = (performance.now() - start) / 1000;
  const rulesDir = join(ROOT, '.data', 'xrechnung-rules');
  await validator.close();

  type Lib = typeof import('libxml2-wasm');
  const libxml2 = await esmImport<Lib>('libxml2-wasm');
  (await esmImport<{ xmlRegisterFsInputProviders(): boolean }>('libxml2-wasm/lib/nodejs.mjs')).xmlRegisterFsInputProviders();
  const bundle = readdirSync(rulesDir)[0] ?? '';
  const compile = (file: string): InstanceType<Lib['XsdValidator']> => {
    const url = join(rulesDir, bundle, file);
    return libxml2.XsdValidator.fromDoc(libxml2.XmlDocument.fromString(readFileSync(url, 'utf8'), { url }));
  };
  const ubl = compile('xsd/ubl21/maindoc/UBL-Invoice-2.1.xsd');
  const cii = compile('xsd/d16b/data/standard/CrossIndustryInvoice_100pD16B.xsd');
  const xsdLatencies: number[] = [];
  const xsdStart = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const d of docs) {
      const t = performance.now();
      const doc = libxml2.XmlDocument.fromBuffer(d.body);
      (d.name.endsWith('_ubl.xml') ? ubl : cii).validate(doc);
      doc.dispose();
      xsdLatencies.push(performance.now() - t);
    }
  }
  const xsdSeconds = (performance.now() - xsdStart) / 1000;

  latencies.sort((a, b) => a - b);
  xsdLatencies.sort((a, b) => a - b);
  const n = docs.length * rounds;
  console.log(
    `\nXRechnung validation, ${docs.length} KoSIT test-suite invoices × ${rounds} rounds, ${os.cpus().length} CPUs, node ${process.version}`,
  );
  console.log(`| run | invoices/s | p50 | p99 |`);
  console.log(`| --- | --- | --- | --- |`);
  console.log(
    `| full engine (${workers} workers: XSD + EN 16931 + XRechnung) | ${(n / fullSeconds).toFixed(1)} | ${ms(pct(latencies, 50))} | ${ms(pct(latencies, 99))} |`,
  );
  console.log(
    `| XSD only (libxml2-wasm, 1 thread) | ${(n / xsdSeconds).toFixed(1)} | ${ms(pct(xsdLatencies, 50))} | ${ms(pct(xsdLatencies, 99))} |`,
  );
  console.log(`\nratio full engine ÷ XSD only: ${(n / fullSeconds / (n / xsdSeconds)).toFixed(3)}× throughput`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
