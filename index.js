// n8n loads the nodes and credentials listed in the "n8n" block of package.json; this file is
// intentionally empty so that `require('n8n-nodes-rbm')` does nothing surprising.
module.exports = {};
