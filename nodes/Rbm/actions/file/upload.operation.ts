/** File › Upload: put a file in RBM's store once (kept 60 days) and reuse its name in media messages. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { inputError, readAgentId } from '../../../shared/itemInputs';
import type { ItemOutcome } from '../../../shared/runItems';
import type { Operation, RunContext } from '../../../shared/operation';
import { succeeded } from '../../../shared/operation';
import { agentIdField, forOperation, optionsField } from '../common';

/** Media types RBM accepts (https://developers.google.com/business-communications/rcs-business-messaging/guides/build/messages/send#media). */
export const SUPPORTED_MEDIA_TYPES = [
	'image/jpeg', 'image/jpg', 'image/gif', 'image/png',
	'video/h263', 'video/m4v', 'video/mp4', 'video/mpeg', 'video/mpeg4', 'video/webm',
	'audio/aac', 'audio/mp3', 'audio/mpeg', 'audio/mpg', 'audio/mp4', 'audio/mp4-latm', 'audio/3gpp', 'application/ogg', 'audio/ogg',
	'application/pdf',
];
const MAX_FILE_BYTES = 100 * 1024 * 1024;

function optional(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

async function execute(this: IExecuteFunctions, i: number, run: RunContext): Promise<ItemOutcome> {
	const client = run.client(i);
	const agentId = readAgentId(this, i, run.read);
	const source = run.read('uploadSource', i, 'url') as string;
	let response;
	if (source === 'binary') {
		const property = run.read('binaryPropertyName', i, 'data') as string;
		const item = this.getInputData()[i];
		const binary = item.binary?.[property];
		if (!binary) {
			throw inputError(this, i, `No binary property "${property}": connect a node that outputs a file (e.g. Read/Write Files, HTTP Request with "File" response)`, 'binaryPropertyName');
		}
		const mimeType = (binary.mimeType ?? '').toLowerCase().split(';')[0].trim();
		if (!SUPPORTED_MEDIA_TYPES.includes(mimeType)) {
			throw inputError(this, i, `File type "${mimeType || 'unknown'}" is not supported by RBM (images, videos, audio and PDF: ${SUPPORTED_MEDIA_TYPES.join(', ')})`, 'binaryPropertyName');
		}
		const buffer = await this.helpers.getBinaryDataBuffer(i, property);
		if (buffer.length > MAX_FILE_BYTES) {
			throw inputError(this, i, `File is ${(buffer.length / 1048576).toFixed(1)} MiB; RBM allows at most 100 MiB`, 'binaryPropertyName');
		}
		response = await client.request({ method: 'POST', path: '/upload/v1/files', qs: { agentId }, body: buffer, contentType: mimeType, operation: 'file upload', agentId, itemIndex: i });
	} else {
		const fileUrl = optional(run.read('fileUrl', i, ''));
		if (!fileUrl || !/^https?:\/\/\S+$/i.test(fileUrl) || fileUrl.length > 2048) {
			throw inputError(this, i, 'File URL must be a public http(s) URL of at most 2048 characters', 'fileUrl');
		}
		const thumbnailUrl = optional(run.read('thumbnailUrl', i, ''));
		if (thumbnailUrl && !/^https?:\/\/\S+$/i.test(thumbnailUrl)) throw inputError(this, i, 'Thumbnail URL must be an http(s) URL', 'thumbnailUrl');
		// files.create takes fileUrl, thumbnailUrl and agentId only. Alt text now belongs to the card's
		// media (media.contentDescription); an old workflow's Content Description is not read.
		const body: IDataObject = { fileUrl, agentId };
		if (thumbnailUrl) body.thumbnailUrl = thumbnailUrl;
		response = await client.request({ method: 'POST', path: '/v1/files', qs: { agentId }, body, operation: 'file upload', agentId, itemIndex: i });
	}
	return succeeded({ fileName: (response.body as IDataObject).name, agentId }, response.body);
}

export const upload: Operation = {
	outputs: 1,
	execute,
	description: forOperation('file', 'upload', [
		agentIdField,
		{
			displayName: 'Source',
			name: 'uploadSource',
			type: 'options',
			default: 'url',
			options: [
				{ name: 'Binary File', value: 'binary', description: 'A file from a previous node' },
				{ name: 'URL', value: 'url', description: 'RBM downloads the file (one redirect allowed)' },
			],
		},
		{ displayName: 'File URL', name: 'fileUrl', type: 'string', default: '', placeholder: 'https://example.com/video.mp4', displayOptions: { show: { uploadSource: ['url'] } } },
		{ displayName: 'Thumbnail URL', name: 'thumbnailUrl', type: 'string', default: '', description: 'Optional; without it RBM makes one', displayOptions: { show: { uploadSource: ['url'] } } },
		{ displayName: 'Input Binary Field', name: 'binaryPropertyName', type: 'string', default: 'data', hint: 'The name of the binary field holding the file', displayOptions: { show: { uploadSource: ['binary'] } } },
		optionsField(),
	]),
};
