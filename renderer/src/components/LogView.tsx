// Log lines in a virtualised list (a chatty server writes thousands): follows the newest line unless the user scrolled up.
import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown } from 'lucide-react';
import { useLayoutEffect, useRef, useState } from 'react';
import type { LogLine } from '../../../shared/domain/servers.js';
import { formatClock, formatDateTime } from '../lib/format.js';
import './log.css';

const NEAR_BOTTOM_PX = 24;

export function LogView({ lines }: { lines: LogLine[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [following, setFollowing] = useState(true);
  const lastTop = useRef(0);
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 20,
    overscan: 20,
    getItemKey: (index) => lines[index]?.id ?? index,
  });

  const total = virtualizer.getTotalSize();
  useLayoutEffect(() => {
    if (following && lines.length > 0) virtualizer.scrollToIndex(lines.length - 1, { align: 'end' });
  }, [lines.length, total, following, virtualizer]);

  // Measuring rows moves the scroll position too; only a move up (the user reading back) stops following.
  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    if (el.scrollHeight - el.scrollTop - el.clientHeight <= NEAR_BOTTOM_PX) setFollowing(true);
    else if (el.scrollTop < lastTop.current) setFollowing(false);
    lastTop.current = el.scrollTop;
  };

  return (
    <div className="log-frame">
      <div ref={scroller} className="log" onScroll={onScroll} tabIndex={0} role="log" aria-label="Server log" aria-live="off">
        <div className="log-inner" style={{ height: total }}>
          {virtualizer.getVirtualItems().map((item) => {
            const line = lines[item.index];
            if (!line) return null;
            return (
              <div
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={item.index}
                className={`log-row level-${line.level}`}
                data-stream={line.stream}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <time className="log-time" dateTime={line.ts} title={formatDateTime(line.ts)}>
                  {formatClock(line.ts)}
                </time>
                <span className={`log-badge stream-${line.stream}`}>{line.stream}</span>
                <span className={`log-badge level-badge level-${line.level}`}>{line.level}</span>
                <span className="log-text">{line.text}</span>
              </div>
            );
          })}
        </div>
      </div>
      {!following && (
        <button type="button" className="btn btn-small log-jump" onClick={() => setFollowing(true)}>
          <ArrowDown size={14} aria-hidden /> Jump to the newest line
        </button>
      )}
    </div>
  );
}
