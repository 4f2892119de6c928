/** Shared SQLite mechanics of hooktap's stores: recognising a file and migrating its schema. */
export type {
  ApplyMigrationsOptions,
  FailWith,
  Migration,
  MigrationResult,
  MigrationsTable,
  RecogniseOptions,
  SchemaFailure,
} from "./migrate.js";
export {
  appliedVersion,
  applyMigrations,
  assertOwnDatabase,
  knownVersion,
  NAMED_MIGRATIONS_TABLE,
  schemaTooNew,
} from "./migrate.js";
