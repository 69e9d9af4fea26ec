import { DE } from './messages.de';
import { EN } from './messages.en';

export const LANGS = ['de', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export type MessageKey = keyof typeof DE;

const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { de: DE, en: EN };

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/**
 * The message of `key` in `lang` with `{name}` placeholders filled in. A key built from a value the console does
 * not know (e.g. a new channel kind) shows that value rather than the key.
 */
export function translate(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  const message = CATALOGUES[lang][key] ?? CATALOGUES.de[key] ?? key.slice(key.indexOf('.') + 1);
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
