/** Message › Send (the RBM Send Message node): one checked AgentMessage per item, sent once, routed to Sent or Not Reachable (or held: Deferred, suppressed). */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { combineFields, optionFields, shown } from '../../../shared/content/agentMessageFields';
import { checkMessageSize } from '../../../shared/content/limits';
import { buildMessage } from '../../../shared/content/message';
import type { AgentMessage } from '../../../shared/content/types';
import { ContentError } from '../../../shared/content/types';
import { runsAsAgentTool } from '../../../shared/agentTool';
import { deriveId } from '../../../shared/ids';
import { inputError, normalizeAgentId, readAgentId, readPhone } from '../../../shared/itemInputs';
import type { Operation, RecipientOptions, RunContext } from '../../../shared/operation';
import { notReachable, OUTPUT_DEFERRED, OUTPUT_SUCCESS, succeeded } from '../../../shared/operation';
import { normalizePhone } from '../../../shared/phone';
import type { ItemOutcome, ItemSteps } from '../../../shared/runItems';
import type { SendWindowParameters, SendWindowRule } from '../../../shared/sendWindow/options';
import { hasSendWindow, readSendWindow } from '../../../shared/sendWindow/options';
import { LOOK_AHEAD_DAYS, sendWindowDecision } from '../../../shared/sendWindow/window';
import { sendMessageProperties } from '../../description';
import type { OutputShape } from './output';
import { agentMessageOf, outputShape, shapedItem } from './output';

export interface SendOptions extends RecipientOptions {
	messageTrafficType?: string;
	ttl?: number;
	expireTime?: string;
	idempotencyKey?: string;
	sendWindow?: { window?: SendWindowParameters };
	campaignId?: string;
	/** Options › Skip (Suppressed): per item, usually an expression such as {{ $json.optedOut }}. */
	suppress?: unknown;
	/** Options › Include Input Fields / Include Message Content: the items' shape (./output.ts). */
	includeInputFields?: unknown;
	includeMessageContent?: unknown;
}

/**
 * Options › Skip (Suppressed), read for an item: a boolean, or true/false as text in any letter case
 * and with spaces around (spreadsheets give "TRUE", "False"). An expression over a lookup that found
 * nothing gives undefined, null or "": not suppressed. Anything else is an error naming item and field.
 */
function isSuppressed(value: unknown, i: number, run: RunContext): boolean {
	if (typeof value === 'boolean') return value;
	if (value === undefined || value === null) return false;
	if (typeof value === 'string') {
		const text = value.trim().toLowerCase();
		if (text === 'true') return true;
		if (text === 'false' || text === '') return false;
	}
	throw inputError(
		run.node,
		i,
		`Options › Skip (Suppressed) is ${shown(value)}; it must be true or false (a boolean, or the text true/false in any letter case), e.g. {{ $json.optedOut }}`,
		'options.suppress',
	);
}

function contentError(error: unknown, i: number, run: RunContext): NodeOperationError {
	if (error instanceof ContentError) return inputError(run.node, i, error.message, error.field, error.detail);
	return new NodeOperationError(run.node, error as Error, { itemIndex: i });
}

/** The item's AgentMessage: content (checked once, in buildMessage), Options' and JSON's fields, size. */
function messageOf(i: number, run: RunContext, options: SendOptions): AgentMessage {
	try {
		const fromOptions = optionFields(options);
		const built = buildMessage(run.read('messageType', i) as string, (name, fallback) => run.read(name, i, fallback), {
			defaultCountry: options.defaultCountry,
			typedJson: run.node.parameters.json,
			version: run.node.typeVersion,
		});
		// A JSON AgentMessage may carry traffic type and expiry too: see combineFields for the rule.
		const message: AgentMessage = { contentMessage: built.contentMessage, ...combineFields(fromOptions, built.fields) };
		checkMessageSize(message);
		return message;
	} catch (error) {
		throw contentError(error, i, run);
	}
}

/** Options › Send Window of the item, checked; undefined when it has none. */
function sendWindowOf(i: number, run: RunContext, options: SendOptions): SendWindowRule | undefined {
	try {
		return readSendWindow(options.sendWindow);
	} catch (error) {
		throw contentError(error, i, run);
	}
}

/** An item checked and ready to send: everything the request needs, read and validated once. */
interface Checked {
	phoneNumber: string;
	agentId: string;
	/** `{ campaignId }` when Options › Campaign ID is set (docs/send-message.md › Campaign report), else {}. */
	campaign: IDataObject;
	message: AgentMessage;
	messageId: string;
	/** Options › Send Window, and the minute it was found open (the same decision holds all that minute). */
	window?: { rule: SendWindowRule; openMinute: number };
	shape: OutputShape;
}

/** The part of an item that is not the message: who, and for which campaign. */
interface Recipient {
	phoneNumber: string;
	agentId: string;
	campaign: IDataObject;
}

const MINUTE = 60_000;

function campaignOf(options: SendOptions): IDataObject {
	const campaignId = String(options.campaignId ?? '').trim();
	return campaignId ? { campaignId } : {};
}

/**
 * The recipient as the item gives it, without checking anything (a suppressed item, an error
 * item): the phone in E.164 and the short agent id where they can be read so, else as given.
 */
function recipientAsGiven(i: number, run: RunContext, options: SendOptions): IDataObject {
	const out: IDataObject = {};
	const read = (name: string): unknown => {
		try {
			return run.read(name, i, '');
		} catch {
			return undefined;
		}
	};
	const phone = read('phoneNumber');
	if (phone !== undefined) {
		const parsed = normalizePhone(phone, typeof options.defaultCountry === 'string' && options.defaultCountry ? options.defaultCountry : undefined);
		out.phoneNumber = (parsed.ok ? parsed.e164 : phone) as IDataObject[string];
	}
	const agent = read('agentId');
	if (agent !== undefined) out.agentId = (normalizeAgentId(agent) ?? agent) as IDataObject[string];
	return out;
}

/**
 * Options › Send Window at instant `now`: undefined when the message may go, else the item for
 * "Deferred": the input item's fields (so a Wait node can loop it back into this node, whatever
 * Include Input Fields says), with the recipient and when the window opens (docs/send-window.md).
 */
function deferral(input: INodeExecutionData | undefined, i: number, run: RunContext, rule: SendWindowRule, who: Recipient, now: number, shape: OutputShape): ItemOutcome | undefined {
	const { phoneNumber, agentId } = who;
	const decision = sendWindowDecision(phoneNumber, now, rule.window, rule);
	if (!decision.recipient) {
		throw inputError(run.node, i, `Phone Number ${phoneNumber} belongs to no country, so its local time is unknown: set Options › Send Window › Fallback Time Zone`, 'phoneNumber');
	}
	if (decision.open) return undefined;
	const { zones, source, country, areaCode, prefix } = decision.recipient;
	if ('never' in decision) {
		throw inputError(
			run.node,
			i,
			`the Send Window is never open in all ${zones.length} time zones of ${country ?? phoneNumber} at once in the next ${LOOK_AHEAD_DAYS} days (${zones[0]} … ${zones[zones.length - 1]}): widen it, or set Several Time Zones to "Use the Fallback Time Zone"`,
			'options.sendWindow.window',
		);
	}
	const when = {
		deferredUntil: new Date(decision.until).toISOString().replace('.000Z', 'Z'),
		deferredUntilLocal: decision.untilLocal,
		timeZone: decision.zone,
		...(zones.length > 1 ? { timeZones: zones } : {}),
		timeZoneSource: source,
		...(country ? { country } : {}),
		...(areaCode ? { areaCode } : {}),
		...(prefix ? { prefix } : {}),
	};
	const json = shape.v1 ? { ...input?.json, phoneNumber, agentId, ...who.campaign, ...when } : shapedItem('deferred', input?.json, true, { phoneNumber }, { agentId, ...who.campaign, ...when });
	return { output: OUTPUT_DEFERRED, json };
}

/**
 * The two steps of every item (nodes/shared/runItems.ts, runSteps):
 * - check, before anything is sent: Skip (Suppressed) first (a suppressed person is never checked
 *   further or sent to, and comes out of "Sent" with `sent: false, suppressed: true`,
 *   docs/send-message.md › Suppression), then phone, agent, content and limits, Options, the Send Window (Deferred now,
 *   or an error when it can never open), the message id;
 * - send: the checked request (the Send Window decided again only if a minute has passed), routed
 *   to Sent or Not Reachable.
 * Every item that comes out, error items too, carries Options › Campaign ID (docs/send-message.md › Campaign report).
 */
function steps(this: IExecuteFunctions, run: RunContext): ItemSteps<Checked> {
	const items = this.getInputData();
	const asTool = runsAsAgentTool(this);
	return {
		check: (i) => {
			const options = run.read('options', i, {}) as SendOptions;
			const campaign = campaignOf(options);
			const shape = outputShape(options, run.node, asTool);
			if (isSuppressed(options.suppress, i, run)) {
				const who = recipientAsGiven(i, run, options);
				const rest = { ...who, ...campaign, sent: false, suppressed: true };
				const json = shape.v1 ? { ...items[i]?.json, ...rest } : shapedItem('suppressed', items[i]?.json, shape.inputFields, who, rest);
				return { done: { output: OUTPUT_SUCCESS, json } };
			}
			const who: Recipient = { phoneNumber: readPhone(this, i, options.defaultCountry, run.read), agentId: readAgentId(this, i, run.read), campaign };
			const message = messageOf(i, run, options);
			const rule = sendWindowOf(i, run, options);
			let window: Checked['window'];
			if (rule) {
				const now = Date.now();
				const deferred = deferral(items[i], i, run, rule, who, now, shape);
				if (deferred) return { done: deferred };
				window = { rule, openMinute: Math.floor(now / MINUTE) };
			}
			const messageId = deriveId('message', { executionId: run.executionId, nodeId: run.node.id, runIndex: run.runIndex, itemIndex: i }, who.agentId, options.idempotencyKey);
			return { send: { ...who, message, messageId, window, shape } };
		},
		send: async (i, checked) => await sendOne(run, i, checked, items[i]),
		errorFields: (i, checked) => {
			if (checked) return { phoneNumber: checked.phoneNumber, agentId: checked.agentId, ...checked.campaign };
			const options = run.read('options', i, {}) as SendOptions;
			return { ...recipientAsGiven(i, run, options), ...campaignOf(options) };
		},
	};
}

async function sendOne(run: RunContext, i: number, checked: Checked, input: INodeExecutionData | undefined): Promise<ItemOutcome> {
	const { phoneNumber, agentId, messageId, window, shape } = checked;
	if (window) {
		// Sending can start minutes after the check (a long list, a rate limit): the window may have closed.
		const now = Date.now();
		const deferred = Math.floor(now / MINUTE) === window.openMinute ? undefined : deferral(input, i, run, window.rule, checked, now, shape);
		if (deferred) return deferred;
	}
	const response = await run.client(i).request({
		method: 'POST',
		path: `/v1/phones/${phoneNumber}/agentMessages`,
		qs: { messageId, agentId },
		body: checked.message as unknown as IDataObject,
		handledStatuses: [404, 409],
		operation: 'send',
		agentId,
		itemIndex: i,
	});
	// RBM has our id already (an earlier try or run got through): accepted, not an error, with the name RBM gave it.
	const already = response.statusCode === 409 ? { name: `phones/${phoneNumber}/agentMessages/${messageId}` } : undefined;
	if (shape.v1) {
		// Version 1's shape: RBM's answer at the top level, under the request's own fields.
		const base = { messageId, phoneNumber, agentId, ...checked.campaign };
		if (response.statusCode === 404) return notReachable(base, response);
		return already ? succeeded({ ...already, ...base, alreadyAccepted: true }) : succeeded(base, response.body);
	}
	const lead = { phoneNumber, messageId };
	const rest: IDataObject = { agentId, ...checked.campaign };
	if (response.statusCode === 404) {
		const { output, json } = notReachable(rest, response);
		return { output, json: shapedItem('notReachable', input?.json, shape.inputFields, lead, json) };
	}
	const answer = already ?? succeeded({}, response.body).json;
	const json = shapedItem('sent', input?.json, shape.inputFields, lead, { ...rest, ...(already ? { alreadyAccepted: true } : {}), agentMessage: agentMessageOf(answer, shape) });
	return { output: OUTPUT_SUCCESS, json };
}

export const send: Operation = {
	// "Sent", "Not Reachable", and "Deferred" when the node has a Send Window (as its description's outputs say).
	outputs: (ctx) => (hasSendWindow(ctx.getNode().parameters.options) ? 3 : 2),
	steps,
	description: sendMessageProperties,
};
