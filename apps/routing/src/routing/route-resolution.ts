import { arsPrefixes } from '@poststelle/contracts';

export interface RuleCandidate {
  ruleId: string;
  version: number;
  arsPrefix: string;
  procedureId: string;
  /** False when the procedure is switched off: the rule then routes nothing. */
  active?: boolean;
}

export type Resolution =
  | { kind: 'routed'; rule: RuleCandidate; explanation: string }
  | { kind: 'no-rule'; explanation: string }
  | { kind: 'ambiguous'; rules: RuleCandidate[]; explanation: string };

/**
 * Picks the responsible procedure as the federal routing service does: among the rules for the service, the one
 * with the most specific ARS prefix (12 → 9 → 5 → 3 → 2 digits) that matches the case's region wins; only a rule's
 * latest effective version counts (a new version that moves the rule to another region supersedes the old one). Two different procedures at the same specificity are ambiguous: a clerk decides.
 */
export function resolveRoute(leikaKey: string, ars: string, candidates: RuleCandidate[]): Resolution {
  const prefixes = arsPrefixes(ars);
  const latest = new Map<string, RuleCandidate>();
  for (const c of candidates) {
    const seen = latest.get(c.ruleId);
    if (!seen || seen.version < c.version) latest.set(c.ruleId, c);
  }
  for (const prefix of prefixes) {
    const matching = [...latest.values()].filter((c) => c.arsPrefix === prefix && c.active !== false);
    if (matching.length === 0) continue;
    const procedures = new Set(matching.map((m) => m.procedureId));
    if (procedures.size > 1) {
      return {
        kind: 'ambiguous',
        rules: matching,
        explanation: `service ${leikaKey} in region ${ars}: ${procedures.size} procedures (${[...procedures].join(', ')}) are responsible for the same region prefix ${prefix}; a clerk must decide`,
      };
    }
    const rule = matching.sort((a, b) => a.ruleId.localeCompare(b.ruleId))[0]!;
    return {
      kind: 'routed',
      rule,
      explanation: `service ${leikaKey} in region ${ars}: rule ${rule.ruleId} (version ${rule.version}) for region prefix ${prefix} (${prefix.length} digits, the most specific entry) names procedure ${rule.procedureId}`,
    };
  }
  return {
    kind: 'no-rule',
    explanation: `no routing rule for service ${leikaKey} matches region ${ars} (tried prefixes ${prefixes.join(', ')})`,
  };
}
