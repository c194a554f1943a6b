/**
 * A process that dies in the middle of a migration, as a power cut or `kill -9` would: it opens
 * the data folder's database exactly as the app does and runs the app's migrations, but a Kysely
 * plugin SIGKILLs the process right after `CREATE TABLE <table>` has executed (no catch, no
 * rollback, no close). Run: `node --import tsx test/support/crash-mid-migration.ts DATA_DIR [table]`.
 */
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrator.js';

const [dataDir, table = 'users'] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: crash-mid-migration.ts DATA_DIR [table]');

let armed = false;
const killAfterCreateTable: KyselyPlugin = {
  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (node.kind === 'CreateTableNode' && node.table.table.identifier.name === table) armed = true;
    return node;
  },
  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (armed) {
      process.stdout.write(`created ${table}; killing myself\n`);
      process.kill(process.pid, 'SIGKILL');
    }
    return result;
  },
};

const { db } = openDatabase({ dataDir });
await migrateToLatest(db.withPlugin(killAfterCreateTable));
process.stdout.write('migrations finished without reaching the table\n');
