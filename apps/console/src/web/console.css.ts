/** The console's one style sheet (served at /assets/console.css): contrast ≥ 4.5:1, focus always visible. */
export const CONSOLE_CSS = `
:root { --ink: #1a1a1a; --muted: #4a4a4a; --paper: #ffffff; --line: #6b6b6b; --brand: #003b6f; --accent: #0b57a4;
  --bad: #a4000f; --good: #1d5e20; --warn-bg: #fff4ce; --focus: #ffbf47; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink); background: var(--paper); }
a { color: var(--accent); }
a:hover { color: var(--brand); }
:focus-visible, input:focus, input:focus-within, select:focus, textarea:focus { outline: 3px solid var(--focus); outline-offset: 2px; box-shadow: 0 0 0 5px var(--ink); }
.skip-link { position: absolute; left: -10000px; top: 0; background: var(--paper); color: var(--ink); padding: .5rem 1rem; z-index: 10; }
.skip-link:focus { left: .5rem; top: .5rem; }
header.top { background: var(--brand); color: #fff; padding: .5rem 1rem; display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; justify-content: space-between; }
header.top a, header.top .who { color: #fff; }
header.top .brand { font-weight: 700; font-size: 1.2rem; text-decoration: none; }
header.top form { display: inline; }
header.top button { background: transparent; color: #fff; border: 1px solid #fff; }
nav.main ul { list-style: none; margin: 0; padding: 0 1rem; display: flex; flex-wrap: wrap; gap: .25rem 1.5rem; border-bottom: 1px solid var(--line); }
nav.main a { display: inline-block; padding: .6rem 0; }
nav.main a[aria-current="page"] { font-weight: 700; color: var(--ink); border-bottom: 3px solid var(--brand); }
main { padding: 1rem; max-width: 80rem; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 1.5rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: 700; padding: .25rem 0; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #eef2f6; }
form.filters { display: flex; flex-wrap: wrap; gap: .75rem 1rem; align-items: flex-end; margin-bottom: 1rem; }
.field { display: flex; flex-direction: column; gap: .2rem; margin-bottom: .75rem; }
label { font-weight: 600; }
input, select, textarea, button { font: inherit; color: var(--ink); }
input, select, textarea { border: 1px solid var(--line); padding: .35rem .5rem; background: var(--paper); }
button, .button { display: inline-block; background: var(--brand); color: #fff; border: 2px solid var(--brand); padding: .4rem .9rem; cursor: pointer; text-decoration: none; }
button.secondary, .button.secondary { background: var(--paper); color: var(--brand); }
button.danger { background: var(--bad); border-color: var(--bad); }
.notice { border-left: 6px solid var(--accent); background: #e8f1fb; padding: .5rem 1rem; margin: 1rem 0; }
.error { border-left: 6px solid var(--bad); background: #fde8ea; padding: .5rem 1rem; margin: 1rem 0; }
.field-error { color: var(--bad); font-weight: 600; }
.warn { background: var(--warn-bg); }
.status-up { color: var(--good); font-weight: 700; }
.status-degraded, .status-down { color: var(--bad); font-weight: 700; }
ol.timeline { list-style: none; padding: 0; border-left: 3px solid var(--brand); margin-left: .5rem; }
ol.timeline li { margin: 0 0 1rem 0; padding-left: 1rem; }
ol.timeline time { color: var(--muted); display: block; font-size: .9rem; }
pre { background: #f4f4f4; border: 1px solid var(--line); padding: .5rem; overflow: auto; max-height: 30rem; white-space: pre-wrap; word-break: break-word; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.lang-switch a { margin-left: .5rem; }
.pager { display: flex; gap: 1rem; }
footer { padding: 1rem; color: var(--muted); border-top: 1px solid var(--line); margin-top: 2rem; }
`;
