import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { forAgentTool } from '../shared/agentTool';
import { rbmCredentialTestMethods } from '../shared/transport/credential';
import { runOperation } from '../shared/operation';
import { send } from './actions/message/send.operation';
import { docsUrl } from '../shared/docs';
import { HAS_SEND_WINDOW } from '../shared/sendWindow/options';

const OUTPUTS = '{ "type": "main", "displayName": "Sent" }, { "type": "main", "displayName": "Not Reachable" }';
const DEFERRED = '{ "type": "main", "displayName": "Deferred" }';

export class RbmSendMessage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RBM Send Message',
		name: 'rbmSendMessage',
		icon: { light: 'file:rbm.svg', dark: 'file:rbm.dark.svg' },
		group: ['output'],
		// Version 2 (the default for new nodes): one Cards list for Rich Card and Carousel, so changing
		// Message Type keeps the cards. Version 1 nodes keep Rich Card's own fields and run as before.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{ $parameter["messageType"] + " → " + $parameter["phoneNumber"] }}',
		description: 'Send Google RCS Business Messaging (RBM) messages: text, buttons, rich cards, carousels, media',
		documentationUrl: docsUrl('rbm-send-message'),
		defaults: { name: 'RBM Send Message' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		// A third output, "Deferred", only with Options › Send Window: nodes without it keep their two
		// outputs and connections (n8n evaluates an expression here, as for RBM Toolbox).
		outputs: `={{ ${HAS_SEND_WINDOW} ? [${OUTPUTS}, ${DEFERRED}] : [${OUTPUTS}] }}`,
		outputNames: ['Sent', 'Not Reachable', 'Deferred'],
		credentials: [{ name: 'rbmApi', required: true, testedBy: 'rbmApiTest' }],
		// Shown before a run only while no Idempotency Key is set. After a run, notices come from the
		// run itself (nodes/shared/executionHints.ts): "already sent" and an unconnected Not Reachable.
		hints: [
			{
				message: 'Without an Idempotency Key, re-running the whole workflow (a new execution) sends again. Set Options › Idempotency Key for campaigns you may re-run.',
				type: 'info',
				location: 'inputPane',
				whenToDisplay: 'beforeExecution',
				displayCondition: '={{ !$parameter["options"]["idempotencyKey"] }}',
			},
		],
		properties: send.description,
	};

	methods = { credentialTest: rbmCredentialTestMethods };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// As an AI-agent tool: one output the model can read (nodes/shared/agentTool.ts).
		return forAgentTool(this, await runOperation.call(this, send));
	}
}
