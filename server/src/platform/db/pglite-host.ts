/**
 * Child process that owns the embedded PGlite database and serves it over the PostgreSQL wire protocol.
 * PGlite runs synchronously and would block the server's event loop, so it lives here, and the server
 * talks to it with `pg` exactly as it talks to a real PostgreSQL.
 */
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const dir = process.argv[2];
if (!dir || !process.send) {
  console.error('usage: forked by the Dudao server with the PGlite folder as its argument');
  process.exit(2);
}

const db = await PGlite.create(dir);
const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 1 });
await server.start();
const conn = server.getServerConn();
const port = Number(conn.slice(conn.lastIndexOf(':') + 1));

let closing = false;
async function close(code: number): Promise<never> {
  if (!closing) {
    closing = true;
    try {
      await server.stop();
      await db.close();
    } catch (err) {
      console.error('[pglite] close failed', err);
      code = 1;
    }
  }
  process.exit(code);
}

// The parent decides when to stop; a terminal's Ctrl-C reaches the whole group, so ignore it here
// and close when the parent asks or disappears.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => void close(0));
process.on('disconnect', () => void close(0));
process.on('message', (msg: unknown) => {
  if (msg === 'close') void close(0);
});
process.send({ type: 'ready', port });
