/**
 * Runs our nodes inside n8n's real execution engine (n8n-core's WorkflowExecute): real parameter
 * and expression resolution, Retry On Fail, Continue On Fail, pairedItem checks, and n8n's own
 * HTTP helper (OutboundHttp) for every request. Only the credential store is a stand-in.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IBinaryData,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IRun,
	IWorkflowExecuteAdditionalData,
	NodeExecutionHint,
} from 'n8n-workflow';
import { NodeConnectionTypes, Workflow } from 'n8n-workflow';

import { Rbm } from '../../nodes/Rbm/Rbm.node';
import { RbmToolbox } from '../../nodes/Rbm/RbmToolbox.node';
import { RbmSendMessage } from '../../nodes/RbmSendMessage/RbmSendMessage.node';

/** A start node that emits the items given in its parameter, like a Manual Trigger + Set. */
class Items implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Items',
		name: 'items',
		group: ['input'],
		version: 1,
		description: 'test items',
		defaults: { name: 'Items' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Items', name: 'items', type: 'json', default: '[]' },
			{ displayName: 'Binary', name: 'binary', type: 'json', default: '[]' },
		],
	};

	async execute(this: import('n8n-workflow').IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as IDataObject[];
		const binary = JSON.parse(this.getNodeParameter('binary', 0, '[]') as string) as Array<Record<string, IBinaryData>>;
		return [items.map((json, i) => (binary[i] && Object.keys(binary[i]).length > 0 ? { json, binary: binary[i] } : { json }))];
	}
}

/** A node that passes its items on: something connected to one of the RBM node's outputs. */
class PassThrough implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pass Through',
		name: 'passThrough',
		group: ['transform'],
		version: 1,
		description: 'test downstream node',
		defaults: { name: 'Pass Through' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: import('n8n-workflow').IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

const nodeTypeMap: Record<string, INodeType> = {
	'test.items': new Items(),
	'test.passThrough': new PassThrough(),
	'n8n-nodes-rbm.rbmSendMessage': new RbmSendMessage(),
	'n8n-nodes-rbm.rbmToolbox': new RbmToolbox(),
	'n8n-nodes-rbm.rbm': new Rbm(),
	// The tool forms n8n derives from usableAsTool: the same node under its type name + "Tool" (docs/ai-agent-tool.md).
	'n8n-nodes-rbm.rbmSendMessageTool': new RbmSendMessage(),
	'n8n-nodes-rbm.rbmToolboxTool': new RbmToolbox(),
	'n8n-nodes-rbm.rbmTool': new Rbm(),
};

const nodeTypes: INodeTypes = {
	getByName: (name: string) => nodeTypeMap[name],
	getByNameAndVersion: (name: string) => nodeTypeMap[name],
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;

export interface NodeSettings {
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
}

export interface RunNodeOptions {
	type?: string;
	/** The RBM node's typeVersion (default 1, as workflows saved before RBM Send Message version 2). */
	typeVersion?: number;
	items: IDataObject[];
	/** Binary data per item (base64 `data`, `mimeType`, `fileName`), as n8n keeps it in memory mode. */
	binary?: Array<Record<string, IBinaryData>>;
	parameters: IDataObject;
	credentials: ICredentialDataDecryptedObject;
	settings?: NodeSettings;
	executionId?: string;
	/** Cancels the execution (as the editor's Stop button does) after this many ms. */
	cancelAfterMs?: number;
	/** Name of the node that emits the items (default "Items"), for expressions like $('Contacts').item. */
	itemsNodeName?: string;
	/** Outputs of the RBM node that have a node connected (default: none), e.g. [1] for an SMS fallback. */
	connectOutputs?: number[];
}

export interface NodeRun {
	run: IRun;
	/** Outputs of the node's last run: [Sent, Not Reachable, (error output)]. */
	outputs: INodeExecutionData[][];
	/** The notices n8n shows under the node's output (execution hints) of its last run. */
	hints: NodeExecutionHint[];
	error?: Error & { description?: string; context?: IDataObject; httpCode?: string };
}

/** The `error` of an error item (Continue On Fail), as nodes/shared/runItems.ts builds it. */
export interface ItemError {
	message: string;
	description?: string;
	field?: string;
	itemIndex: number;
	code?: number;
	status?: string;
}

/** An error item's `error` (undefined for other items). */
export function itemError(item: INodeExecutionData): ItemError | undefined {
	const error = item.json.error;
	return typeof error === 'object' && error !== null && 'message' in error ? (error as unknown as ItemError) : undefined;
}

let executionCounter = 0;

export async function runNode(options: RunNodeOptions): Promise<NodeRun> {
	const executionId = options.executionId ?? `exec-${++executionCounter}-${Date.now()}`;
	const itemsName = options.itemsNodeName ?? 'Items';
	const nodes: INode[] = [
		{ id: 'items', name: itemsName, type: 'test.items', typeVersion: 1, position: [0, 0], parameters: { items: JSON.stringify(options.items), binary: JSON.stringify(options.binary ?? []) } },
		{
			id: 'rbm-node-1',
			name: 'RBM',
			type: options.type ?? 'n8n-nodes-rbm.rbmSendMessage',
			typeVersion: options.typeVersion ?? 1,
			position: [200, 0],
			parameters: options.parameters as INodeParameters,
			credentials: { rbmApi: { id: 'cred-1', name: 'RBM test credential' } },
			...options.settings,
		},
	];
	const connections: IConnections = { [itemsName]: { main: [[{ node: 'RBM', type: NodeConnectionTypes.Main, index: 0 }]] } };
	const connected = options.connectOutputs ?? [];
	if (connected.length > 0) {
		const main: IConnections[string]['main'] = [];
		for (const output of connected) {
			const name = `After output ${output}`;
			nodes.push({ id: `after-${output}`, name, type: 'test.passThrough', typeVersion: 1, position: [400, output * 200], parameters: {} });
			main[output] = [{ node: name, type: NodeConnectionTypes.Main, index: 0 }];
		}
		connections.RBM = { main: Array.from(main, (c) => c ?? []) };
	}
	const workflow = new Workflow({ id: 'wf-test', name: 'test', nodes, connections, active: false, nodeTypes, settings: { executionOrder: 'v1' } });
	const hooks = new ExecutionLifecycleHooks('manual', executionId, {
		id: 'wf-test',
		name: 'test',
		nodes,
		connections,
		active: false,
		settings: {},
		createdAt: new Date(),
		updatedAt: new Date(),
		isArchived: false,
		activeVersionId: null,
	} as never);
	const additionalData = {
		hooks,
		executionId,
		userId: 'user-1',
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		variables: {},
		credentialsHelper: {
			getDecrypted: async () => options.credentials,
			getParentTypes: () => [],
			authenticate: async (_c: unknown, _t: string, request: unknown) => request,
			preAuthentication: async () => undefined,
			isCredentialUsableByNode: () => true,
		},
	} as unknown as IWorkflowExecuteAdditionalData;
	const running = new WorkflowExecute(additionalData, 'manual').run({ workflow, startNode: workflow.getNode(itemsName)! });
	if (options.cancelAfterMs !== undefined) setTimeout(() => running.cancel(), options.cancelAfterMs);
	const run = await running;
	const taskData = run.data.resultData.runData.RBM ?? [];
	const last = taskData[taskData.length - 1];
	const outputs = (last?.data?.main ?? []).map((o) => o ?? []);
	return { run, outputs, hints: last?.hints ?? [], error: run.data.resultData.error as NodeRun['error'] };
}
