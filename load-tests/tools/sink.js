// The destination Hookline delivers to during load runs (load-tests/burst.sh prefers it to Sink.java:
// Node's HTTP server spends about a third of the CPU per request that the JDK's HttpServer does here,
// and on a 2-core machine the sink's CPU is taken from the node under test). Same protocol as
// Sink.java: 200 to every request after reading its body, counted; GET /_sink/stats answers
// "received=N first_ms=T last_ms=T". Usage: node load-tests/tools/sink.js PORT
'use strict';
const http = require('http');
const port = Number(process.argv[2] || 19999);
let received = 0, bytes = 0, firstMs = 0, lastMs = 0;
const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/_sink/stats') {
    req.resume();
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(`received=${received} first_ms=${firstMs} last_ms=${lastMs}\n`);
    return;
  }
  req.on('data', (chunk) => { bytes += chunk.length; });
  req.on('end', () => {
    const now = Date.now();
    if (firstMs === 0) firstMs = now;
    if (now > lastMs) lastMs = now;
    received++;
    res.writeHead(200, { 'Content-Length': '0' });
    res.end();
  });
});
server.keepAliveTimeout = 60000;
server.listen(port, '127.0.0.1', () => console.log(`sink listening on 127.0.0.1:${port}`));
let last = -1;
setInterval(() => { if (received !== last) { console.log(`sink: received ${received} deliveries`); last = received; } }, 10000).unref();
const bye = () => { console.log(`sink: received ${received} deliveries, ${bytes} bytes`); process.exit(0); };
process.on('SIGTERM', bye);
process.on('SIGINT', bye);
