/** UI fields every operation of the RBM node shares (the contract they follow: shared/operation.ts). */
import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

export function forOperation(resource: string, operation: string, properties: INodeProperties[]): INodeProperties[] {
	return updateDisplayOptions({ show: { resource: [resource], operation: [operation] } }, properties);
}

export { agentIdField, optionsField, phoneNumberField } from '../../shared/fields';

/** The id of a message an operation acts on; `description` says whose. */
export function messageIdField(description: string): INodeProperties {
	return { displayName: 'Message ID', name: 'messageId', type: 'string', required: true, default: '', placeholder: '={{ $json.messageId }}', description };
}
