import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { forAgentTool } from '../shared/agentTool';
import { rbmCredentialTestMethods } from '../shared/transport/credential';
import { route, TWO_OUTPUT_OPERATIONS } from './actions/router';
import { rbmProperties } from './description';

const TWO_OUTPUTS = '[{ "type": "main", "displayName": "Success" }, { "type": "main", "displayName": "Not Reachable" }]';
const ONE_OUTPUT = '[{ "type": "main", "displayName": "Success" }]';

export class Rbm implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RBM',
		name: 'rbm',
		icon: { light: 'file:rbm.svg', dark: 'file:rbm.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Google RCS Business Messaging: capability checks, revoke, typing and read events, file upload',
		documentationUrl: 'https://github.com/n8n-nodes-rbm/n8n-nodes-rbm#rbm',
		defaults: { name: 'RBM' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		// Operations that can meet an unreachable phone get a second output, like RBM Send Message.
		outputs: `={{ ${JSON.stringify(TWO_OUTPUT_OPERATIONS)}.includes($parameter["operation"]) ? ${TWO_OUTPUTS} : ${ONE_OUTPUT} }}`,
		credentials: [{ name: 'rbmApi', required: true, testedBy: 'rbmApiTest' }],
		properties: rbmProperties,
	};

	methods = { credentialTest: rbmCredentialTestMethods };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// As an AI-agent tool: one output the model can read (nodes/shared/agentTool.ts).
		return forAgentTool(this, await route.call(this));
	}
}
