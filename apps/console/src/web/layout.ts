import { type PermissionName } from '@poststelle/platform';
import { CSRF_FIELD } from '../session/csrf';
import { type SafeHtml, html } from './html';
import { LANGS, type MessageKey } from './i18n';
import { type ViewContext } from './view-context';

/** The main sections: shown in the navigation only to people whose permissions open them. */
export const SECTIONS: readonly { path: string; label: MessageKey; permission: PermissionName }[] = [
  { path: '/cases', label: 'nav.cases', permission: 'case:read' },
  { path: '/queues', label: 'nav.queues', permission: 'queue:work' },
  { path: '/repair', label: 'nav.repair', permission: 'ops:read' },
  { path: '/admin', label: 'nav.admin', permission: 'config:read' },
  { path: '/audit', label: 'nav.audit', permission: 'audit:read' },
  { path: '/system', label: 'nav.health', permission: 'ops:read' },
];

/** The hidden form field with this session's anti-forgery token; every POST form includes it. */
export function csrfField(view: ViewContext): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${view.session?.csrfToken ?? ''}" />`;
}

function navigation(view: ViewContext): SafeHtml {
  const items = SECTIONS.filter((s) => view.can(s.permission));
  if (!view.session?.user || items.length === 0) return html``;
  const current = (path: string) => view.path === path || view.path.startsWith(`${path}/`) || view.path.startsWith(`${path}?`);
  return html`<nav class="main" aria-label="${view.t('nav.label')}">
    <ul>
      ${items.map((s) => html`<li><a href="${s.path}" ${current(s.path) ? html` aria-current="page"` : ''}>${view.t(s.label)}</a></li>`)}
    </ul>
  </nav>`;
}

function languageSwitch(view: ViewContext): SafeHtml {
  const back = encodeURIComponent(view.path);
  return html`<div class="lang-switch">
    <span id="lang-label">${view.t('lang.switch')}</span>${LANGS.map((l) =>
      l === view.lang
        ? html` <strong lang="${l}" aria-current="true">${l.toUpperCase()}</strong>`
        : html`<a href="/language?to=${l}&amp;back=${back}" lang="${l}" hreflang="${l}" aria-describedby="lang-label"
            >${l.toUpperCase()}</a
          >`,
    )}
  </div>`;
}

function account(view: ViewContext): SafeHtml {
  const user = view.session?.user;
  if (!user) return html``;
  return html`<div>
    <span class="who">${view.t('account.signedInAs', { name: user.subject })}</span>
    <form method="post" action="/sign-out">${csrfField(view)}<button type="submit">${view.t('account.signOut')}</button></form>
  </div>`;
}

/** A whole page: landmarks (banner, navigation, main, contentinfo), skip link, language attribute, title. */
export function page(view: ViewContext, title: string, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="${view.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} – ${view.t('app.name')}</title>
        <link rel="stylesheet" href="/assets/console.css" />
      </head>
      <body>
        <a class="skip-link" href="#main">${view.t('nav.skip')}</a>
        <header class="top">
          <a class="brand" href="/">${view.t('app.name')}</a>
          ${languageSwitch(view)} ${account(view)}
        </header>
        ${navigation(view)}
        <main id="main" tabindex="-1">
          <h1>${title}</h1>
          ${body}
        </main>
        <footer><p>${view.t('app.footer')}</p></footer>
      </body>
    </html>`.toString();
}
