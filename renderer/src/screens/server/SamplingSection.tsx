// A server's sampling policy in one line, with the way to change it on the Settings screen.
import { ArrowRight } from 'lucide-react';
import type { SamplingPolicy } from '../../../../shared/domain/sampling.js';
import { Section } from '../../components/Section.js';
import { Pending } from '../../components/States.js';
import { formatNumber } from '../../lib/format.js';
import { href } from '../../lib/router.js';
import { call } from '../../lib/steward.js';
import { useLoad } from '../../lib/use-load.js';

function describe(p: SamplingPolicy): string {
  const mode =
    p.mode === 'ask' ? 'Asks you before every request' : p.mode === 'allow' ? 'Allowed without asking while within budget' : 'Every request is refused';
  const review = p.reviewReplies ? '; you review each reply' : '';
  return `${mode}${review}. Up to ${formatNumber(p.budgets.maxTokensPerRequest)} tokens per request and ${formatNumber(p.budgets.tokensPerDay)} per day.`;
}

export function SamplingSection({ serverId }: { serverId: string }) {
  const [policy, reload] = useLoad(() => call('sampling:getPolicy', { serverId }), [serverId]);
  return (
    <Section id="server-sampling-title" title="Sampling" className="settings-section card vstack" titleClassName="settings-title">
      <Pending loaded={policy} loading="Loading the sampling policy…" failed="Steward could not read the sampling policy." onRetry={reload} />
      {policy.state === 'ready' && <p>{describe(policy.data)}</p>}
      <a className="btn-link" href={href('settings', serverId)}>
        Change how this server may use your model <ArrowRight size={14} aria-hidden />
      </a>
    </Section>
  );
}
