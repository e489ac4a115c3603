import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { EmulatorOptions, RbmEmulator } from '../../emulator';
import { startEmulator } from '../../emulator';

export interface EmulatorFixture {
	emulator: RbmEmulator;
	credentials: ICredentialDataDecryptedObject;
	keyJson: string;
}

/** An emulator on 127.0.0.1 with one registered key, and an rbmApi credential pointing at it. */
export async function emulatorWithCredential(options: EmulatorOptions = {}): Promise<EmulatorFixture> {
	const emulator = await startEmulator({ host: '127.0.0.1', port: 0, deliveryDelayMs: 60_000, ...options });
	const keyJson = JSON.stringify(emulator.createServiceAccountKey());
	return { emulator, keyJson, credentials: { serviceAccountJson: keyJson, region: 'global', baseUrl: `${emulator.url}/{region}` } };
}

export const textParams = (overrides: Record<string, unknown> = {}) => ({
	phoneNumber: '={{ $json.phone }}',
	agentId: 'welcome-bot',
	messageType: 'text',
	text: '={{ "Hello " + $json.name }}',
	...overrides,
});
