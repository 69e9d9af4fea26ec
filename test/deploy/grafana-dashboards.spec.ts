import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { registry } from '@poststelle/telemetry';

// Every metric a Grafana dashboard queries must be one a service exports: the services' metric definitions are
// imported (libs/telemetry's and every apps/**/*-metrics.ts) and their names compared with the PromQL of each panel
// and template variable. A dashboard naming an unknown metric (a typo, a renamed metric) fails here.

const ROOT = join(__dirname, '..', '..');
const DASHBOARDS = join(ROOT, 'deploy', 'observability', 'grafana', 'dashboards');

const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'inf',
  'nan',
]);

/** The metric names a PromQL expression selects (labels, durations, strings, functions and keywords left out). */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ' ') // string literals
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // range and subquery durations
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' '); // grouping label lists
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const name = m[0];
    const after = stripped.slice(m.index + name.length).trimStart();
    if (after.startsWith('(') || KEYWORDS.has(name.toLowerCase()) || /^\d/.test(name)) continue;
    // Grafana's `label_values(metric, label)`: the label after the comma is no metric.
    if (/^\s*\)/.test(after) && /,\s*$/.test(stripped.slice(0, m.index))) continue;
    names.add(name);
  }
  return [...names];
}

/** Every PromQL expression of a dashboard: panel targets (rows' nested panels too) and template variable queries. */
function expressionsOf(dashboard: Record<string, unknown>): { where: string; expr: string }[] {
  const found: { where: string; expr: string }[] = [];
  const visit = (panels: unknown[] | undefined) => {
    for (const p of (panels ?? []) as { title?: string; targets?: { expr?: string }[]; panels?: unknown[] }[]) {
      for (const t of p.targets ?? []) if (t.expr) found.push({ where: `panel "${p.title}"`, expr: t.expr });
      visit(p.panels);
    }
  };
  visit(dashboard['panels'] as unknown[]);
  const templating = dashboard['templating'] as { list?: { name: string; query?: unknown }[] } | undefined;
  for (const v of templating?.list ?? []) {
    const query = typeof v.query === 'string' ? v.query : (v.query as { query?: string } | undefined)?.query;
    if (query) found.push({ where: `variable $${v.name}`, expr: query });
  }
  return found;
}

function metricDefinitionFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'node_modules' ? [] : metricDefinitionFiles(path);
    return /-metrics\.ts$/.test(entry) ? [path] : [];
  });
}

/** The series names the services expose: each metric, with `_bucket`/`_sum`/`_count` for histograms and summaries. */
async function exportedNames(): Promise<Set<string>> {
  for (const file of metricDefinitionFiles(join(ROOT, 'apps'))) await import(file);
  const names = new Set<string>();
  for (const metric of registry.getMetricsAsArray()) {
    const { name, type } = metric as unknown as { name: string; type: string };
    names.add(name);
    if (type === 'histogram' || type === 'summary') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
  }
  return names;
}

describe('Grafana dashboards query only metrics the services export', () => {
  const files = readdirSync(DASHBOARDS).filter((f) => f.endsWith('.json'));

  it('finds the metric names of PromQL expressions', () => {
    expect(
      metricNamesIn('sum by (service, le) (rate(poststelle_message_processing_seconds_bucket{service=~"$service"}[$__rate_interval]))'),
    ).toEqual(['poststelle_message_processing_seconds_bucket']);
    expect(metricNamesIn('count by (service) (poststelle_consumer_running == 0) or on (service) vector(0) * up')).toEqual([
      'poststelle_consumer_running',
      'up',
    ]);
    expect(metricNamesIn('label_values(poststelle_outbox_backlog, service)')).toEqual(['poststelle_outbox_backlog']);
    expect(metricNamesIn('label_values({__name__=~"poststelle_.+"}, service)')).toEqual([]);
  });

  it('covers intake per channel, routing outcomes, queues, dead letters, outbox, consumer lag, payments and XRechnung', () => {
    const queried = new Set(
      files.flatMap((f) =>
        expressionsOf(JSON.parse(readFileSync(join(DASHBOARDS, f), 'utf8')) as Record<string, unknown>).flatMap((e) =>
          metricNamesIn(e.expr),
        ),
      ),
    );
    for (const metric of [
      'poststelle_intake_cases_received_total',
      'poststelle_routing_decisions_total',
      'poststelle_queue_items',
      'poststelle_queue_oldest_age_seconds',
      'poststelle_dead_letters_open',
      'poststelle_outbox_backlog',
      'poststelle_consumer_lag',
      'poststelle_payment_transitions_total',
      'poststelle_erechnung_inbound_invoices_total',
    ]) {
      expect(queried).toContain(metric);
    }
  });

  it.each(files)('%s names no metric that no service exports', async (file) => {
    const exported = await exportedNames();
    const dashboard = JSON.parse(readFileSync(join(DASHBOARDS, file), 'utf8')) as Record<string, unknown>;
    const expressions = expressionsOf(dashboard);
    expect(expressions.length).toBeGreaterThan(0);
    const unknown = expressions.flatMap(({ where, expr }) =>
      metricNamesIn(expr)
        .filter((n) => !exported.has(n))
        .map((n) => `${where}: ${n}`),
    );
    expect(unknown).toEqual([]);
  });

  it('would fail for a dashboard that queries a metric nobody exports', async () => {
    const exported = await exportedNames();
    const names = metricNamesIn('sum(rate(poststelle_intake_cases_recieved_total[5m]))');
    expect(names.filter((n) => !exported.has(n))).toEqual(['poststelle_intake_cases_recieved_total']);
  });
});
