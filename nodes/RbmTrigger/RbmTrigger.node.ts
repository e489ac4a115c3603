import type {
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { rbmCredentialTestMethods, readCredential } from '../shared/transport/credential';
import type { Consent } from './consent';
import { consentOf, DEFAULT_OPT_IN_KEYWORDS, DEFAULT_OPT_OUT_KEYWORDS, parseKeywords } from './consent';
import { triggerProperties, WEBHOOK_URL_NOTICE } from './description';
import { decodeData, readEnvelope, toEvent } from './events';
import { processMemoryFilter } from './redeliveryStore';
import { isValidSignature, sameSecret } from './signature';
import { CUSTOM, isWanted, TRIGGER_ON_SUBTITLES } from './triggerOn';
import { webhookUrlProblem } from './webhookUrl';
import { docsUrl } from '../shared/docs';

/** Ends the request ourselves with `status` and a short text; no workflow starts. */
function reply(ctx: IWebhookFunctions, status: number, text: string): IWebhookResponseData {
	const res = ctx.getResponseObject();
	res.status(status).type('text/plain').send(text).end();
	return { noWebhookResponse: true };
}

/** With Separate Outputs for Opt-Outs and Opt-Ins: Everything Else (0), Opt-out (1), Opt-in (2). */
function consentOutput(consent: Consent | undefined): number {
	if (consent?.optOut) return 1;
	return consent?.optIn ? 2 : 0;
}

async function clientTokenOf(ctx: IWebhookFunctions): Promise<string> {
	const fromNode = ctx.getNodeParameter('clientToken', '') as string;
	if (fromNode) return fromNode;
	try {
		return (await readCredential(ctx)).webhookClientToken ?? '';
	} catch {
		// No credential selected: the node parameter was the only possible source.
		return '';
	}
}

/** Scopes (workflow:node) already warned about the removed Redis filter, so the log says it once per process. */
const warnedRemovedRedis = new Set<string>();

/**
 * Redelivery Filter › Redis was removed (the package connects to no service but RBM). A node saved
 * with it keeps running, with this process's memory filter, and the log says so once.
 */
function warnIfRemovedRedis(ctx: IWebhookFunctions, scope: string): void {
	if (ctx.getNodeParameter('redeliveryStore', 'memory') !== 'redis' || warnedRemovedRedis.has(scope)) return;
	warnedRemovedRedis.add(scope);
	ctx.logger.warn(
		`RBM Trigger "${ctx.getNode().name}": Redelivery Filter › Redis was removed; this node keeps event IDs in this process's memory. For several n8n processes, claim each event ID with n8n's Redis node after the trigger (docs/queue-mode.md in the package's repository, linked from its README)`,
	);
}

/**
 * Publishing a workflow whose Production URL Google cannot call (plain HTTP, localhost, a private
 * address) is allowed (the local emulator calls such URLs), and n8n's log says why Google will not.
 */
function warnIfUnreachable(ctx: IHookFunctions): void {
	if (ctx.getActivationMode() === 'manual') return;
	const problem = webhookUrlProblem(ctx.getNodeWebhookUrl('default'));
	if (problem) {
		ctx.logger.warn(
			`RBM Trigger "${ctx.getNode().name}": Google cannot deliver RBM events to ${problem}. Set n8n's WEBHOOK_URL to a public https:// address, restart n8n and publish the workflow again.`,
		);
	}
}

export class RbmTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RBM Trigger',
		name: 'rbmTrigger',
		icon: { light: 'file:rbm.svg', dark: 'file:rbm.dark.svg' },
		group: ['trigger'],
		// 1.1 behaves as 1. n8n evaluates a legacy expression (the Webhook node v1's binary-data
		// option) for every request to a webhook node of typeVersion 1, and n8n 2.x evaluates
		// expressions in an isolated VM: about 15 ms of CPU per push (webhook-helpers.js
		// parseRequestBody), more than the rest of the request. New nodes are 1.1; workflows with a
		// 1 keep working (re-add the node, or set typeVersion 1.1 in the JSON, to be rid of the cost).
		version: [1, 1.1],
		// The preset's short name, or with "Your Choice of Events" the events picked.
		subtitle: `={{ (${JSON.stringify(TRIGGER_ON_SUBTITLES)})[$parameter["triggerOn"]] || ($parameter["events"] || []).join(", ") }}`,
		description: 'Starts the workflow on RBM webhook events: user replies, suggestion taps, locations, files, delivery and read receipts',
		documentationUrl: docsUrl('rbm-trigger'),
		defaults: { name: 'RBM Trigger' },
		inputs: [],
		// One output, as always, until Separate Outputs for Opt-Outs and Opt-Ins is on (the way n8n's
		// Webhook node grows one output per HTTP method); the first output keeps its connections.
		outputs: `={{ $parameter.consentOutputs ? [{ "type": "${NodeConnectionTypes.Main}", "displayName": "Everything Else" }, { "type": "${NodeConnectionTypes.Main}", "displayName": "Opt-out" }, { "type": "${NodeConnectionTypes.Main}", "displayName": "Opt-in" }] : ["${NodeConnectionTypes.Main}"] }}`,
		credentials: [
			{ name: 'rbmApi', required: false, testedBy: 'rbmApiTest' },
			// Not `redis` any more: a Redis credential that workflows saved with the removed Redis
			// filter still reference is never read (n8n ignores credentials a node does not declare).
		],
		// An accepted push is answered with an empty 200 (RBM only needs the status). Without
		// responseData, n8n 2.x answers "onReceived" webhooks with the literal text "firstEntryJson".
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: 'noData', path: 'webhook' }],
		// What the trigger panel (left of the settings) says, instead of n8n's "Go to RBM and create an event".
		triggerPanel: {
			header: 'Pull in events from RBM',
			executionsHelp: {
				inactive: `<b>While building your workflow</b>, click 'Execute step' and send a message to your agent from a test phone (or push an event from the RBM emulator): it shows up here. That uses the Test URL.<br /><br />${WEBHOOK_URL_NOTICE}`,
				active: `<b>This workflow is published</b>: every event Google sends to the Production URL starts an execution, listed in the <a data-key="executions">executions list</a>, not here.<br /><br />${WEBHOOK_URL_NOTICE}`,
			},
		},
		properties: triggerProperties,
	};

	methods = { credentialTest: rbmCredentialTestMethods };

	// The webhook is registered by hand in the RBM console (there is no API for partner webhooks),
	// so there is nothing to create or delete here.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				warnIfUnreachable(this);
				return true;
			},
			async create(): Promise<boolean> {
				return true;
			},
			async delete(): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const body = this.getBodyData() as IDataObject;
		const clientToken = await clientTokenOf(this);
		if (!clientToken) {
			this.logger.warn('RBM Trigger: no client token set (node field or credential), so events cannot be verified; rejecting');
			return reply(this, 401, 'RBM Trigger has no client token configured');
		}

		// Since July 2026 every RBM webhook request names its kind in X-Goog-Webhook-Type
		// (https://developers.google.com/business-communications/rcs-business-messaging/guides/integrate/webhooks).
		// Google's pages we could read do not list the values, so the body still decides and an
		// unknown value is never refused; the value is passed on in the item.
		const headers = this.getHeaderData();
		const typeHeader = headers['x-goog-webhook-type'];
		const webhookType = typeof typeHeader === 'string' && typeHeader !== '' ? typeHeader : undefined;

		// Verification handshake: { clientToken, secret } → 200 with the bare secret.
		const handshake = typeof body.clientToken === 'string' && typeof body.secret === 'string' && body.message === undefined;
		if (handshake) {
			if (!sameSecret(body.clientToken as string, clientToken)) return reply(this, 403, 'client token mismatch');
			return reply(this, 200, body.secret as string);
		}
		if (webhookType === 'verification') return reply(this, 400, 'verification request without clientToken and secret');

		const envelope = readEnvelope(body);
		const signature = headers['x-goog-signature'];
		// The signature is checked before the payload is decoded or acted on.
		if (typeof signature !== 'string' || signature === '') return reply(this, 401, 'missing X-Goog-Signature');
		if (!envelope) return reply(this, 400, 'not an RBM push (expected { message: { data } })');
		if (!isValidSignature(clientToken, envelope.data, signature)) return reply(this, 403, 'invalid X-Goog-Signature');

		const payload = decodeData(envelope.data);
		if (!payload) return reply(this, 400, 'message.data is not base64-encoded JSON');
		const event = toEvent(payload, envelope.attributes);

		// Trigger On's preset, or (Your Choice of Events, and workflows saved before Trigger On) Events.
		const triggerOn = this.getNodeParameter('triggerOn', CUSTOM) as string;
		if (!isWanted(event.filter, triggerOn, this.getNodeParameter('events', []) as string[])) return reply(this, 200, 'event type not selected');

		// Only a push that would start a workflow claims its id. A redelivery gets the 200 RBM waits
		// for, and starts nothing. The ids live in this process's memory, whatever the (removed)
		// Redis option says: an old workflow never stops over it.
		const dedupeId = event.dedupeId ?? envelope.pubsubMessageId;
		if (dedupeId) {
			const scope = `${this.getWorkflow().id ?? ''}:${this.getNode().id}`;
			warnIfRemovedRedis(this, scope);
			if (processMemoryFilter.claim(scope, dedupeId) === 'duplicate') return reply(this, 200, 'duplicate ignored');
		}

		// docs/opt-out.md: every user message carries optOut and optIn (and the keyword it matched).
		const consent = consentOf(event.item, {
			optOut: parseKeywords(this.getNodeParameter('optOutKeywords', DEFAULT_OPT_OUT_KEYWORDS)),
			optIn: parseKeywords(this.getNodeParameter('optInKeywords', DEFAULT_OPT_IN_KEYWORDS)),
		});
		const item: IDataObject = { ...event.item, ...consent };
		if (webhookType) item.webhookType = webhookType;
		// Several outputs: one array per output, as n8n's Webhook node returns for several methods.
		const separate = this.getNodeParameter('consentOutputs', false) === true;
		const workflowData: INodeExecutionData[][] = separate ? [[], [], []] : [[]];
		workflowData[separate ? consentOutput(consent) : 0] = this.helpers.returnJsonArray([item]);
		return { workflowData };
	}
}
