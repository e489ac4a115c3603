/**
 * What RBM Send Message's items look like (docs/send-message.md › Outputs). Since version 2 (and in version 1
 * once Options › Include Input Fields or Include Message Content is added) every item leads with
 * `phoneNumber`, `sendStatus` and `messageId`, then carries the input item's fields (the contact),
 * then the node's other fields; RBM's answer sits under `agentMessage`, so it never overwrites a
 * contact's field (RBM's resource `name` used to replace the contact's `name`). The content RBM
 * accepted is echoed only with Include Message Content. Version 1 nodes without either option keep
 * the version 1 shape: RBM's answer at the top level, no input fields on Sent and Not Reachable.
 */
import type { IDataObject, INode, INodeProperties } from 'n8n-workflow';

/** What happened to the item, as `sendStatus` says it. Error items (Continue On Fail) carry `error` instead. */
export type SendStatus = 'sent' | 'notReachable' | 'deferred' | 'suppressed';

/** Options › Include Input Fields and Include Message Content (in the node's sorted Options). */
export const outputOptions: INodeProperties[] = [
	{
		displayName: 'Include Input Fields',
		name: 'includeInputFields',
		type: 'boolean',
		default: true,
		description:
			'Whether Sent and Not Reachable items keep the input item\'s fields (the contact: name, email…) after "phoneNumber", "sendStatus" and "messageId", with RBM\'s answer under "agentMessage". On in new nodes; nodes saved before version 2 switch to this shape when it is added. Deferred items always keep them (to loop back into this node).',
	},
	{
		displayName: 'Include Message Content',
		name: 'includeMessageContent',
		type: 'boolean',
		default: true,
		description: 'Whether Sent items also carry the content RBM accepted, as "agentMessage.contentMessage" (e.g. to log what each contact got)',
	},
];

export interface OutputShape {
	/** Version 1's shape: RBM's answer at the top level, input fields only on Deferred and suppressed items. */
	v1: boolean;
	/** The input item's fields on Sent, Not Reachable and suppressed items. */
	inputFields: boolean;
	/** `agentMessage.contentMessage` on Sent items. */
	content: boolean;
}

/**
 * The shape of one item's output. As an AI-agent tool the item the node gets is the agent's, not a
 * contact: its fields are left out unless Include Input Fields is set, so the model reads only what
 * the node did.
 */
export function outputShape(options: { includeInputFields?: unknown; includeMessageContent?: unknown }, node: INode, asTool: boolean): OutputShape {
	const { includeInputFields, includeMessageContent } = options;
	const chosen = (value: unknown): boolean | undefined => (value === undefined || value === null || value === '' ? undefined : value === true || value === 'true');
	const inputFields = chosen(includeInputFields);
	const content = chosen(includeMessageContent);
	if (node.typeVersion < 2 && inputFields === undefined && content === undefined) return { v1: true, inputFields: false, content: true };
	return { v1: false, inputFields: inputFields ?? !asTool, content: content ?? false };
}

/**
 * An item in the current shape: `phoneNumber`, `sendStatus` and `messageId` first (those there are),
 * then the input's fields when `withInput`, then `rest`, the node's other fields. The node's fields
 * win over an input field of the same name (a contact's `phoneNumber` becomes the E.164 form the
 * message went to) and keep their place.
 */
export function shapedItem(status: SendStatus, input: IDataObject | undefined, withInput: boolean, lead: { phoneNumber?: unknown; messageId?: string }, rest: IDataObject): IDataObject {
	const first: IDataObject = {};
	if (lead.phoneNumber !== undefined) first.phoneNumber = lead.phoneNumber as IDataObject[string];
	first.sendStatus = status;
	if (lead.messageId !== undefined) first.messageId = lead.messageId;
	const json: IDataObject = { ...first };
	if (withInput && input) Object.assign(json, input);
	return Object.assign(json, first, rest);
}

/** RBM's answer to a send (the created AgentMessage) as `agentMessage` carries it: its content only when asked for. */
export function agentMessageOf(answer: IDataObject, shape: OutputShape): IDataObject {
	if (shape.content) return answer;
	const rest = { ...answer };
	delete rest.contentMessage;
	return rest;
}
