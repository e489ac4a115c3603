import type { INodeTypeDescription } from 'n8n-workflow';

import { RbmToolbox } from './RbmToolbox.node';

/**
 * The toolbox's first type, `n8n-nodes-rbm.rbm`, kept so workflows saved with it still open and
 * run unchanged. Hidden from the node panel: new workflows get RBM Toolbox (`rbmToolbox`), which
 * the panel does not merge with RBM Trigger (see RbmToolbox.node.ts).
 */
export class Rbm extends RbmToolbox {
	description: INodeTypeDescription = {
		...new RbmToolbox().description,
		displayName: 'RBM',
		name: 'rbm',
		defaults: { name: 'RBM' },
		hidden: true,
	};
}
