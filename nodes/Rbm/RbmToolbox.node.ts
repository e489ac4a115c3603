import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { forAgentTool } from '../shared/agentTool';
import { docsUrl } from '../shared/docs';
import { rbmCredentialTestMethods } from '../shared/transport/credential';
import { route, TWO_OUTPUT_OPERATIONS } from './actions/router';
import { rbmProperties } from './description';

const TWO_OUTPUTS = '[{ "type": "main", "displayName": "Success" }, { "type": "main", "displayName": "Not Reachable" }]';
const ONE_OUTPUT = '[{ "type": "main", "displayName": "Success" }]';

/**
 * The RBM toolbox: capability checks, revoke, typing/read events, file upload, and (Business
 * Communications API) testers, launch and verification state, regions, agent performance.
 *
 * Its type is `rbmToolbox`, not `rbm`: n8n's node panel merges an action node `x` with a trigger
 * `xTrigger` into one entry that shows the trigger's description (generateMergedNodesAndActions in
 * n8n's editor), so as `rbm` it hid behind "RBM Trigger"'s text. The old type stays, hidden, for
 * workflows that use it (Rbm.node.ts).
 */
export class RbmToolbox implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RBM Toolbox',
		name: 'rbmToolbox',
		icon: { light: 'file:rbm.svg', dark: 'file:rbm.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'RCS tools: check which phones can get RCS, revoke a message, show typing or read, upload a file, invite testers, see launch state and traffic limits',
		documentationUrl: docsUrl('rbm-toolbox'),
		defaults: { name: 'RBM Toolbox' },
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
