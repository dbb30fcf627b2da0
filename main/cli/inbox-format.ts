// What an inbox question asks, as text shown before `steward inbox approve` answers it: the launch in full, the page to
// open with its host and the URL gate's warnings, the model request's messages, the reply, the form. Single values are
// shown on one line; a server's multi-line text is quoted line by line behind a bar, so none of it passes for Steward's.
import type { UrlVerdict } from '../../shared/domain/elicitation.js';
import type { InboxItem } from '../../shared/domain/inbox.js';
import type { SamplingBlock, SamplingRequestView } from '../../shared/domain/sampling.js';
import { terminalSafe } from '../core/node/index.js';
import { consentText } from './launch-format.js';

const f = (text: string) => terminalSafe(text);

/** How much of one message is quoted here; `steward inbox list --json` has every character. */
const QUOTE_MAX = 2000;

function quote(text: string): string {
  const shown = text.length > QUOTE_MAX ? text.slice(0, QUOTE_MAX) : text;
  const lines = shown.split(/\r?\n/).map((l) => `  | ${f(l)}`);
  if (shown !== text) lines.push(`  | … ${text.length - QUOTE_MAX} more characters (steward inbox list --json shows all of them)`);
  return lines.join('\n');
}

/** The address as the gate reads it (host first), exactly as sent when that differs, and every warning and refusal. */
function urlLines(label: string, url: string, verdict: UrlVerdict): string[] {
  const lines = [`${label}${verdict.host ? `, on ${f(verdict.host)}` : ''}:`, `  ${f(verdict.display)}`];
  if (verdict.display !== url && verdict.display !== `${url}/`) lines.push('Exactly as sent:', `  ${f(url)}`);
  for (const w of verdict.warnings) lines.push(`Warning: ${f(w)}`);
  for (const p of verdict.problems) lines.push(`Steward will not open it: ${f(p)}`);
  return lines;
}

function blockText(b: SamplingBlock): string {
  switch (b.type) {
    case 'text':
      return b.text;
    case 'image':
    case 'audio':
      return `[${b.type} ${b.mimeType}, ${b.data.length} base64 characters]`;
    case 'tool_use':
      return `[asks to call the tool ${b.name} with ${JSON.stringify(b.input)}]`;
    case 'tool_result':
      return `[result of the tool call ${b.toolUseId}: ${JSON.stringify(b.content)}]`;
  }
}

function samplingLines(r: SamplingRequestView): string[] {
  const cost = r.costEstimateUsd === null ? '' : `, at most $${r.costEstimateUsd.toFixed(2)}`;
  const lines = [`Model: ${f(r.model ?? '(none chosen)')} (${f(r.modelReason)}), up to ${r.maxTokens} tokens${cost}.`];
  if (r.toolCall) lines.push(`For the call of: ${f(r.toolCall.name)}`);
  if (r.askReasons.length > 0) lines.push(`Asked because: ${f(r.askReasons.map((a) => a.message).join(' '))}`);
  if (r.systemPrompt) lines.push('System prompt:', quote(r.systemPrompt));
  for (const m of r.messages) lines.push(`${m.role === 'user' ? 'User' : 'Assistant'} message:`, quote(m.content.map(blockText).join('\n')));
  if (r.tools.length > 0) lines.push(`Tools offered to the model: ${f(r.tools.map((t) => t.name).join(', '))}`);
  return lines;
}

/** Everything an approval of this item would act on. */
export function inboxItemText(item: InboxItem): string {
  switch (item.kind) {
    case 'consent':
      return consentText(item.request);
    case 'sampling':
      return ['The server asks Steward to send this to a model:', ...samplingLines(item.request)].join('\n');
    case 'sampling_review':
      return [
        ...samplingLines(item.request),
        `The reply that would go back to the server (${f(item.reply.model)}):`,
        quote(item.reply.content.map(blockText).join('\n')),
      ].join('\n');
    case 'elicitation':
      return [
        'The server asks:',
        quote(item.request.message),
        `Fields: ${f(item.request.fields.map((x) => `${x.name}${x.required ? '*' : ''}`).join(', ')) || '(none)'}`,
      ].join('\n');
    case 'elicitation_url':
      return ['The server asks you to open a page:', quote(item.request.message), ...urlLines('Address', item.request.url, item.request.verdict)].join('\n');
    case 'auth':
      return [
        `Sign in for ${f(item.request.serverUrl)}${item.request.scopes.length > 0 ? ` (scopes: ${f(item.request.scopes.join(' '))})` : ''}.`,
        ...urlLines('Sign-in page', item.request.authorizationUrl, item.request.verdict),
      ].join('\n');
  }
}

/** The question asked on a terminal before an approval goes out. */
export const APPROVE_QUESTION: Record<InboxItem['kind'], string> = {
  consent: 'Allow this server to run this command?',
  sampling: 'Send this request to the model?',
  sampling_review: 'Send this reply to the server?',
  elicitation: 'Send these answers to the server?',
  elicitation_url: 'Open this address in your browser?',
  auth: 'Open this sign-in page in your browser?',
};
