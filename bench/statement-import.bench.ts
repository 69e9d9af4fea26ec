/**
 * Bank statement import throughput: a generated camt.053 with BENCH_ENTRIES entries (default 10,000) posted to
 * payment's `POST /v1/statements` until the import's status says done (parse, store, match, book, clerk queue),
 * against a baseline measured in the same run: the raw XML parse of the same file with xml2js (the parser payment
 * uses), which is a floor for any import of it.
 *
 *   npm run build && node scripts/run-ts.js bench/statement-import.bench.ts
 *
 * Needs Kafka on KAFKA_BROKERS and PostgreSQL on DATABASE_URL (same defaults as the tests). Prints a Markdown
 * section for docs/benchmarks.md.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { parseStringPromise, processors } from 'xml2js';
import { Stack, largeStatement, seedOpenPayments, waitFor } from '@poststelle/testing';

const ENTRIES = Number(process.env['BENCH_ENTRIES'] ?? 10000);
const TENANT = '120540000000';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const { xml, matching } = largeStatement(`BENCH-${randomUUID()}`, TENANT, ENTRIES);
  const load = os.loadavg().map((l) => l.toFixed(2));

  const parseTimes: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const t0 = performance.now();
    await parseStringPromise(xml, { explicitArray: true, strict: true, async: false, tagNameProcessors: [processors.stripPrefix] });
    parseTimes.push((performance.now() - t0) / 1000);
  }
  const parseS = median(parseTimes);

  const stack = await new Stack().start();
  const db = new Client({ connectionString: stack.databaseUrl });
  await db.connect();
  try {
    await seedOpenPayments(db, TENANT, matching);
    const t0 = performance.now();
    const res = await stack.json<{ importId: string }>('payment', '/v1/statements', {
      as: 'admin-potsdam',
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: xml,
    });
    if (res.status !== 202) throw new Error(`import refused: ${res.status} ${JSON.stringify(res.body)}`);
    const acceptedS = (performance.now() - t0) / 1000;
    const done = await waitFor(
      'import done',
      async () => {
        const s = await stack.json<{ state: string; booked: number; queued: number }>('payment', `/v1/statements/${res.body.importId}`, {
          as: 'admin-potsdam',
        });
        return s.body.state === 'done' && s.body;
      },
      1800000,
      200,
    );
    const totalS = (performance.now() - t0) / 1000;
    const cpus = os.cpus();
    const lines = [
      `## ${new Date().toISOString().slice(0, 10)}: bank statement import (issue 14)`,
      '',
      `Run: ${new Date().toISOString()} · ${ENTRIES} entries (${matching.length} matching open payments, ${ENTRIES - matching.length} to the clerk queue) · ${(Buffer.byteLength(xml) / 1024 / 1024).toFixed(1)} MiB camt.053.001.08`,
      `Machine: ${cpus[0]?.model.trim() ?? 'unknown'}, ${cpus.length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB, ${os.type()} ${os.release()}, Node.js ${process.version}; load average at start ${load.join(' / ')}`,
      '',
      '| Path | Time (s) | Throughput (entries/s) |',
      '| --- | ---: | ---: |',
      `| Baseline: xml2js parse of the same file (median of 3, in-process) | ${parseS.toFixed(2)} | ${Math.round(ENTRIES / parseS)} |`,
      `| Poststelle: POST /v1/statements → 202 (parse, import and items stored) | ${acceptedS.toFixed(2)} | ${Math.round(ENTRIES / acceptedS)} |`,
      `| Poststelle: POST → import done (matched, booked with history and event, queued) | ${totalS.toFixed(2)} | ${Math.round(ENTRIES / totalS)} |`,
      `| **Poststelle ÷ baseline** | | **${(ENTRIES / totalS / (ENTRIES / parseS)).toFixed(3)}×** |`,
      '',
      `Booked ${done.booked}, queued ${done.queued}.`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await db.end();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
