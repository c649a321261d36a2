import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { openDatabase, type Database } from './storage/database.js';
import { migrateToLatest } from './storage/migrator.js';
import { buildApp } from './web/app.js';

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  address: string;
  close(): Promise<void>;
}

/** config → database (migrated) → app → listen. Closing drains requests, then the database. */
export async function startServer(config: Config): Promise<RunningServer> {
  const database = openDatabase(config);
  try {
    await migrateToLatest(database.db);
    const app = await buildApp(config, database);
    const address = await app.listen({ host: config.host, port: config.port });
    return {
      app,
      database,
      address,
      close: async () => {
        await app.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
