const { WorkflowExecute, ExecutionLifecycleHooks } = require('n8n-core');
const { Workflow, NodeConnectionTypes } = require('n8n-workflow');
class Source { description = { displayName:'Source', name:'source', group:['input'], version:1, description:'', defaults:{name:'Source'}, inputs:[], outputs:['main'], properties:[{displayName:'Items',name:'items',type:'json',default:'[]'}] };
  async execute() { const items = JSON.parse(this.getNodeParameter('items',0)); return [items.map(j=>({json:j}))]; } }
let tries=0;
class Echo { description = { displayName:'Echo', name:'echo', group:['transform'], version:1, description:'', defaults:{name:'Echo'}, inputs:['main'], outputs:['main','main'], properties:[{displayName:'P',name:'phone',type:'string',default:''}] };
  async execute() { tries++; const items=this.getInputData(); const out=[]; for (let i=0;i<items.length;i++){ const p=this.getNodeParameter('phone',i); if (p==='bad' && tries<2) throw new Error('boom'); out.push({json:{p, exec:this.getExecutionId(), cof:this.continueOnFail(), run: this.getNode().name}, pairedItem:{item:i}});} return [out,[]]; } }
const types = { source: new Source(), echo: new Echo() };
const nodeTypes = { getByName: (n)=>types[n.split('.').pop()], getByNameAndVersion: (n)=>types[n.split('.').pop()], getKnownTypes: ()=>({}) };
const nodes = [
 { id:'1', name:'Source', type:'test.source', typeVersion:1, position:[0,0], parameters:{ items: JSON.stringify([{phone:'+1'},{phone:'bad'}]) } },
 { id:'2', name:'Send', type:'test.echo', typeVersion:1, position:[1,0], parameters:{ phone:'={{ $json.phone }}' }, retryOnFail:true, maxTries:2, waitBetweenTries:0 },
];
const connections = { Source: { main: [[{ node:'Send', type:'main', index:0 }]] } };
const workflow = new Workflow({ id:'wf', name:'wf', nodes, connections, active:false, nodeTypes, settings:{executionOrder:'v1'} });
const hooks = new ExecutionLifecycleHooks('manual','exec-42',{ id:'wf', name:'wf', nodes, connections, active:false, settings:{}, createdAt:new Date(), updatedAt:new Date(), isArchived:false, activeVersionId:null });
const additionalData = { hooks, executionId:'exec-42', credentialsHelper: { getDecrypted: async()=>({}) , getParentTypes:()=>[], authenticate: async (c,t,r)=>r}, restApiUrl:'', webhookBaseUrl:'', webhookTestBaseUrl:'', webhookWaitingBaseUrl:'http://localhost:5678/webhook-waiting', formWaitingBaseUrl:'http://localhost:5678/form-waiting', instanceBaseUrl:'', variables:{}, currentNodeParameters:undefined, userId:'u' };
(async()=>{ const we = new WorkflowExecute(additionalData,'manual'); const run = await we.run({workflow, startNode: workflow.getNode('Source'), destinationNode: undefined});
 console.log(run.status, JSON.stringify(run.data.resultData.error?.message), JSON.stringify(run.data.resultData.runData.Send?.map(r=>r.data?.main)), tries); })().catch(e=>console.error('ERR',e));
