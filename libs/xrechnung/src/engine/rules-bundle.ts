import * as fs from 'node:fs';
import * as path from 'node:path';
import { type RulesVersions } from '../report/validation-report';
import { XRechnungErrorCode, XRechnungException } from '../xrechnung.exception';

/** The pinned bundle tools/xrechnung/build-rules.sh builds (XRechnung Schematron version + CEN EN 16931 version). */
export const RULES_BUNDLE = 'xrechnung-3.0.2_en16931-1.3.15';

export interface RulesBundle {
  dir: string;
  versions: RulesVersions;
}

/** Repository root: the nearest ancestor of this file that has package.json (works from src/ and dist/). */
export function repositoryRoot(from: string = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

export function locateRules(rulesRoot?: string): RulesBundle {
  const dir = path.join(rulesRoot ?? path.join(repositoryRoot(), '.data', 'xrechnung-rules'), RULES_BUNDLE);
  const manifest = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifest)) {
    throw new XRechnungException(XRechnungErrorCode.RulesNotBuilt, `XRechnung rules not found at ${dir}: run \`npm run build:rules\`.`);
  }
  const m = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { xrechnung: string; en16931: string };
  return { dir, versions: { xrechnung: m.xrechnung, en16931: m.en16931 } };
}
