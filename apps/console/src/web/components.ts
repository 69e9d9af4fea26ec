import { type HtmlValue, type SafeHtml, html } from './html';
import { csrfField } from './layout';
import { type ViewContext } from './view-context';

/** A date and time in the page's language (Europe/Berlin), inside a machine-readable <time>. */
export function when(view: ViewContext, iso: string | null | undefined): SafeHtml {
  if (!iso) return html`–`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return html`${iso}`;
  const text = d.toLocaleString(view.lang === 'de' ? 'de-DE' : 'en-GB', {
    timeZone: 'Europe/Berlin',
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  return html`<time datetime="${d.toISOString()}">${text}</time>`;
}

/** How long ago, in words ("3 Std.", "2 d"). */
export function age(view: ViewContext, iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '–';
  const minutes = Math.max(0, Math.round((now - new Date(iso).getTime()) / 60000));
  if (minutes < 60) return view.t('age.minutes', { n: minutes });
  if (minutes < 48 * 60) return view.t('age.hours', { n: Math.round(minutes / 60) });
  return view.t('age.days', { n: Math.round(minutes / 1440) });
}

/** A data table: caption, column headers with scope, one row per item; an empty list says so. */
export function table<T>(
  view: ViewContext,
  caption: string,
  columns: readonly string[],
  rows: readonly T[],
  row: (item: T) => HtmlValue[],
): SafeHtml {
  if (rows.length === 0) return html`<p class="notice" role="status">${caption}: ${view.t('list.empty')}</p>`;
  return html`<table>
    <caption>
      ${caption}
    </caption>
    <thead>
      <tr>
        ${columns.map((c) => html`<th scope="col">${c}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map((item) => {
        const [first, ...rest] = row(item);
        return html`<tr>
          <th scope="row">${first}</th>
          ${rest.map((cell) => html`<td>${cell}</td>`)}
        </tr>`;
      })}
    </tbody>
  </table>`;
}

export interface FieldOptions {
  name: string;
  label: string;
  value?: string | undefined;
  type?: 'text' | 'search' | 'date' | 'datetime-local' | 'number';
  error?: string | undefined;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
}

/** A labelled input; a hint or error is linked with aria-describedby, an error also sets aria-invalid. */
export function field(o: FieldOptions): SafeHtml {
  const id = `f-${o.name}`;
  const described = [o.hint ? `${id}-hint` : '', o.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field">
    <label for="${id}">${o.label}</label>
    ${o.hint ? html`<span id="${id}-hint">${o.hint}</span>` : ''}
    ${o.error ? html`<span id="${id}-error" class="field-error">${o.error}</span>` : ''}
    <input
      id="${id}"
      name="${o.name}"
      type="${o.type ?? 'text'}"
      value="${o.value ?? ''}"
      ${described ? html` aria-describedby="${described}"` : ''}${o.error ? html` aria-invalid="true"` : ''}${o.required
        ? html` required`
        : ''}
      autocomplete="${o.autocomplete ?? 'off'}"
    />
  </div>`;
}

/** A labelled select. */
export function select(o: {
  name: string;
  label: string;
  value?: string | undefined;
  options: readonly { value: string; label: string }[];
  error?: string | undefined;
}): SafeHtml {
  const id = `f-${o.name}`;
  return html`<div class="field">
    <label for="${id}">${o.label}</label>
    ${o.error ? html`<span id="${id}-error" class="field-error">${o.error}</span>` : ''}
    <select id="${id}" name="${o.name}" ${o.error ? html` aria-describedby="${id}-error" aria-invalid="true"` : ''}>
      ${o.options.map((opt) => html`<option value="${opt.value}" ${opt.value === o.value ? html` selected` : ''}>${opt.label}</option>`)}
    </select>
  </div>`;
}

/** A labelled text area. */
export function textarea(o: {
  name: string;
  label: string;
  value?: string | undefined;
  error?: string | undefined;
  required?: boolean;
}): SafeHtml {
  const id = `f-${o.name}`;
  return html`<div class="field">
    <label for="${id}">${o.label}</label>
    ${o.error ? html`<span id="${id}-error" class="field-error">${o.error}</span>` : ''}
    <textarea
      id="${id}"
      name="${o.name}"
      rows="3"
      ${o.error ? html` aria-describedby="${id}-error" aria-invalid="true"` : ''}${o.required ? html` required` : ''}
    >
${o.value ?? ''}</textarea
    >
  </div>`;
}

/**
 * The confirmation step of every action: what will happen, in words, and a POST form with this session's
 * anti-forgery token and the action's fields as hidden inputs. Nothing changes until it is submitted.
 */
export function confirmation(
  view: ViewContext,
  o: {
    question: string;
    facts: readonly [string, HtmlValue][];
    action: string;
    fields: Record<string, string>;
    confirmLabel: string;
    cancelHref: string;
    extra?: SafeHtml;
    danger?: boolean;
  },
): SafeHtml {
  return html`<p class="notice">${o.question}</p>
    <dl class="facts">
      ${o.facts.map(
        ([k, v]) =>
          html`<dt>${k}</dt>
            <dd>${v}</dd>`,
      )}
    </dl>
    <form method="post" action="${o.action}">
      ${csrfField(view)}${Object.entries(o.fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`)}${o.extra ?? ''}
      <p>
        <button type="submit" ${o.danger ? html` class="danger"` : ''}>${o.confirmLabel}</button>
        <a class="button secondary" href="${o.cancelHref}">${view.t('action.cancel')}</a>
      </p>
    </form>`;
}

/** The outcome of an action, announced to screen readers. */
export function outcome(kind: 'ok' | 'error', text: string): SafeHtml {
  return html`<div class="${kind === 'ok' ? 'notice' : 'error'}" role="${kind === 'ok' ? 'status' : 'alert'}">${text}</div>`;
}

/** JSON shown for inspection (headers, payload), escaped. */
export function jsonBlock(label: string, value: unknown): SafeHtml {
  return html`<h2>${label}</h2>
    <pre>${JSON.stringify(value, null, 2)}</pre>`;
}

/** A query string of the non-empty entries. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
