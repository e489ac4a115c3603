/** Event › Send Typing: show "typing…" (it lasts about 20 s or until the next message). */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { ItemOutcome } from '../../../shared/runItems';
import type { Operation, RunContext } from '../../../shared/operation';
import { agentIdField, forOperation, optionsField, phoneNumberField } from '../common';
import { idempotencyKeyField } from './fields';
import { sendAgentEvent } from './agentEvent';

async function execute(this: IExecuteFunctions, i: number, run: RunContext): Promise<ItemOutcome> {
	return await sendAgentEvent.call(this, i, run, { eventType: 'IS_TYPING' });
}

export const sendTyping: Operation = {
	outputs: 2,
	nouns: { one: 'event', many: 'events' },
	execute,
	description: forOperation('event', 'sendTyping', [phoneNumberField, agentIdField, optionsField([idempotencyKeyField])]),
};
