// `dotmac server start`: the app behind a real HTTP server, with Node's own web classes
// (bundled as dist/server.cjs).
export { startServer } from './http.js';
