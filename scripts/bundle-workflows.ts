import { mkdir, writeFile } from 'node:fs/promises';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '../worker/create-worker.js';

/**
 * Production builds ship a prebuilt workflow bundle (WORKFLOW_BUNDLE_PATH) so workers start in
 * a second and every replica runs byte-identical workflow code.
 */
const { code } = await bundleWorkflowCode({ workflowsPath: workflowsPath() });
await mkdir('dist', { recursive: true });
await writeFile('dist/workflow-bundle.js', code);
console.log('wrote dist/workflow-bundle.js');
