import type { CliCommand } from '../command';
import { migrateCommand, infoCommand } from './app.commands';
import { importCommand } from './import.commands';
import { paymentsCommand } from './payments.commands';
import { statementsCommand, confirmationCommand, invoicePdfCommand } from './documents.commands';
import { agingCommand } from './aging.commands';
import { lookupCommand } from './lookup.commands';
import { seedCommand } from './seed.commands';
import { checkCommand } from './check.commands';
import { printersCommand, printCommand } from './print.commands';
import { staffCommand } from './staff.commands';
import { serverCommand } from './server.commands';
import { backupCommand, restoreCheckCommand } from './backup.commands';
import { billingCommand, subscriptionsCommand } from './billing.commands';
import { reportCommand } from './report.commands';

/** Every CLI command. Add a domain's commands here. */
export const commands: CliCommand[] = [migrateCommand, infoCommand, importCommand, paymentsCommand, statementsCommand, confirmationCommand, invoicePdfCommand, agingCommand, lookupCommand, seedCommand, checkCommand, backupCommand, restoreCheckCommand, serverCommand, printersCommand, printCommand, staffCommand, billingCommand, subscriptionsCommand, reportCommand];
