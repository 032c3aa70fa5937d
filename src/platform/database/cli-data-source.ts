import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from 'src/platform/config/app-config';
import { loadEnvFile } from 'src/platform/config/config.module';
import { dataSourceOptions } from 'src/platform/database/data-source-options';

loadEnvFile();
/** For the TypeORM CLI: the owner connection, same definition as the app's. */
export default new DataSource(dataSourceOptions(loadConfig(process.env), 'owner'));
