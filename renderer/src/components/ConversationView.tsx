// A sampling conversation laid out for judging: every block readable — text, images, tool calls and their results.
import { CornerDownRight, FileAudio, Wrench } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import type { SamplingBlock, SamplingMessageView } from '../../../shared/domain/sampling.js';
import { toJson } from '../lib/format.js';
import { LongText } from './LongText.js';
import './sampling.css';

/** Names of tool calls by id, so a result can say which call it answers. */
export function toolNames(blocks: Iterable<SamplingBlock>): Map<string, string> {
  const names = new Map<string, string>();
  for (const b of blocks) if (b.type === 'tool_use') names.set(b.id, b.name);
  return names;
}

interface EditLast {
  index: number;
  /** Replaces the message's text blocks; its images and other blocks stay as they are. */
  editor: ReactNode;
}

interface Props {
  messages: SamplingMessageView[];
  label: string;
  /** Tool calls made before these messages (earlier rounds), to name the results. */
  earlierCalls?: Map<string, string>;
  editLast?: EditLast;
}

export function ConversationView({ messages, label, earlierCalls, editLast }: Props) {
  const names = new Map([...(earlierCalls ?? []), ...toolNames(messages.flatMap((m) => m.content))]);
  return (
    <ol className="conversation plain-list vstack" aria-label={label}>
      {messages.map((m, i) => (
        <li key={i} className={`msg msg-${m.role}`} data-role={m.role}>
          <div className="msg-role">{m.role === 'user' ? 'User' : 'Assistant'}</div>
          <div className="msg-blocks">
            {editLast?.index === i && editLast.editor}
            <Blocks blocks={editLast?.index === i ? m.content.filter((b) => b.type !== 'text') : m.content} names={names} />
          </div>
        </li>
      ))}
    </ol>
  );
}

export function Blocks({ blocks, names }: { blocks: SamplingBlock[]; names: Map<string, string> }) {
  return (
    <>
      {blocks.map((b, i) => (
        <BlockView key={i} block={b} names={names} />
      ))}
    </>
  );
}

function BlockView({ block, names }: { block: SamplingBlock; names: Map<string, string> }) {
  switch (block.type) {
    case 'text':
      return <LongText text={block.text} label="Message text" />;
    case 'image':
      return <ImageBlock mimeType={block.mimeType} data={block.data} />;
    case 'audio':
      return (
        <p className="block-note">
          <FileAudio size={14} aria-hidden /> Audio clip ({block.mimeType}, {sizeOf(block.data)}) — Steward does not play audio.
        </p>
      );
    case 'tool_use':
      return (
        <div className="block-tool vstack stripe" data-block="tool_use">
          <div className="block-head">
            <Wrench size={13} aria-hidden /> Tool call <code className="mono-text block-tool-name">{block.name}</code>
            <span className="muted mono-text block-id">{block.id}</span>
          </div>
          <LongText text={toJson(block.input)} label={`Input of the ${block.name} call`} />
        </div>
      );
    case 'tool_result':
      return (
        <div className={`block-tool vstack stripe ${block.isError ? 'block-tool-error' : ''}`} data-block="tool_result">
          <div className="block-head">
            <CornerDownRight size={13} aria-hidden /> Result of <code className="mono-text block-tool-name">{names.get(block.toolUseId) ?? 'a tool call'}</code>
            <span className="muted mono-text block-id">{block.toolUseId}</span>
            {block.isError && <span className="tag tag-danger">error</span>}
          </div>
          {block.content.length === 0 && <p className="muted">No content.</p>}
          {block.content.map((item, i) => (
            <ResultItem key={i} item={item} />
          ))}
          {block.structuredContent && (
            <details className="disclosure">
              <summary>Structured content</summary>
              <LongText text={toJson(block.structuredContent)} label="Structured content" />
            </details>
          )}
        </div>
      );
  }
}

function ResultItem({ item }: { item: Record<string, unknown> }) {
  if (item.type === 'text' && typeof item.text === 'string') return <LongText text={item.text} label="Tool result text" />;
  if (item.type === 'image' && typeof item.data === 'string' && typeof item.mimeType === 'string')
    return <ImageBlock mimeType={item.mimeType} data={item.data} />;
  return <LongText text={toJson(item)} label="Tool result content" />;
}

function sizeOf(base64: string): string {
  const bytes = Math.floor((base64.length * 3) / 4);
  return bytes < 1024 ? `${bytes} B` : `${Math.round(bytes / 1024)} KB`;
}

/** A thumbnail that opens to full width; only image types reach the <img> (the CSP allows data: images). */
function ImageBlock({ mimeType, data }: { mimeType: string; data: string }) {
  const [full, setFull] = useState(false);
  if (!/^image\/[\w.+-]+$/.test(mimeType))
    return (
      <p className="block-note">
        Content of type {mimeType} ({sizeOf(data)}).
      </p>
    );
  return (
    <button
      type="button"
      className={`block-image ${full ? 'block-image-full' : ''}`}
      aria-pressed={full}
      onClick={() => setFull((v) => !v)}
      title={full ? 'Show smaller' : 'Show full size'}
    >
      <img src={`data:${mimeType};base64,${data}`} alt={`Image (${mimeType}, ${sizeOf(data)})`} />
    </button>
  );
}
