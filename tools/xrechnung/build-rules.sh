#!/usr/bin/env bash
# Builds the XRechnung validation rules used by libs/xrechnung (`npm run build:rules`; called by scripts/test.sh
# and scripts/start.sh). Idempotent: does nothing when the output for these versions exists.
#   1. Maven fetches the pinned rule artifacts (tools/xrechnung/pom.xml) from Maven Central.
#   2. The UBL 2.1 and CII D16B XSDs, the CEN EN 16931 and the KoSIT XRechnung Schematron XSLTs are extracted into
#      .data/xrechnung-rules/<bundle>/ (git-ignored).
#   3. saxon-js defect fix: xs:integer arithmetic above 2^53 is wrong in saxon-js, which breaks the IBAN MOD 97
#      check of BR-DE-19/BR-DE-20; the XSLT text is patched to evaluate that number as xs:decimal.
#   4. Speed-ups, results unchanged (tools/xrechnung/optimize-schematron-xslt.js explains why each is equivalent):
#      the empty default-mode walks of the skeleton are removed; the absolute `//` scans and the not(path) asserts on
#      the document element of the EN 16931 XSLTs read global variables, evaluated once per document.
#   5. xslt3 compiles each XSLT to SEF (JSON) for saxon-js; manifest.json records every version and file hash.
# Versions: docs/adr/0006-xrechnung-rules-artifact.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
POM="$ROOT/tools/xrechnung/pom.xml"
EN16931_VERSION="${EN16931_VERSION:-1.3.15}"
XRECHNUNG_VERSION="${XRECHNUNG_VERSION:-3.0.2}"
BUNDLE="xrechnung-${XRECHNUNG_VERSION}_en16931-${EN16931_VERSION}"
OUT="${XRECHNUNG_RULES_DIR:-$ROOT/.data/xrechnung-rules}/$BUNDLE"

log() { printf '[xrechnung-rules] %s\n' "$*" >&2; }
die() { printf '[xrechnung-rules] error: %s\n' "$*" >&2; exit 1; }

# A bundle built by an older version of this script (without the XSLT optimizations) is rebuilt.
if [ -s "$OUT/manifest.json" ] && grep -qF 'empty default-mode walks removed' "$OUT/manifest.json"; then log "up to date: $OUT"; exit 0; fi
command -v mvn >/dev/null || die "Maven is required to fetch the rule artifacts (mvn not found)"
command -v unzip >/dev/null || die "unzip is required"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log "fetching rule artifacts from Maven Central"
# Each artifact is copied on its own (dependency:copy): the jars are only unpacked, never run, so their dependency
# descriptors (one of which has a parent POM that is not on Maven Central) are not needed.
prop() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$POM"; }
for coordinate in \
  "com.helger.phive.rules:phive-rules-en16931:$(prop phive-rules-en16931.version)" \
  "com.helger.phive.rules:phive-rules-xrechnung:$(prop phive-rules-xrechnung.version)" \
  "org.mustangproject:validator:$(prop mustang-validator.version)" \
  "com.helger.cii:ph-cii-d16b:$(prop ph-cii-d16b.version)"; do
  mvn -q -B dependency:copy -Dartifact="$coordinate:jar" -DoutputDirectory="$work/jars" >>"$work/maven.log" 2>&1 \
    || { cat "$work/maven.log" >&2; die "Maven could not fetch $coordinate"; }
done

jar() { ls "$work"/jars/"$1"-[0-9]*.jar | head -n1; }
stage="$OUT.tmp"
rm -rf "$stage"
mkdir -p "$stage/xsd" "$stage/xslt" "$stage/sef"
unzip -q -o "$(jar validator)" 'schema/UBL_21/*' -d "$work/ubl"
cp -r "$work/ubl/schema/UBL_21" "$stage/xsd/ubl21"
unzip -q -o "$(jar ph-cii-d16b)" 'external/schemas/d16b/*' -d "$work/cii"
cp -r "$work/cii/external/schemas/d16b" "$stage/xsd/d16b"
unzip -q -o "$(jar phive-rules-en16931)" "external/schematron/$EN16931_VERSION/*" -d "$work/cen"
cp "$work/cen/external/schematron/$EN16931_VERSION/ubl/EN16931-UBL-validation.xslt" "$stage/xslt/en16931-ubl.xslt"
cp "$work/cen/external/schematron/$EN16931_VERSION/cii/EN16931-CII-validation.xslt" "$stage/xslt/en16931-cii.xslt"
unzip -q -o "$(jar phive-rules-xrechnung)" "external/schematron/$XRECHNUNG_VERSION/*" -d "$work/xr"
cp "$work/xr/external/schematron/$XRECHNUNG_VERSION/XRechnung-UBL-validation.xslt" "$stage/xslt/xrechnung-ubl.xslt"
cp "$work/xr/external/schematron/$XRECHNUNG_VERSION/XRechnung-CII-validation.xslt" "$stage/xslt/xrechnung-cii.xslt"

log "patching the IBAN MOD 97 check (BR-DE-19/20) to xs:decimal"
for f in "$stage/xslt/xrechnung-ubl.xslt" "$stage/xslt/xrechnung-cii.xslt"; do
  before=$(grep -c 'xs:integer(string-join(for $cp in string-to-codepoints' "$f" || true)
  sed -i 's/xs:integer(string-join(for \$cp in string-to-codepoints/xs:decimal(string-join(for $cp in string-to-codepoints/g' "$f"
  [ "$before" -gt 0 ] || grep -q 'xs:decimal(string-join(for \$cp in string-to-codepoints' "$f" \
    || die "IBAN MOD 97 expression not found in $(basename "$f"): check the saxon-js fix against the new rules"
done

log "optimizing the Schematron XSLTs (same results): empty default-mode walks, // scans, document-element paths"
node "$ROOT/tools/xrechnung/optimize-schematron-xslt.js" --hoist "$stage/xslt/en16931-ubl.xslt" "$stage/xslt/en16931-cii.xslt" \
  || die "could not optimize the EN 16931 XSLTs: check tools/xrechnung/optimize-schematron-xslt.js against the new rules"
node "$ROOT/tools/xrechnung/optimize-schematron-xslt.js" "$stage/xslt/xrechnung-ubl.xslt" "$stage/xslt/xrechnung-cii.xslt" \
  || die "could not optimize the XRechnung XSLTs: check tools/xrechnung/optimize-schematron-xslt.js against the new rules"

log "compiling XSLT to SEF with xslt3"
for f in "$stage"/xslt/*.xslt; do
  name=$(basename "$f" .xslt)
  (cd "$ROOT" && npx --no-install xslt3 -xsl:"$f" -export:"$stage/sef/$name.sef.json" -nogo -relocate:on -ns:##html5) \
    || die "xslt3 could not compile $name"
done

node -e '
  const fs = require("fs"), path = require("path"), crypto = require("crypto");
  const [dir, pom, en, xr] = process.argv.slice(1);
  const prop = (n) => new RegExp("<" + n + ">([^<]+)<").exec(fs.readFileSync(pom, "utf8"))[1];
  const sha = (f) => crypto.createHash("sha256").update(fs.readFileSync(path.join(dir, f))).digest("hex");
  const files = {};
  for (const f of fs.readdirSync(path.join(dir, "xslt"))) files["xslt/" + f] = sha("xslt/" + f);
  const manifest = {
    en16931: en, xrechnung: xr,
    artifacts: {
      "com.helger.phive.rules:phive-rules-en16931": prop("phive-rules-en16931.version"),
      "com.helger.phive.rules:phive-rules-xrechnung": prop("phive-rules-xrechnung.version"),
      "org.mustangproject:validator": prop("mustang-validator.version"),
      "com.helger.cii:ph-cii-d16b": prop("ph-cii-d16b.version"),
    },
    patches: [
      "BR-DE-19/BR-DE-20 IBAN MOD 97 evaluated as xs:decimal (saxon-js xs:integer > 2^53 defect)",
      "all: empty default-mode walks removed; EN 16931: absolute // scans and not(path) on the document element read global variables (tools/xrechnung/optimize-schematron-xslt.js)",
    ],
    files,
  };
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
' "$stage" "$POM" "$EN16931_VERSION" "$XRECHNUNG_VERSION"
rm -rf "$OUT" && mv "$stage" "$OUT"
log "rules ready: $OUT"
