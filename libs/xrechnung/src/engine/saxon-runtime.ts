// Loads saxon-js with one speed fix applied to its source text (ADR 0006, "saxon-js per-transform set-up").
//
// saxon-js 2.7.0 prepares the stylesheet again on every SaxonJS.transform(): among other things it walks the whole
// SEF tree three times (twice for "package" nodes, once for "glob" nodes) with a recursive forEach. The EN 16931 UBL
// SEF has ~58,000 nodes, so that walk alone cost ~10 ms of every transform, more than a third of the EN 16931 run.
// The fix remembers, per SEF root object, which nodes a walk found, and calls the same callbacks on the same nodes in
// the same order on later transforms. saxon-js itself already treats a loaded SEF as immutable (it primes it once and
// marks it PRIMED), and the callbacks of these walks only read the tree, so the outcome of a transform is unchanged.
//
// The fix is a literal replacement of one function in the pinned SaxonJS2N.js. When the text is not found (another
// saxon-js version), the unpatched module is used: slower, same results; saxon-runtime.spec.ts fails in that case so
// the fix is re-checked on every saxon-js upgrade.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

type SaxonJSModule = (typeof import('saxon-js'))['default'];

/** The walk inside saxon-js' stylesheet preparation: `L(kind, callback)` visits every SEF node of that kind. */
const WALK = 'function L(X,V){H(x,X,V)}';
const MEMOIZED_WALK =
  'function L(X,V){let m=x.__poststelleWalks;if(!m){m={};Object.defineProperty(x,"__poststelleWalks",{value:m})}' +
  'let q=m[X];if(!q){q=[];H(x,X,function(n){q.push(n)});m[X]=q}q.forEach(function(n){V(n)})}';

function load(): { saxon: SaxonJSModule; patched: boolean } {
  const requireHere = createRequire(__filename);
  const file = requireHere.resolve('saxon-js');
  const source = fs.readFileSync(file, 'utf8');
  if (source.split(WALK).length !== 2) return { saxon: requireHere('saxon-js') as SaxonJSModule, patched: false };
  const wrapper = vm.runInThisContext(
    `(function (exports, require, module, __filename, __dirname) {${source.replace(WALK, MEMOIZED_WALK)}\n})`,
    { filename: file },
  ) as (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void;
  const mod = { exports: {} as unknown };
  wrapper(mod.exports, createRequire(file), mod, file, path.dirname(file));
  return { saxon: mod.exports as SaxonJSModule, patched: true };
}

const loaded = load();

/** saxon-js, with the per-transform SEF walk memoized when the pinned version is installed. */
export const SaxonJS: SaxonJSModule = loaded.saxon;

/** Whether the speed fix could be applied (false: a saxon-js version this file does not know). */
export const saxonJsPatched: boolean = loaded.patched;
