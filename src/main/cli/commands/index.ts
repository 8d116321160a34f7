import type { CliCommand } from '../cli';
import { migrateCommand, infoCommand } from './app.commands';

/** Every CLI command. Add a domain's commands here. */
export const commands: CliCommand[] = [migrateCommand, infoCommand];
