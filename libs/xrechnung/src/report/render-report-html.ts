import { type ValidationReport } from './validation-report';

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A self-contained, human-readable HTML page of a validation report (no scripts, no external resources). */
export function renderReportHtml(report: ValidationReport, title = 'XRechnung validation report'): string {
  const verdict = report.accepted ? 'accepted' : 'rejected';
  const rows = report.findings
    .map(
      (f) =>
        `<tr class="${f.severity}"><td>${escapeHtml(f.severity)}</td><td>${escapeHtml(f.layer)}</td><td><code>${escapeHtml(f.ruleId)}</code></td>` +
        `<td>${escapeHtml(f.message)}</td><td><code>${escapeHtml(f.location)}</code></td></tr>`,
    )
    .join('\n');
  const summary = Object.entries(report.summary)
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(String(v))}</dd>`)
    .join('');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:4px;vertical-align:top;text-align:left}
.error td:first-child{color:#b00020;font-weight:bold}.warning td:first-child{color:#a06000}.accepted{color:#1b5e20}.rejected{color:#b00020}</style></head>
<body><h1>${escapeHtml(title)}</h1>
<p class="${verdict}"><strong>${verdict.toUpperCase()}</strong>: ${report.errorCount} error(s), ${report.warningCount} warning(s)</p>
<p>Syntax: ${escapeHtml(report.syntax ?? 'unknown')} · scenario: ${escapeHtml(report.scenario ?? 'none')} · rules: XRechnung ${escapeHtml(report.rules.xrechnung)}, EN 16931 ${escapeHtml(report.rules.en16931)} · sha256 <code>${escapeHtml(report.documentSha256)}</code></p>
<dl>${summary}</dl>
<table><thead><tr><th>Severity</th><th>Layer</th><th>Rule</th><th>Message</th><th>Location</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>
`;
}
