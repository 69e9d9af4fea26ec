import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DEFAULT_MAX_DOCUMENT_BYTES, preCheck } from '../input/pre-check';
import { countBySeverity, type Finding, type ValidationReport } from '../report/validation-report';
import { scenarioFor } from '../scenario';
import { XRechnungErrorCode, XRechnungException } from '../xrechnung.exception';
import { locateRules, repositoryRoot, type RulesBundle } from './rules-bundle';
import { type LayerResult, type ValidateRequest, type WorkerInit, type WorkerMessage } from './worker-protocol';

export interface XRechnungValidatorOptions {
  /** Worker threads, each with its own copy of the rules (default: min(2, CPUs)). */
  workers?: number;
  /** Documents above this size are rejected before parsing (default 10 MiB). */
  maxDocumentBytes?: number;
  /** Folder holding the built rule bundles (default <repo>/.data/xrechnung-rules). */
  rulesRoot?: string;
}

interface Job {
  request: ValidateRequest;
  resolve: (result: LayerResult) => void;
  reject: (err: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  busy?: Job;
}

/**
 * The XRechnung validation engine: XSD + CEN EN 16931 Schematron + KoSIT XRechnung Schematron, with KoSIT scenario
 * and severity semantics. Rules are loaded once per worker thread; documents are queued to the next free worker.
 */
export class XRechnungValidator {
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  private constructor(
    private readonly pool: PoolWorker[],
    private readonly rules: RulesBundle,
    private readonly maxDocumentBytes: number,
  ) {
    for (const pw of pool) {
      pw.worker.on('message', (msg: WorkerMessage) => this.onMessage(pw, msg));
      pw.worker.on('error', (err) => this.failWorker(pw, err));
    }
  }

  static async start(options: XRechnungValidatorOptions = {}): Promise<XRechnungValidator> {
    const rules = locateRules(options.rulesRoot);
    const count = Math.max(1, options.workers ?? Math.min(2, os.availableParallelism()));
    const workers = await Promise.all(Array.from({ length: count }, () => spawnWorker(rules.dir)));
    return new XRechnungValidator(
      workers.map((worker) => ({ worker })),
      rules,
      options.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES,
    );
  }

  get rulesVersions(): RulesBundle['versions'] {
    return this.rules.versions;
  }

  /** Validates one document; never throws for a bad document (that is a rejected report), only for engine failures. */
  async validate(document: Uint8Array | string): Promise<ValidationReport> {
    const body = typeof document === 'string' ? Buffer.from(document, 'utf8') : document;
    const base = {
      documentSha256: createHash('sha256').update(body).digest('hex'),
      sizeBytes: body.byteLength,
      rules: this.rules.versions,
    };
    const pre = preCheck(body, this.maxDocumentBytes);
    if (!pre.ok) return finish({ ...base, summary: {} }, pre.findings);
    const result = await this.run({ id: this.nextId++, text: pre.text, syntax: pre.syntax });
    const scenario = scenarioFor(result.customizationId);
    const levels = scenario?.customLevels[pre.syntax] ?? {};
    // KoSIT customLevel: the scenario demotes some rules; such a finding is reported, but never rejects the document.
    const findings: Finding[] = result.findings.map((f) =>
      f.severity === 'error' && levels[f.ruleId] ? { ...f, severity: 'warning' as const } : f,
    );
    if (!scenario && result.findings.every((f) => f.ruleId !== 'XML-NOT-WELL-FORMED')) {
      findings.unshift({
        layer: 'scenario',
        ruleId: 'KOSIT-NO-SCENARIO',
        severity: 'error',
        location: pre.syntax === 'cii' ? '/rsm:CrossIndustryInvoice/rsm:ExchangedDocumentContext' : '/*/cbc:CustomizationID',
        message: `No validation scenario for specification identifier (BT-24) "${result.customizationId ?? ''}": expected XRechnung 3.0 (urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0) or its extension.`,
      });
    }
    return finish(
      {
        ...base,
        syntax: pre.syntax,
        ...(result.customizationId ? { customizationId: result.customizationId } : {}),
        ...(scenario ? { scenario: scenario.name } : {}),
        summary: result.summary,
      },
      findings,
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new XRechnungException(XRechnungErrorCode.ValidatorClosed, 'validator closed'));
    await Promise.all(this.pool.map((pw) => pw.worker.terminate()));
  }

  private run(request: ValidateRequest): Promise<LayerResult> {
    if (this.closed) return Promise.reject(new XRechnungException(XRechnungErrorCode.ValidatorClosed, 'validator closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const pw of this.pool) {
      if (pw.busy) continue;
      const job = this.queue.shift();
      if (!job) return;
      pw.busy = job;
      pw.worker.postMessage(job.request);
    }
  }

  private onMessage(pw: PoolWorker, msg: WorkerMessage): void {
    const job = pw.busy;
    if (!job || (msg.type !== 'result' && msg.type !== 'error') || msg.id !== job.request.id) return;
    pw.busy = undefined;
    if (msg.type === 'result') job.resolve(msg.result);
    else job.reject(new XRechnungException(XRechnungErrorCode.WorkerFailed, msg.message));
    this.dispatch();
  }

  private failWorker(pw: PoolWorker, err: Error): void {
    const job = pw.busy;
    pw.busy = undefined;
    job?.reject(new XRechnungException(XRechnungErrorCode.WorkerFailed, err.message));
    if (this.closed) return;
    void spawnWorker(this.rules.dir).then(
      (worker) => {
        pw.worker = worker;
        worker.on('message', (m: WorkerMessage) => this.onMessage(pw, m));
        worker.on('error', (e) => this.failWorker(pw, e));
        this.dispatch();
      },
      () => undefined,
    );
  }
}

function finish(
  report: Omit<ValidationReport, 'accepted' | 'findings' | 'errorCount' | 'warningCount'>,
  findings: Finding[],
): ValidationReport {
  const counts = countBySeverity(findings);
  return { accepted: counts.errorCount === 0, ...report, ...counts, findings };
}

/** Starts one worker; from source (jest, run-ts) the worker is compiled on the fly by scripts/run-ts.js. */
function spawnWorker(rulesDir: string): Promise<Worker> {
  const init: WorkerInit = { rulesDir };
  const entry = path.join(__dirname, `validation.worker${path.extname(__filename)}`);
  const worker = entry.endsWith('.ts')
    ? new Worker(
        `process.argv = [process.argv[0], ${JSON.stringify(path.join(repositoryRoot(), 'scripts', 'run-ts.js'))}, ${JSON.stringify(entry)}];` +
          `require(process.argv[1]);`,
        { eval: true, workerData: init },
      )
    : new Worker(entry, { workerData: init });
  return new Promise((resolve, reject) => {
    const onMessage = (msg: WorkerMessage): void => {
      if (msg.type === 'ready') {
        cleanup();
        resolve(worker);
      } else if (msg.type === 'init-failed') {
        cleanup();
        void worker.terminate();
        reject(new XRechnungException(XRechnungErrorCode.WorkerFailed, `validation worker could not load the rules: ${msg.message}`));
      }
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(new XRechnungException(XRechnungErrorCode.WorkerFailed, `validation worker failed to start: ${err.message}`));
    };
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
  });
}
