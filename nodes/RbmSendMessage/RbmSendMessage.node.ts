import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { forAgentTool } from '../shared/agentTool';
import { rbmCredentialTestMethods } from '../shared/transport/credential';
import { runOperation } from '../shared/operation';
import { send } from './actions/message/send.operation';

export class RbmSendMessage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RBM Send Message',
		name: 'rbmSendMessage',
		icon: { light: 'file:rbm.svg', dark: 'file:rbm.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["messageType"] + " → " + $parameter["phoneNumber"] }}',
		description: 'Send Google RCS Business Messaging (RBM) messages: text, chips, rich cards, carousels, media',
		documentationUrl: 'https://github.com/n8n-nodes-rbm/n8n-nodes-rbm#rbm-send-message',
		defaults: { name: 'RBM Send Message' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Sent', 'Not Reachable'],
		credentials: [{ name: 'rbmApi', required: true, testedBy: 'rbmApiTest' }],
		hints: [
			{
				message: 'Phones RCS cannot reach come out of "Not Reachable": connect an SMS node there for the fallback.',
				type: 'info',
				location: 'outputPane',
				whenToDisplay: 'afterExecution',
			},
			{
				message: 'Without an Idempotency Key, re-running the whole workflow (a new execution) sends again. Set Options › Idempotency Key for campaigns you may re-run.',
				type: 'info',
				location: 'inputPane',
				whenToDisplay: 'beforeExecution',
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
