/** Event › Mark as Read: the read receipt for a message the user sent. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { inputError } from '../../../shared/itemInputs';
import type { ItemOutcome } from '../../../shared/runItems';
import type { Operation, RunContext } from '../../../shared/operation';
import { agentIdField, forOperation, messageIdField, optionsField, phoneNumberField } from '../common';
import { sendAgentEvent } from './agentEvent';
import { idempotencyKeyField } from './fields';

async function execute(this: IExecuteFunctions, i: number, run: RunContext): Promise<ItemOutcome> {
	const raw = run.read('messageId', i, '');
	const messageId = typeof raw === 'string' ? raw.trim() : '';
	if (messageId === '') {
		throw inputError(this, i, 'Message ID is required: the messageId of the user\'s message (RBM Trigger outputs it)', 'messageId');
	}
	return await sendAgentEvent.call(this, i, run, { eventType: 'READ', messageId });
}

export const markRead: Operation = {
	outputs: 2,
	nouns: { one: 'event', many: 'events' },
	execute,
	description: forOperation('event', 'markRead', [
		phoneNumberField,
		agentIdField,
		messageIdField('The ID of the user\'s message to mark as read (from RBM Trigger)'),
		optionsField([idempotencyKeyField]),
	]),
};
