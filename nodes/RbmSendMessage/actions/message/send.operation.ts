/** Message › Send (the RBM Send Message node): one checked AgentMessage per item, sent once, routed to Sent or Not Reachable (or held: Deferred, suppressed). */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { combineFields, optionFields } from '../../../shared/content/agentMessageFields';
import { checkMessageSize } from '../../../shared/content/limits';
import { buildMessage } from '../../../shared/content/message';
import type { AgentMessage } from '../../../shared/content/types';
import { ContentError } from '../../../shared/content/types';
import { deriveId } from '../../../shared/ids';
import { inputErrorOptions } from '../../../shared/itemInputs';
import type { Operation, Recipient, RecipientOptions, RunContext } from '../../../shared/operation';
import { notReachable, OUTPUT_DEFERRED, OUTPUT_SUCCESS, recipient, succeeded } from '../../../shared/operation';
import type { ItemOutcome } from '../../../shared/runItems';
import type { SendWindowParameters } from '../../../shared/sendWindow/options';
import { hasSendWindow, readSendWindow } from '../../../shared/sendWindow/options';
import { LOOK_AHEAD_DAYS, sendWindowDecision } from '../../../shared/sendWindow/window';
import { sendMessageProperties } from '../../description';

export interface SendOptions extends RecipientOptions {
	messageTrafficType?: string;
	ttl?: number;
	expireTime?: string;
	idempotencyKey?: string;
	sendWindow?: { window?: SendWindowParameters };
	campaignId?: string;
	/** Options › Skip (Suppressed): per item, usually an expression such as {{ $json.optedOut }}. */
	suppress?: unknown;
}

/**
 * Options › Skip (Suppressed), read for an item: true, false, or an error naming item and field.
 * An expression over a lookup that found nothing gives undefined or "": not suppressed.
 */
function isSuppressed(value: unknown, i: number, run: RunContext): boolean {
	if (value === true || value === 'true') return true;
	if (value === false || value === 'false' || value === undefined || value === null || value === '') return false;
	throw new NodeOperationError(
		run.node,
		`Item ${i + 1}: Options › Skip (Suppressed) is ${JSON.stringify(value)}; it must be true or false, e.g. {{ $json.optedOut === true }}`,
		inputErrorOptions(i, 'options.suppress'),
	);
}

function contentError(error: unknown, i: number, run: RunContext): NodeOperationError {
	if (error instanceof ContentError) return new NodeOperationError(run.node, `Item ${i + 1}: ${error.message}`, inputErrorOptions(i, error.field));
	return new NodeOperationError(run.node, error as Error, { itemIndex: i });
}

/** The item's AgentMessage: content (checked once, in buildMessage), Options' and JSON's fields, size. */
function messageOf(i: number, run: RunContext, options: SendOptions): AgentMessage {
	try {
		const fromOptions = optionFields(options);
		const built = buildMessage(run.read('messageType', i) as string, (name, fallback) => run.read(name, i, fallback), { defaultCountry: options.defaultCountry });
		// A JSON AgentMessage may carry traffic type and expiry too: see combineFields for the rule.
		const message: AgentMessage = { contentMessage: built.contentMessage, ...combineFields(fromOptions, built.fields) };
		checkMessageSize(message);
		return message;
	} catch (error) {
		throw contentError(error, i, run);
	}
}

/**
 * Options › Send Window: undefined when the message may go now (or no window is set), else the
 * item for "Deferred": the input item's fields (so a Wait node can loop it back into this node),
 * with the recipient and when the window opens (docs/send-window.md).
 */
function deferral(ctx: IExecuteFunctions, i: number, run: RunContext, options: SendOptions, phoneNumber: string, agentId: string): ItemOutcome | undefined {
	let rule;
	try {
		rule = readSendWindow(options.sendWindow);
	} catch (error) {
		throw contentError(error, i, run);
	}
	if (!rule) return undefined;
	const decision = sendWindowDecision(phoneNumber, Date.now(), rule.window, rule);
	if (!decision.recipient) {
		throw new NodeOperationError(
			run.node,
			`Item ${i + 1}: Phone Number ${phoneNumber} belongs to no country, so its local time is unknown: set Options › Send Window › Fallback Time Zone`,
			inputErrorOptions(i, 'phoneNumber'),
		);
	}
	if (decision.open) return undefined;
	const { zones, source, country, areaCode, prefix } = decision.recipient;
	if ('never' in decision) {
		throw new NodeOperationError(
			run.node,
			`Item ${i + 1}: the Send Window is never open in all ${zones.length} time zones of ${country ?? phoneNumber} at once in the next ${LOOK_AHEAD_DAYS} days (${zones[0]} … ${zones[zones.length - 1]}): widen it, or set Several Time Zones to "Use the Fallback Time Zone"`,
			inputErrorOptions(i, 'options.sendWindow.window'),
		);
	}
	const json = {
		...ctx.getInputData()[i]?.json,
		phoneNumber,
		agentId,
		deferredUntil: new Date(decision.until).toISOString().replace('.000Z', 'Z'),
		deferredUntilLocal: decision.untilLocal,
		timeZone: decision.zone,
		...(zones.length > 1 ? { timeZones: zones } : {}),
		timeZoneSource: source,
		...(country ? { country } : {}),
		...(areaCode ? { areaCode } : {}),
		...(prefix ? { prefix } : {}),
	};
	return { output: OUTPUT_DEFERRED, json };
}

/**
 * One item: a suppressed recipient (opt-out list, README › Suppression) is never sent to and comes
 * out of "Sent" with `sent: false, suppressed: true`; the rest as sendOne says. Every item that
 * comes out carries Options › Campaign ID (README › Campaign report).
 */
async function execute(this: IExecuteFunctions, i: number, run: RunContext): Promise<ItemOutcome> {
	const who = recipient<SendOptions>(this, i, run);
	const campaignId = String(who.options.campaignId ?? '').trim();
	const campaign = campaignId ? { campaignId } : {};
	if (isSuppressed(who.options.suppress, i, run)) {
		const { phoneNumber, agentId } = who;
		return { output: OUTPUT_SUCCESS, json: { ...this.getInputData()[i]?.json, phoneNumber, agentId, ...campaign, sent: false, suppressed: true } };
	}
	const outcome = await sendOne.call(this, i, run, who);
	return campaignId ? { ...outcome, json: { ...outcome.json, ...campaign } } : outcome;
}

async function sendOne(this: IExecuteFunctions, i: number, run: RunContext, who: Recipient<SendOptions>): Promise<ItemOutcome> {
	const { client, options, phoneNumber, agentId } = who;
	const message = messageOf(i, run, options);
	const deferred = deferral(this, i, run, options, phoneNumber, agentId);
	if (deferred) return deferred;
	const messageId = deriveId('message', { executionId: run.executionId, nodeId: run.node.id, runIndex: run.runIndex, itemIndex: i }, agentId, options.idempotencyKey);
	const response = await client.request({
		method: 'POST',
		path: `/v1/phones/${phoneNumber}/agentMessages`,
		qs: { messageId, agentId },
		body: message as unknown as IDataObject,
		handledStatuses: [404, 409],
		operation: 'send',
		agentId,
		itemIndex: i,
	});
	const base = { messageId, phoneNumber, agentId };
	if (response.statusCode === 404) return notReachable(base, response);
	// RBM has our id already (an earlier try or run got through): accepted, not an error.
	if (response.statusCode === 409) return succeeded({ name: `phones/${phoneNumber}/agentMessages/${messageId}`, ...base, alreadyAccepted: true });
	return succeeded(base, response.body);
}

export const send: Operation = {
	// "Sent", "Not Reachable", and "Deferred" when the node has a Send Window (as its description's outputs say).
	outputs: (ctx) => (hasSendWindow(ctx.getNode().parameters.options) ? 3 : 2),
	execute,
	description: sendMessageProperties,
};
