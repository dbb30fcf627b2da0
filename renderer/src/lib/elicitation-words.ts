// How elicitation reads on screen: the items, what a field expects in words, and a URL split around its host.
import type { FormField } from '../../../shared/domain/elicitation.js';
import type { InboxItem } from '../../../shared/domain/inbox.js';

export type FormItem = Extract<InboxItem, { kind: 'elicitation' }>;
export type UrlItem = Extract<InboxItem, { kind: 'elicitation_url' }>;
export type ElicitationItem = FormItem | UrlItem;

export function isElicitation(item: InboxItem): item is ElicitationItem {
  return item.kind === 'elicitation' || item.kind === 'elicitation_url';
}

/** The same page asked by the same server: once opened, the host asks again with a new item, waiting for the server. */
export function samePage(a: UrlItem, b: UrlItem): boolean {
  return a.serverId === b.serverId && a.request.elicitationId === b.request.elicitationId && a.request.url === b.request.url;
}

/** What a format asks for, where the control alone does not say it (a date picker does). */
const FORMATS: Record<NonNullable<Extract<FormField, { kind: 'text' }>['format']>, string | null> = {
  email: 'An email address.',
  uri: 'A full address, like https://example.com.',
  date: null,
  'date-time': 'In your time zone.',
};

const range = (min: number | null, max: number | null, unit: string): string | null => {
  if (min !== null && max !== null) return min === max ? `Exactly ${min} ${unit}.` : `${min} to ${max} ${unit}.`;
  if (min !== null) return `At least ${min} ${unit}.`;
  if (max !== null) return `At most ${max} ${unit}.`;
  return null;
};

/** What the server's schema expects of a field, in words (null when it says nothing beyond the control itself). */
export function expectation(field: FormField): string | null {
  switch (field.kind) {
    case 'text':
      return [field.format ? FORMATS[field.format] : null, range(field.minLength, field.maxLength, 'characters')].filter(Boolean).join(' ') || null;
    case 'number': {
      const what = field.integer ? 'A whole number' : 'A number';
      if (field.minimum !== null && field.maximum !== null) return `${what} from ${field.minimum} to ${field.maximum}.`;
      if (field.minimum !== null) return `${what}, at least ${field.minimum}.`;
      if (field.maximum !== null) return `${what}, at most ${field.maximum}.`;
      return field.integer ? `${what}.` : null;
    }
    case 'multiselect': {
      const choose = range(field.minItems, field.maxItems, 'of them');
      return choose ? `Choose ${choose.charAt(0).toLowerCase()}${choose.slice(1)}` : null;
    }
    default:
      return null;
  }
}

/** What goes to the server for a field left empty: its default, in words (null when there is none). */
export function defaultWords(field: FormField): string | null {
  switch (field.kind) {
    case 'text':
    case 'number':
      return field.default === null ? null : `“${field.default}”`;
    case 'select':
      return field.default === null ? null : `“${field.options.find((o) => o.value === field.default)?.label ?? field.default}”`;
    default:
      return null;
  }
}

/** The display form of a URL around its host, so the host can stand out; null when the host is not in it. */
export function splitAtHost(display: string, host: string): { before: string; host: string; after: string } | null {
  if (host === '') return null;
  const start = display.indexOf(host, display.indexOf('//') + 2);
  if (start < 0) return null;
  return { before: display.slice(0, start), host, after: display.slice(start + host.length) };
}
