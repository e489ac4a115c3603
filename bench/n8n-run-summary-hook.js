'use strict';
/**
 * An n8n external hook file (EXTERNAL_HOOK_FILES, n8n's documented "backend hooks") that bench/lib.js
 * `measure()` loads into each measured `n8n execute` main process. n8n 2.40.7 calls
 * `workflow.postExecute(fullRunData, workflowData, executionId)` in the main process once the
 * execution has finished (also when it failed), before `n8n execute` prints the run JSON and exits.
 *
 * It writes a small JSON summary of the run to $RBM_BENCH_SUMMARY: status, the workflow error, and
 * for every node every run's startTime, executionTime and item count per output. The file is
 * written synchronously to a temporary name and renamed, so it is either complete or absent: it
 * cannot be cut short the way the tens of MB of run JSON printed to stdout at exit can.
 *
 * $RBM_BENCH_RUN_FILE (optional): also the whole run (n8n's IRun) as JSON, for callers that need
 * the items themselves (bench/soak.js). Costs a JSON.stringify of the run in the measured process.
 *
 * Does nothing unless RBM_BENCH_SUMMARY is set; never throws into n8n (a throwing external hook
 * would fail the execution).
 */
const fs = require('node:fs');

function errorOf(error) {
	if (!error) return null;
	return {
		message: typeof error.message === 'string' ? error.message : String(error.message ?? error),
		description: typeof error.description === 'string' ? error.description : undefined,
		node: error.node && typeof error.node.name === 'string' ? error.node.name : undefined,
	};
}

function writeAtomically(file, text) {
	const tmp = `${file}.${process.pid}.tmp`;
	fs.writeFileSync(tmp, text);
	fs.renameSync(tmp, file);
}

function summarize(run, workflowData, executionId) {
	const resultData = (run && run.data && run.data.resultData) || {};
	const nodes = {};
	for (const [name, runs] of Object.entries(resultData.runData || {})) {
		nodes[name] = (runs || []).map((r) => ({
			startTime: r.startTime,
			executionTime: r.executionTime,
			executionStatus: r.executionStatus,
			outputs: r.data && Array.isArray(r.data.main) ? r.data.main.map((items) => (Array.isArray(items) ? items.length : 0)) : [],
			error: errorOf(r.error),
		}));
	}
	return {
		summaryVersion: 1,
		executionId,
		workflowId: workflowData && workflowData.id,
		workflowName: workflowData && workflowData.name,
		status: run && run.status,
		finished: run && run.finished,
		mode: run && run.mode,
		startedAt: run && run.startedAt,
		stoppedAt: run && run.stoppedAt,
		lastNodeExecuted: resultData.lastNodeExecuted,
		error: errorOf(resultData.error),
		nodes,
		pid: process.pid,
		writtenAt: Date.now(),
	};
}

async function postExecute(run, workflowData, executionId) {
	const file = process.env.RBM_BENCH_SUMMARY;
	if (!file) return;
	let summary;
	try {
		summary = summarize(run, workflowData, executionId);
	} catch (error) {
		summary = { summaryVersion: 1, hookError: String((error && error.stack) || error), pid: process.pid, writtenAt: Date.now() };
	}
	const runFile = process.env.RBM_BENCH_RUN_FILE;
	if (runFile) {
		try {
			writeAtomically(runFile, JSON.stringify(run));
		} catch (error) {
			summary.runFileError = String((error && error.message) || error);
		}
	}
	try {
		writeAtomically(file, JSON.stringify(summary));
	} catch (error) {
		try {
			process.stderr.write(`[rbm bench hook] could not write ${file}: ${error && error.message}\n`);
		} catch {
			/* nothing left to report to */
		}
	}
}

module.exports = { workflow: { postExecute: [postExecute] } };
// For tests of the hook itself (not read by n8n: it only looks at the hook names above).
Object.defineProperty(module.exports, 'summarize', { value: summarize, enumerable: false });
