/** The pipeline says `retry-scheduled`/`dead-lettered`; the contract (and the panel) say `retryScheduled`/`deadLettered`. */
import type { Outcome } from './contract';
import type { OutcomeName } from '../sync';

const TO_CONTRACT: Record<OutcomeName, Outcome> = {
  done: 'done',
  skipped: 'skipped',
  'retry-scheduled': 'retryScheduled',
  'dead-lettered': 'deadLettered',
};

export function contractOutcome(name: OutcomeName): Outcome {
  return TO_CONTRACT[name];
}

export function pipelineOutcome(outcome: Outcome): OutcomeName {
  return (Object.keys(TO_CONTRACT) as OutcomeName[]).find((name) => TO_CONTRACT[name] === outcome)!;
}
